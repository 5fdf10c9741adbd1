"""The HTML report: one self-contained page, both texts side by side, passages in matching colours.

Everything from the input is escaped with ``html.escape``; the only values placed in attributes
are integers we computed. No external resources: the page works offline and from a file.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from html import escape
from pathlib import PurePath

from ..types import Document, Passage, Report, Span
from ..version import __version__
from .reuse_map import KIND_COLOUR, reuse_map_svg

BASE_KINDS = ("verbatim", "near-verbatim", "paraphrase")  # always in the legend; the others where present


def render_html(report: Report, made: datetime | None = None) -> str:
    """The page. ``made`` is when the report was made (now unless given), printed in the footer
    with the unspun version and each text's SHA-256, so a printed or saved report says what it is
    of and by what."""
    j = report.judgement
    n = len(j.passages)
    colours = [_colour(p) for p in j.passages]
    src_runs = _runs(report.source, [p.source_span for p in j.passages], [[s for _, s, _ in p.pairs] for p in j.passages])
    rw_runs = _runs(report.rewrite, [p.query_span for p in j.passages], [[q for q, _, _ in p.pairs] for p in j.passages])
    rows = "\n".join(
        f'<tr data-p="{i}"><td><span class="sw" style="--c:{colours[i]}"></span>{i + 1}</td>'
        f"<td>{escape(p.kind)}</td><td>{p.score:.2f}</td>"
        f"<td>{p.source_span.start}–{p.source_span.end}</td><td>{p.query_span.start}–{p.query_span.end}</td></tr>"
        for i, p in enumerate(j.passages)
    )
    mix = ", ".join(f"{escape(k)} {v:.0%}" for k, v in j.kind_shares.items() if v > 0) or "none"
    return _PAGE.format(
        title=escape(f"unspun: {_name(report.rewrite)} vs {_name(report.source)}"),
        verdict=escape(j.verdict),
        verdict_class=escape(j.verdict),
        rewrite_share=f"{j.coverage['rewrite_share']:.0%}",
        source_share=f"{j.coverage['source_share']:.0%}",
        mix=mix,
        languages=escape(f"source {report.source.lang or '?'}, rewrite {report.rewrite.lang or '?'}"),
        why=escape(j.reason or (j.evidence.reason if j.evidence is not None else "")),
        count=n,
        source_name=escape(_name(report.source)),
        rewrite_name=escape(_name(report.rewrite)),
        source_html=_render_runs(report.source.text, src_runs, colours),
        rewrite_html=_render_runs(report.rewrite.text, rw_runs, colours),
        rows=rows or '<tr><td colspan="5">No reused passage found.</td></tr>',
        model=escape(report.model),
        fidelity=_fidelity_html(report),
        reuse_map=reuse_map_svg(report),
        legend=_legend(j.passages),
        version=escape(__version__),
        made=escape((made or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")),
        source_digest=_digest(report.source),
        rewrite_digest=_digest(report.rewrite),
    )


def _colour(p: Passage) -> str:
    """A passage's colour is its kind's, from the one table the map and its legend use."""
    return KIND_COLOUR.get(p.kind, "#555555")


def _legend(passages: list[Passage]) -> str:
    kinds = list(BASE_KINDS) + [k for k in KIND_COLOUR if k not in BASE_KINDS and any(p.kind == k for p in passages)]
    return " ".join(
        f'<span class="key" data-kind="{escape(k)}"><span class="sw" style="--c:{KIND_COLOUR[k]}"></span>{escape(k)}</span>'
        for k in kinds
    )


def _digest(doc: Document) -> str:
    """SHA-256 of the text as read (UTF-8): what the offsets index, the same for the same input."""
    return hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()


def _fidelity_html(report: Report) -> str:
    j = report.judgement
    parts = ["<h2>Fidelity</h2>"]
    if j.facts:
        rows = "".join(
            f"<tr><td>{escape(c.kind)}</td><td>{escape(c.source_value)}</td>"
            f"<td>{escape(c.rewrite_value) if c.rewrite_value else '<i>paraphrased, no longer quoted</i>'}</td></tr>"
            for c in j.facts
        )
        parts.append(f"<h3>Changed facts</h3><table><thead><tr><th>kind</th><th>source says</th><th>rewrite says</th></tr></thead><tbody>{rows}</tbody></table>")
    else:
        parts.append("<p>No changed facts found in the aligned sentences.</p>")
    for title, items, cls in (("Dropped from the source", j.dropped, "dropped"), ("Damaged sentences", j.damaged, "damaged"),
                              ("Added by the rewrite", j.additions, "added")):
        if not items:
            continue
        lis = "".join(
            f'<li class="{cls} {escape(i.kind)}"><span class="tag">{escape(i.kind)}</span> {escape(i.text)}'
            + (f' <span class="facts">[{escape(", ".join(f.value for f in i.facts))}]</span>' if i.facts else "")
            + "</li>"
            for i in items
        )
        parts.append(f"<h3>{title}</h3><ul>{lis}</ul>")
    a = j.attribution
    credit = "credits its source" if a.credited else "does not credit its source"
    named = f" It names {escape(str(a.publisher))} in the story." if a.names_source_org else ""
    parts.append(f'<h3>Attribution</h3><p class="credit {"yes" if a.credited else "no"}">The rewrite {credit}.{named}</p>')
    return "\n".join(parts)


def _name(doc: Document) -> str:
    """A document's title, else its file's name (not the whole path), as the terminal report says."""
    if doc.title and doc.title.strip():
        return doc.title
    origin = str(doc.meta.get("origin") or doc.id)
    return "standard input" if origin == "-" else (PurePath(origin).name or origin)


def _runs(doc: Document, spans: list[Span], pairs: list[list[Span]]):
    """Cut the text at every passage, sentence-pair and chrome boundary; each run is
    (start, end, passage index or None, pair index within it or None, is_chrome)."""
    cuts = {0, len(doc.text)}
    for s in spans + doc.chrome + [s for ps in pairs for s in ps]:
        cuts.update((s.start, s.end))
    points = sorted(cuts)
    runs = []
    for a, b in zip(points, points[1:]):
        passage = next((i for i, s in enumerate(spans) if s.start <= a and b <= s.end), None)
        pair = None
        if passage is not None:
            pair = next((k for k, s in enumerate(pairs[passage]) if s.start <= a and b <= s.end), None)
        chrome = any(c.start <= a and b <= c.end for c in doc.chrome)
        runs.append((a, b, passage, pair, chrome))
    return runs


def _render_runs(text: str, runs, colours: list[str]) -> str:
    out = []
    for a, b, passage, pair, chrome in runs:
        piece = escape(text[a:b])
        if passage is not None:
            pair_attr = f' data-q="{passage}-{pair}"' if pair is not None else ""
            cls = "p pair" if pair is not None else "p"
            out.append(
                f'<mark class="{cls}" data-p="{passage}"{pair_attr} style="--c:{colours[passage]}" '
                f'title="passage {passage + 1}">{piece}</mark>'
            )
        elif chrome:
            out.append(f'<span class="chrome" title="site chrome, left out of the shares">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{title}</title>
<style>
:root {{ --fg:#1d232a; --muted:#5c6670; --bg:#fafaf7; --card:#fff; --line:#e3e3dc; }}
* {{ box-sizing: border-box; }}
body {{ margin:0; font:15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }}
header {{ padding:18px 28px; background:var(--card); border-bottom:1px solid var(--line); display:flex; flex-wrap:wrap; gap:28px; align-items:baseline; }}
header h1 {{ font-size:18px; margin:0; font-weight:600; }}
.verdict {{ font-weight:700; padding:2px 10px; border-radius:12px; }}
.wholly-derived {{ background:#fde2e1; color:#a1231b; }}
.partially-derived {{ background:#fdf0d5; color:#8a5a00; }}
.non-derived {{ background:#dff3e4; color:#1e6b35; }}
.stat b {{ font-size:17px; }} .stat {{ color:var(--muted); }}
main {{ display:grid; grid-template-columns:1fr 1fr; gap:20px; padding:20px 28px; }}
section {{ background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 20px; min-width:0; }}
section h2 {{ font-size:13px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); margin:0 0 10px; overflow-wrap:anywhere; }}
.text {{ white-space:pre-wrap; overflow-wrap:anywhere; max-height:78vh; overflow-y:auto; }}
/* Each passage in its kind's colour (--c, the map's and the legend's); the first background is
   for browsers without color-mix. */
mark.p {{ background:#f1f1ea; background:color-mix(in srgb, var(--c) 10%, white); color:inherit; border-bottom:2px solid var(--c); cursor:pointer; border-radius:2px; }}
mark.p.pair {{ background:#e6e6dc; background:color-mix(in srgb, var(--c) 22%, white); }}
mark.p.on {{ background:color-mix(in srgb, var(--c) 32%, white); }}
mark.p.pair.hit {{ background:color-mix(in srgb, var(--c) 48%, white); outline:2px solid var(--c); }}
.chrome {{ color:#9aa0a6; }}
.passages {{ padding:0 28px 28px; display:flex; gap:24px; align-items:flex-start; flex-wrap:wrap; }}
.passages table {{ flex:1; min-width:320px; }}
.map {{ margin:0; max-width:320px; }} .map figcaption {{ font-size:12px; color:var(--muted); }}
table {{ border-collapse:collapse; width:100%; background:var(--card); border:1px solid var(--line); }}
th, td {{ text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); font-size:14px; }}
tr[data-p] {{ cursor:pointer; }} tr.on {{ background:#f1f1ea; }}
.sw {{ display:inline-block; width:12px; height:12px; border-radius:3px; margin-right:6px; background:var(--c); vertical-align:-1px; }}
.key {{ white-space:nowrap; }} .key + .key {{ margin-left:8px; }}
footer {{ color:var(--muted); font-size:12px; padding:0 28px 20px; }}
.fidelity {{ padding:0 28px 24px; }}
.fidelity h2 {{ font-size:17px; margin:8px 0; }} .fidelity h3 {{ font-size:14px; margin:16px 0 6px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }}
.fidelity ul {{ margin:0; padding-left:18px; }} .fidelity li {{ margin:4px 0; overflow-wrap:anywhere; }}
.fidelity .tag {{ display:inline-block; font-size:12px; padding:0 6px; border-radius:8px; background:#eee; color:#444; margin-right:4px; }}
.fidelity li.chrome {{ color:#9aa0a6; }} .fidelity .facts {{ color:var(--muted); }}
.credit.no {{ color:#a1231b; font-weight:600; }} .credit.yes {{ color:#1e6b35; font-weight:600; }}
footer .digests {{ font-family:ui-monospace, monospace; overflow-wrap:anywhere; }}
@media (max-width: 800px) {{ main {{ grid-template-columns:1fr; }} }}
/* On paper: every line of both texts (no scroll boxes), the colours kept, no hover hints, and a
   passage table or finding not split across pages where it can be helped. */
@media print {{
  * {{ -webkit-print-color-adjust:exact; print-color-adjust:exact; }}
  body {{ background:#fff; font-size:11pt; }}
  header, section, table {{ border-color:#bbb; }}
  .text {{ max-height:none; overflow:visible; }}
  main {{ grid-template-columns:1fr 1fr; gap:10px; padding:10px 0; }}
  section {{ break-inside:auto; }}
  .passages, .fidelity, footer {{ padding-left:0; padding-right:0; }}
  tr, li, figure {{ break-inside:avoid; }}
  .hint {{ display:none; }}
  mark.p {{ cursor:auto; }}
}}
</style>
</head>
<body>
<header>
  <h1>unspun compare</h1>
  <span class="verdict {verdict_class}">{verdict}</span>
  <span class="stat">rewrite reused <b>{rewrite_share}</b></span>
  <span class="stat">source reused <b>{source_share}</b></span>
  <span class="stat">kinds: {mix}</span>
  <span class="stat">languages: {languages}</span>
  <span class="stat">{count} passages</span>
  <p class="why">why: {why}</p>
</header>
<main>
  <section><h2>Source: {source_name}</h2><div class="text" id="source">{source_html}</div></section>
  <section><h2>Rewrite: {rewrite_name}</h2><div class="text" id="rewrite">{rewrite_html}</div></section>
</main>
<div class="passages">
<figure class="map">{reuse_map}<figcaption>Reuse map: source left to right, rewrite top to bottom; strokes are aligned sentences, coloured by kind as the passages in the texts are: <span class="legend">{legend}</span>. Red marks below are dropped source text, blue marks beside are added text, grey bands chrome.</figcaption></figure>
<table><thead><tr><th>#</th><th>kind</th><th>score</th><th>source chars</th><th>rewrite chars</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</div>
<div class="fidelity">
{fidelity}
</div>
<footer><p><span class="hint">Hover a highlighted sentence to see its partner on the other side; click it to scroll there. </span>Paler text inside a passage was not matched sentence for sentence. Grey text is site chrome, left out of the shares. Model: {model}.</p>
<p class="made">Made by unspun {version} on {made}. SHA-256 of the texts as read: <span class="digests">source {source_digest}, rewrite {rewrite_digest}</span>.</p></footer>
<script>
(function () {{
  // Hover: the passage lights up on both sides, and the sentence pair under the pointer
  // (with its partner on the other side) more strongly. Click: scroll the other side to it.
  function mark(attr, value, cls, on) {{
    document.querySelectorAll('[' + attr + '="' + value + '"]').forEach(function (el) {{ el.classList.toggle(cls, on); }});
  }}
  document.querySelectorAll('[data-p]').forEach(function (el) {{
    var p = el.getAttribute('data-p'), q = el.getAttribute('data-q');
    el.addEventListener('mouseenter', function () {{ mark('data-p', p, 'on', true); if (q) mark('data-q', q, 'hit', true); }});
    el.addEventListener('mouseleave', function () {{ mark('data-p', p, 'on', false); if (q) mark('data-q', q, 'hit', false); }});
    el.addEventListener('click', function () {{
      var side = el.closest('.text');
      var other = side && side.id === 'source' ? 'rewrite' : 'source';
      var target = (q && document.querySelector('#' + other + ' [data-q="' + q + '"]')) ||
                   document.querySelector('#' + other + ' [data-p="' + p + '"]');
      if (target) target.scrollIntoView({{ behavior: 'smooth', block: 'center' }});
    }});
  }});
}})();
</script>
</body>
</html>
"""

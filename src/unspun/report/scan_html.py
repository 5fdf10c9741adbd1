"""The HTML report of a scan: one self-contained page (inline CSS, no script, nothing loaded from
elsewhere) with the clusters as stars and the verified pairs, strongest first. Each of the
strongest pairs links to its side-by-side report (``report.html.render_html``), written beside
the page as ``pairs/<n>.html``.

The pair reports are made after the scan by comparing the pair's two documents again, oriented
as verification oriented them (the longer text as the source), so a report's verdict and shares
are the scan's; only the pairs that get a report are compared again (``pair_reports``), so the
cost stays bounded on any corpus, and the engines need not keep or ship every report.

Direction is never implied where the scan found none: an undirected pair reads "A ↔ B", and its
report says that "Source" and "Rewrite" there only name the longer and the shorter text.
Everything that comes from the corpus (ids, verdicts, evidence) is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

PAIR_REPORTS = 50  # pairs given a side-by-side report by default (--html-pairs)
TABLE_LIMIT = 1000  # pairs listed on the page; the files hold them all
CLUSTER_LIMIT = 200  # clusters shown, the largest first


def is_directed(row: dict[str, Any]) -> bool:
    """Whether the scan found which text of the pair came first."""
    return bool(row.get("directed", row["direction"] != "unknown"))


def arrow(row: dict[str, Any]) -> str:
    return "→" if is_directed(row) else "↔"


def ranked(pairs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pairs strongest first: the larger share of the derived text found in the original,
    then by ids (stable)."""
    return sorted(pairs, key=lambda r: (-r["rewrite_share"], r["original"], r["derived"]))


def cluster_stars(clusters: Iterable[dict[str, str]]) -> list[tuple[str, list[str]]]:
    """(centre, members) of each cluster, the largest first, then by centre id."""
    stars: dict[str, list[str]] = {}
    for row in clusters:
        members = stars.setdefault(row["cluster"], [])
        if row["role"] != "centre":
            members.append(row["id"])
    return sorted(((c, sorted(m)) for c, m in stars.items()), key=lambda s: (-len(s[1]), s[0]))


def write_scan_html(result, path: str | Path, pair_reports: int = PAIR_REPORTS,
                    progress: Callable[[int, int], None] | None = None) -> int:
    """The page at ``path`` and, beside it in ``pairs/``, a report for each of the
    ``pair_reports`` strongest pairs; returns how many pair reports were written."""
    index = Path(path)
    folder = index.parent
    pairs = ranked(result.pairs)
    chosen = pairs[:pair_reports]
    docs = result.fetch({d for r in chosen for d in (r["original"], r["derived"])}) if chosen and result.fetch else {}
    links: dict[tuple[str, str], int] = {}
    if chosen:
        (folder / "pairs").mkdir(parents=True, exist_ok=True)
    for n, row in enumerate(chosen, 1):
        if row["original"] in docs and row["derived"] in docs:
            page = pair_page(row, n, docs[row["original"]], docs[row["derived"]], index.name)
            (folder / "pairs" / f"{n}.html").write_text(page, encoding="utf-8")
            links[(row["original"], row["derived"])] = n
        if progress is not None:
            progress(n, len(chosen))
    index.write_text(render_scan_html(result, pairs, links), encoding="utf-8")
    return len(links)


def pair_page(row: dict[str, Any], n: int, original, derived, index_name: str) -> str:
    """The side-by-side report of one pair (``Packed`` documents), compared as verification
    compared them, with a line on top saying what the scan found and a link back."""
    from ..pipeline import compare
    from .html import render_html

    a, b = sorted((original, derived), key=lambda p: p.id)
    da, db = a.document(), b.document()
    if (len(db.text), a.id) > (len(da.text), b.id):  # as stages.verify_rows: the longer is the source
        da, db = db, da
    page = render_html(compare(da, db))
    if not is_directed(row):
        note = ("direction unknown: the scan could not tell which text came first; “Source” and “Rewrite” below "
                "only name the longer and the shorter text.")
    elif row["original"] == da.id:
        note = f"the original is the Source below ({escape(row['direction'])})."
    else:
        note = f"the original is the Rewrite below ({escape(row['direction'])}): the shorter text came first."
    evidence = f" {escape(row['direction_evidence'])}" if row.get("direction_evidence") else ""
    banner = (
        '<nav class="scan-pair" style="padding:10px 28px;background:#eef1f6;border-bottom:1px solid #d9dde5;'
        'font:14px/1.5 system-ui,sans-serif">'
        f'<a href="../{escape(quote(index_name))}">← all pairs of the scan</a> · pair {n}: '
        f"<b>{escape(row['original'])} {arrow(row)} {escape(row['derived'])}</b> · {note}{evidence}</nav>\n"
    )
    # After the page's <body> tag (whatever its attributes), so the line is the first thing shown.
    at = re.search(r"<body[^>]*>\n?", page)
    return page[:at.end()] + banner + page[at.end():] if at else banner + page


def render_scan_html(result, pairs: list[dict[str, Any]] | None = None,
                     links: dict[tuple[str, str], int] | None = None) -> str:
    """The scan's page; ``links`` maps (original, derived) to the number of its report."""
    pairs = ranked(result.pairs) if pairs is None else pairs
    links = links or {}
    by_pair = {frozenset((r["original"], r["derived"])): r for r in pairs}
    counts = {d: sum(1 for r in pairs if r["direction"] == d) for d in ("dated", "evidence", "unknown")}
    stars = cluster_stars(result.clusters)
    cards = "\n".join(_star(centre, members, by_pair, links) for centre, members in stars[:CLUSTER_LIMIT])
    if len(stars) > CLUSTER_LIMIT:
        cards += f'\n<p class="more">and {len(stars) - CLUSTER_LIMIT} smaller clusters (clusters file)</p>'
    rows = "\n".join(_pair_row(k, r, links) for k, r in enumerate(pairs[:TABLE_LIMIT], 1))
    more = (f'<p class="more">and {len(pairs) - TABLE_LIMIT} weaker pairs (pairs file)</p>'
            if len(pairs) > TABLE_LIMIT else "")
    return _PAGE.format(
        documents=int(result.documents), candidates=int(result.candidates), n_pairs=len(pairs),
        dated=counts["dated"], evidence=counts["evidence"], unknown=counts["unknown"], n_clusters=len(stars),
        reports=len(links), clusters=cards or '<p class="more">No clusters: no derived pairs were found.</p>',
        rows=rows or '<tr><td colspan="9">No derived pairs were found.</td></tr>', more=more,
    )


def _link(row: dict[str, Any], links: dict[tuple[str, str], int], text: str) -> str:
    n = links.get((row["original"], row["derived"]))
    return f'<a class="pair-link" href="pairs/{n}.html">{text}</a>' if n else text


def _star(centre: str, members: list[str], by_pair, links) -> str:
    items = []
    for m in members:
        row = by_pair.get(frozenset((centre, m)))
        if row is None:  # a cluster row without its pair: shown, not linked
            items.append(f"<li>{escape(m)}</li>")
            continue
        sign = "↔" if not is_directed(row) else ("→" if row["original"] == centre else "←")
        text = f'<span class="sign">{sign}</span> {escape(m)}'
        items.append(f"<li>{_link(row, links, text)} <span class=\"muted\">{escape(row['verdict'])}, "
                     f"{row['rewrite_share']:.0%}</span></li>")
    size = (f"centre of {len(members) + 1} documents" if members
            else "centre alone: the documents it was verified against are centres themselves")
    return (f'<div class="cluster"><div class="centre">{escape(centre)}<span class="muted"> · {size}</span></div>'
            + (f'<ul>{"".join(items)}</ul>' if items else "") + "</div>")


def _pair_row(k: int, row: dict[str, Any], links) -> str:
    pair = f"{escape(row['original'])} <b>{arrow(row)}</b> {escape(row['derived'])}"
    direction = escape(row["direction"])
    if row.get("direction_evidence"):
        direction += f'<div class="muted evidence">{escape(row["direction_evidence"])}</div>'
    report = _link(row, links, "report") if (row["original"], row["derived"]) in links else '<span class="muted">–</span>'
    return (f'<tr><td>{k}</td><td class="ids">{_link(row, links, pair)}</td>'
            f'<td><span class="verdict {escape(row["verdict"])}">{escape(row["verdict"])}</span></td>'
            f"<td>{row['rewrite_share']:.0%}</td><td>{row['source_share']:.0%}</td><td>{int(row['passages'])}</td>"
            f"<td>{direction}</td><td>{row['score']:.2f}</td><td>{report}</td></tr>")


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>unspun scan</title>
<style>
:root {{ --ink:#1d1f23; --muted:#5f6570; --line:#d9dde5; --card:#fff; --bg:#f6f7f9; }}
body {{ margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }}
header {{ padding:20px 28px 8px; }} h1 {{ margin:0 0 6px; font-size:22px; }}
h2 {{ font-size:17px; margin:18px 28px 8px; }}
.stat {{ display:inline-block; margin-right:18px; color:var(--muted); }} .stat b {{ color:var(--ink); }}
.muted {{ color:var(--muted); font-size:13px; }}
.note {{ margin:4px 28px 0; color:var(--muted); font-size:13px; max-width:1000px; }}
.clusters {{ display:flex; flex-wrap:wrap; gap:14px; padding:0 28px; }}
.cluster {{ background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 14px; min-width:260px; max-width:420px; }}
.centre {{ font-weight:600; overflow-wrap:anywhere; }}
.cluster ul {{ list-style:none; margin:6px 0 0 6px; padding:0 0 0 12px; border-left:2px solid var(--line); }}
.cluster li {{ margin:3px 0; overflow-wrap:anywhere; }} .sign {{ color:var(--muted); }}
.wrap {{ padding:0 28px 28px; overflow-x:auto; }}
table {{ border-collapse:collapse; width:100%; background:var(--card); border:1px solid var(--line); }}
th, td {{ text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); font-size:14px; vertical-align:top; }}
th {{ font-weight:600; background:#fafbfc; }} td.ids {{ min-width:300px; overflow-wrap:anywhere; }}
td .evidence {{ max-width:420px; }}
a {{ color:#1a55b5; }}
.verdict {{ display:inline-block; padding:0 8px; border-radius:10px; background:#eee; font-size:13px; white-space:nowrap; }}
.verdict.wholly-derived {{ background:#fbd3cf; }} .verdict.partially-derived {{ background:#fde7c2; }}
.more {{ color:var(--muted); font-size:13px; padding:0 28px; }}
</style>
</head>
<body>
<header>
  <h1>unspun scan</h1>
  <span class="stat"><b>{documents}</b> documents</span>
  <span class="stat"><b>{candidates}</b> candidate pairs</span>
  <span class="stat"><b>{n_pairs}</b> verified derived pairs ({dated} dated, {evidence} evidence, {unknown} unknown)</span>
  <span class="stat"><b>{n_clusters}</b> clusters</span>
</header>
<p class="note">A → B: A is the original, B derived from it (by dates, or by evidence in the texts: the direction column says what).
A ↔ B: derived one from the other, direction unknown. The strongest {reports} pairs link to their side-by-side report.</p>
<h2>Clusters</h2>
<p class="note">Stars: a centre and the documents verified against it (never chained through a third document).
→ the centre is the original, ← the member is, ↔ unknown.</p>
<section class="clusters" id="clusters">
{clusters}
</section>
<h2>Pairs, strongest first</h2>
<p class="note">right in left: the share of the right-hand (derived) text found in the left (rewrite_share);
left in right: the share of the left found in the right (source_share); score: the candidate score from retrieval
(the share of one text matched by shared word 8-grams or similar sentences, whichever is larger).</p>
<div class="wrap">
<table id="pairs"><thead><tr><th>#</th><th>pair</th><th>verdict</th><th>right in left</th><th>left in right</th>
<th>passages</th><th>direction</th><th>score</th><th>report</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{more}
</div>
</body>
</html>
"""

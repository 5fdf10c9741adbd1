"""The terminal report: verdict and shares first, then the passages side by side."""

from __future__ import annotations

import re
from pathlib import PurePath

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..types import Report
from .reuse_map import KIND_COLOUR

VERDICT_STYLE = {
    "wholly-derived": "bold red",
    "partially-derived": "bold yellow",
    "non-derived": "bold green",
}
# A kind is one colour everywhere: the terminal's, the HTML report's passages, the reuse map's
# strokes and its legend all come from KIND_COLOUR (rich brings it down to what the terminal shows).
KIND_STYLE = {kind: f"bold {colour}" for kind, colour in KIND_COLOUR.items()}
SHOWN_PAIRS = 12  # sentence pairs shown per passage unless --full


class ReportConsole(Console):
    """A console for standard output whose closed pipe (``unspun compare A B | head``) raises
    BrokenPipeError for the command line to end quietly with status 0; rich's own handling
    exits with status 1, as if the comparison had failed."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def render_terminal(report: Report, console: Console | None = None, width: int = 360, notes: Console | None = None) -> None:
    """Print the report. Passage texts longer than ``width`` characters are shortened in the
    middle (``0`` prints them whole). The timing line goes to ``notes``, standard error unless
    given: it is about the run, not the texts, and must not mix into a report piped to a file."""
    console = console or ReportConsole()
    j = report.judgement
    share = j.coverage
    head = Text()
    head.append("verdict  ", style="dim")
    head.append(j.verdict, style=VERDICT_STYLE.get(j.verdict, "bold"))
    head.append("\nrewrite  ", style="dim")
    head.append(f"{share['rewrite_share']:.0%} reused", style="bold")
    head.append(f"  ({_label(report.rewrite)})", style="dim")
    head.append("\nsource   ", style="dim")
    head.append(f"{share['source_share']:.0%} reused", style="bold")
    head.append(f"  ({_label(report.source)})", style="dim")
    if report.source.lang != report.rewrite.lang and report.source.lang and report.rewrite.lang:
        head.append("\nlanguage ", style="dim")
        head.append(f"{report.source.lang} source, {report.rewrite.lang} rewrite: compared across languages", style="magenta")
    if j.passages:
        head.append("\nreuse    ", style="dim")
        head.append(j.level, style=KIND_STYLE.get(j.level, ""))
        mix = ", ".join(f"{k} {v:.0%}" for k, v in j.kind_shares.items() if v > 0)
        head.append(f"  (share of the rewrite: {mix})", style="dim")
    ev = j.evidence
    why = j.reason or (ev.reason if ev is not None else "")
    if why:
        head.append("\nwhy      ", style="dim")
        head.append(visible(why))
        if ev is not None and j.verdict == "non-derived" and ev.closest_spans is not None:
            q, s = ev.closest_spans
            head.append("\nclosest  ", style="dim")
            head.append(
                f"“{_shorten(report.rewrite.text[q.start:q.end], 90)}” ~ “{_shorten(report.source.text[s.start:s.end], 90)}”"
                f" (similarity {ev.best:.2f})",
                style="dim",
            )
    chrome = sum(len(s) for s in report.rewrite.chrome)
    if chrome:
        head.append(f"\nchrome   {chrome} characters of the rewrite are site chrome, left out", style="dim")
    console.print(Panel(head, title="unspun compare", title_align="left", expand=False))

    if not j.passages:
        console.print("No reused passage found.", style="green")
        return
    for n, p in enumerate(j.passages, 1):
        title = Text()
        title.append(f"passage {n}/{len(j.passages)}  ", style="bold")
        title.append(p.kind, style=KIND_STYLE.get(p.kind, ""))
        title.append(
            f"  score {p.score:.2f}  source [{p.source_span.start}:{p.source_span.end}]"
            f"  rewrite [{p.query_span.start}:{p.query_span.end}]",
            style="dim",
        )
        table = Table(title=title, title_justify="left", show_lines=True, expand=True)
        table.add_column("source", ratio=1)
        table.add_column("rewrite", ratio=1)
        table.add_column("sim", justify="right", no_wrap=True, style="dim")
        pairs = p.pairs or ((p.query_span, p.source_span, p.score),)
        shown = pairs if width <= 0 else pairs[:SHOWN_PAIRS]
        for q_span, s_span, score in shown:
            table.add_row(
                Text(_shorten(report.source.text[s_span.start : s_span.end], width)),
                Text(_shorten(report.rewrite.text[q_span.start : q_span.end], width)),
                f"{score:.2f}",
            )
        if len(shown) < len(pairs):
            table.add_row(Text(f"… {len(pairs) - len(shown)} more sentence pairs (--full shows all)", style="dim"), "", "")
        console.print(table)
    render_fidelity(report, console, width)
    render_timings(report, notes or Console(stderr=True))


def render_timings(report: Report, console: Console) -> None:
    """How long each stage took, and the model: one dim line."""
    if report.timings:
        total = sum(report.timings.values())
        parts = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.timings.items())
        # One line whatever the width: it is a log line, read by people and by grep.
        console.print(escape(f"{total:.2f} s ({parts}); model {visible(report.model)}"), style="dim", soft_wrap=True)


def render_fidelity(report: Report, console: Console, width: int = 360) -> None:
    """What the rewrite changed, dropped, broke and added, and whether it credits the source."""
    j = report.judgement
    console.print(Text("fidelity", style="bold"))
    if j.facts:
        table = Table(expand=True, show_lines=True, title="changed facts", title_justify="left")
        table.add_column("kind", no_wrap=True, style="magenta")
        table.add_column("source says", ratio=1)
        table.add_column("rewrite says", ratio=1)
        for c in j.facts:
            table.add_row(Text(visible(c.kind)), Text(_shorten(c.source_value, width)),
                          Text(_shorten(c.rewrite_value, width) if c.rewrite_value else "(paraphrased, no longer quoted)"))
        console.print(table)
    else:
        console.print("  no changed facts found in the aligned sentences", style="green")
    for item in j.dropped:
        line = Text("  dropped  ", style="yellow")
        line.append(_shorten(item.text, width))
        facts = ", ".join(f.value for f in item.facts or () if f.kind != "quote")
        if facts:
            line.append(f"  [{facts}]", style="dim")
        console.print(line)
    for item in j.damaged:
        line = Text("  damaged  ", style="red")
        line.append(f"{item.kind}: ", style="dim")
        line.append(_shorten(item.text, width))
        console.print(line)
    unsupported = sum(1 for item in j.additions if item.kind == "unsupported")
    seen = 0
    for item in j.additions:
        if item.kind == "unsupported":
            seen += 1
            if seen == UNSUPPORTED_SHOWN + 1:  # a paraphrase holds many: the first few, then a count
                console.print(Text(f"  added    {unsupported - UNSUPPORTED_SHOWN} more kept sentences hold words "
                                   "the source never uses (all in --json and --html)", style="dim"))
            if seen > UNSUPPORTED_SHOWN:
                continue
        line = Text("  added    ", style="cyan" if item.kind == "content" else "dim")
        line.append(f"{item.kind}: ", style="dim")
        line.append(_shorten(item.text, min(width, 160) if item.kind == "chrome" else width),
                    style="grey50" if item.kind == "chrome" else "")
        if item.kind == "unsupported" and item.facts:  # the words the source never uses
            line.append(f"  [not in the source: {', '.join(f.value for f in item.facts)}]", style="dim")
        console.print(line)
    a = j.attribution
    credit = Text("  credit   ")
    if a.credited:
        credit.append("credits its source", style="green")
    else:
        credit.append("does not credit its source", style="bold red" if j.passages else "")
    if a.names_source_org:
        credit.append(f" (names {_shorten(str(a.publisher), 120)} in the story)", style="dim")
    console.print(credit)


# Unsupported claims the terminal report lists before it only counts the rest.
UNSUPPORTED_SHOWN = 3


def _label(doc) -> str:
    """What the report calls a document: its title (a page's, a PDF's), as the HTML report does;
    else its file's name, not the whole path; standard input by that name."""
    if doc.title and doc.title.strip():
        return _shorten(doc.title, 80)
    origin = str(doc.meta.get("origin") or doc.id)
    if origin == "-":
        return "standard input"
    return visible(PurePath(origin).name or origin)


# Untrusted text (a document's text, its file name, an error naming it) would act on the user's
# terminal: ESC and C1 controls open sequences that set the window title, clear the screen or
# overwrite the report, BEL rings, CR returns over the line, bidirectional overrides reorder what
# follows. Rich passes most of them through. Each is shown as one visible character instead, so
# offsets into the text (chrome spans, passages) still hold: C0 controls and DEL as their control
# picture (ESC as U+241B), C1 controls and bidi overrides as U+FFFD.
# A CR ending a line (a Windows text) is harmless and would be noise: it becomes a space.
_UNPRINTABLE = re.compile("(\r(?=\n))|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    if match.group(1):
        return " "
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: the same length, newlines and tabs kept, every other
    control character and bidi override replaced by a visible stand-in."""
    return _UNPRINTABLE.sub(_picture, text)


def _shorten(text: str, width: int) -> str:
    text = visible(" ".join(text.split()))  # line breaks, CR and form feeds become spaces
    if width <= 0 or len(text) <= width:
        return text
    half = (width - 5) // 2
    return f"{_head(text, half)} […] {_tail(text, half)}"


def _head(text: str, n: int) -> str:
    """The first ``n`` characters or fewer, cut at a space (a word is not broken in two); a word
    longer than ``n`` is cut where it must be."""
    if text[n : n + 1].isspace() or n >= len(text):
        return text[:n].rstrip()
    cut = text.rfind(" ", 0, n)
    return text[:cut].rstrip() if cut > 0 else text[:n]


def _tail(text: str, n: int) -> str:
    """The last ``n`` characters or fewer, starting at a word."""
    start = len(text) - n
    if start <= 0 or text[start - 1].isspace():
        return text[max(0, start):].lstrip()
    cut = text.find(" ", start)
    return text[cut + 1 :] if 0 <= cut < len(text) - 1 else text[start:]

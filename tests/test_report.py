"""Reports escape untrusted text and show what they claim to show."""

import io
import re

from rich.console import Console

import unspun
from unspun.report import render_html, render_terminal

HOSTILE = (
    'Breaking: <script>alert("x")</script> workers <img src=x onerror="alert(1)"> strike '
    "at the plant & the union </textarea><b>objects</b>."
)


def hostile_report():
    source = "The union said workers began a strike at the plant on Monday. " + HOSTILE
    rewrite = "On Monday workers began a strike at the plant, the union said. " + HOSTILE
    return unspun.compare(source, rewrite, model="hash")


def test_html_escapes_everything():
    page = render_html(hostile_report())
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>objects</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The only script is ours, and the page loads nothing from outside.
    assert page.count("<script>") == 1
    assert not re.search(r"(src|href)=[\"']?https?:", page)


def test_html_highlights_both_sides_with_the_same_passage_ids():
    report = hostile_report()
    assert report.passages
    page = render_html(report)
    source_part = page.split('id="source"')[1].split("</section>")[0]
    rewrite_part = page.split('id="rewrite"')[1].split("</section>")[0]
    for i in range(len(report.passages)):
        assert f'data-p="{i}"' in source_part and f'data-p="{i}"' in rewrite_part


def test_terminal_report_escapes_rich_markup():
    report = unspun.compare("[bold red]Markup[/] in the source text here.", "[bold red]Markup[/] in the source text here.", model="hash")
    buf = io.StringIO()
    render_terminal(report, Console(file=buf, width=120, color_system=None))
    out = buf.getvalue()
    assert "[bold red]Markup[/]" in out
    assert "verbatim" in out


def test_non_derived_report_says_so():
    report = unspun.compare("Cats sleep most of the day in warm places.", "Quarterly revenue rose by four percent.", model="hash")
    buf = io.StringIO()
    render_terminal(report, Console(file=buf, width=100, color_system=None))
    assert "non-derived" in buf.getvalue() and "No reused passage" in buf.getvalue()


def test_reuse_map_has_one_stroke_per_sentence_pair(seeds):
    report = unspun.compare(*seeds)
    page = render_html(report)
    svg = page[page.index("<svg") : page.index("</svg>")]
    strokes = svg.count("<line ")
    assert strokes == sum(len(p.pairs) for p in report.passages) > 0
    assert 'fill="#e74c3c"' in svg  # the dropped 13 January paragraph
    assert 'fill="#3498db"' in svg  # the added commentary
    # Only numbers and our own words in the drawing: nothing from the input.
    assert "Kazakhstan" not in svg

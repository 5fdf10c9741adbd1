"""A user's first hour with `unspun compare` (issue 18): every verdict says why, against the
thresholds it had to reach; the reports name documents by title or file name, keep the timing off
standard output, survive `| head`, cut passages between words, and the HTML report's colours
agree with its legend and say what, when and by which version it was made."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rich.console import Console

import unspun
from unspun.judge.shares import WHOLLY
from unspun.report.html import render_html
from unspun.report.reuse_map import KIND_COLOUR
from unspun.report.terminal import KIND_STYLE, _shorten, render_terminal
from unspun.types import Document

ROOT = Path(__file__).resolve().parents[1]
CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson"

PARAGRAPH = (
    "Around 500 workers from the Industry Trade Union of Fuel and Energy Complex Workers began strike action at "
    "West Oil Software on 11 December 2023 as part of an existing labour dispute. The company responded by firing "
    "dozens of them and filing complaints with the police against the union's leaders."
)
OTHER = (
    "The harvest in the northern valleys failed for the third year running, officials said on Tuesday. Farmers "
    "blamed a late frost and a dry spring for the losses, and asked the ministry for seed loans before the autumn."
)


def terminal(report, width: int = 160) -> tuple[str, str]:
    out, notes = io.StringIO(), io.StringIO()
    render_terminal(report, Console(file=out, width=width, color_system=None), notes=Console(file=notes, width=width, color_system=None))
    return out.getvalue(), notes.getvalue()


def flat(text: str) -> str:
    """Terminal text without the box's borders and line breaks, to find a wrapped line in."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "unspun.cli", *map(str, args)], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS="120"), timeout=300, **kwargs)


# Item 4: a reason with every verdict.


def test_an_unrelated_pairs_reason_names_the_closest_pair_and_what_it_fell_short_of(seeds):
    report = unspun.compare(seeds[0], CLOUGH / "orig_taska.txt")
    j, ev = report.judgement, report.judgement.evidence
    assert j.verdict == "non-derived"
    i, k = ev.closest
    assert f"the closest sentence pair (rewrite sentence {i + 1}, source sentence {k + 1}, similarity {ev.best:.2f})" in j.reason
    # What it fell short of, by the judge's own bars: the seed similarity or the pair's
    # restatement, the restated sentences needed, the document score's threshold.
    assert "falls short of the 0.62 at which a reused passage starts" in j.reason or f"probability only {ev.closest_probability:.2f}" in j.reason
    assert f"restated sentences: {ev.restated_aligned:.1f} expected in aligned passages, {ev.restated_needed:.1f} needed" in j.reason
    assert f"a score of {ev.probability:.2f}, under the {ev.threshold:.2f} needed" in j.reason
    assert ev.probability < ev.threshold and ev.restated_aligned < ev.restated_needed
    data = json.loads(report.to_json())
    assert data["reason"] == data["judgement"]["reason"] == data["judgement"]["evidence"]["reason"] == j.reason
    closest = data["judgement"]["evidence"]["closest"]
    assert (closest["rewrite_sentence"], closest["source_sentence"]) == (i + 1, k + 1)
    assert data["schema_version"] == 1  # a field added, the schema kept
    out, _ = terminal(report)
    assert "closest sentence pair" in flat(out) and "short of the evidence" in flat(out)
    assert "the closest sentence pair (rewrite sentence" in render_html(report)


def test_a_derived_pairs_reason_says_why_it_is_derived(seeds):
    report = unspun.compare(*seeds)
    j, ev = report.judgement, report.judgement.evidence
    assert j.verdict == "wholly-derived" and ev.decided_by in ("restated", "both")
    assert f"restated sentences: {ev.restated_aligned:.1f} expected in aligned passages, {ev.restated_needed:.1f} needed" in j.reason
    assert ev.restated_aligned >= ev.restated_needed
    assert f"{j.coverage['rewrite_share']:.0%} of the rewrite lies in reused passages, at least the {WHOLLY:.0%}" in j.reason
    if ev.decided_by == "both":
        assert f"a score of {ev.probability:.2f}, over the {ev.threshold:.2f} needed" in j.reason


def test_a_partly_derived_pairs_reason_says_what_it_fell_short_of():
    source = PARAGRAPH + "\n\n" + OTHER
    rewrite = PARAGRAPH + "\n\n" + " ".join([
        "Meanwhile the city council voted to close two libraries and a swimming pool to balance its budget.",
        "Residents gathered outside the town hall on Thursday evening to protest against the closures.",
        "The mayor said the decision was painful but that the council had no other choice this year.",
        "A petition against the plan has already collected more than four thousand signatures online.",
    ])
    report = unspun.compare(source, rewrite, model="hash")
    j = report.judgement
    assert j.verdict == "partially-derived", j.reason
    share = int(j.coverage["rewrite_share"] * 100)
    assert f"{share}% of the rewrite lies in reused passages, under the {WHOLLY:.0%} that would make it wholly derived" in j.reason


def test_every_verdict_has_a_reason_and_the_reports_show_it():
    for source, rewrite in ((PARAGRAPH, PARAGRAPH), (PARAGRAPH, OTHER)):
        report = unspun.compare(source, rewrite, model="hash")
        reason = report.judgement.reason
        assert reason and "\n" not in reason
        out, _ = terminal(report, width=400)
        assert "why" in out and reason in flat(out)
        assert f'<p class="why">why: {reason}</p>' in render_html(report)  # our own words: nothing to escape


# Item 7: the small ones.


def test_the_terminal_names_a_document_by_its_title_else_its_file_name(tmp_path):
    deep = tmp_path / "a" / "very" / "deep" / "folder"
    titled = Document(id=str(deep / "0f3a9c2e77.html"), text=PARAGRAPH, title="Kazakhstan: ITUC demands dialogue",
                      meta={"origin": str(deep / "0f3a9c2e77.html")})
    untitled = Document(id=str(deep / "9e1b7d.txt"), text=PARAGRAPH, meta={"origin": str(deep / "9e1b7d.txt")})
    out, _ = terminal(unspun.compare(titled, untitled, model="hash"))
    assert "(Kazakhstan: ITUC demands dialogue)" in out
    assert "(9e1b7d.txt)" in out
    assert str(deep) not in out and "0f3a9c2e77" not in out


def test_the_timing_line_goes_to_standard_error(seeds):
    report = unspun.compare(PARAGRAPH, PARAGRAPH, model="hash")
    out, notes = terminal(report)
    assert "model hash" in notes and " ms" in notes
    assert "model hash" not in out
    proc = cli("compare", *seeds, "--model", "hash")
    assert proc.returncode == 0, proc.stderr
    assert "; model hash" in proc.stderr and "; model hash" not in proc.stdout
    assert "verdict" in proc.stdout


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_a_closed_pipe_ends_quietly_with_status_0(seeds, extra):
    # `true` reads nothing and exits at once: every write unspun makes meets a closed pipe.
    command = " ".join([sys.executable, "-m", "unspun.cli", "compare", str(seeds[0]), str(seeds[1]), "--model", "hash", *extra])
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | true; echo status=${{PIPESTATUS[0]}}"],
                          capture_output=True, text=True, timeout=300)
    assert "status=0" in proc.stdout, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_a_closed_pipe_after_the_first_line_ends_quietly(seeds):
    command = f"{sys.executable} -m unspun.cli compare {seeds[0]} {seeds[1]} --model hash --full"
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1; echo status=${{PIPESTATUS[0]}}"],
                          capture_output=True, text=True, timeout=300)
    assert proc.stdout.splitlines()[0].startswith("╭") and "status=0" in proc.stdout, proc.stderr
    assert "Traceback" not in proc.stderr


def test_long_passages_are_cut_between_words():
    words = PARAGRAPH.split()
    for width in range(30, len(PARAGRAPH), 7):  # each half holds the longest word
        short = _shorten(PARAGRAPH, width)
        assert len(short) <= width and " […] " in short
        head, tail = short.split(" […] ")
        assert PARAGRAPH.startswith(head) and PARAGRAPH.endswith(tail)
        assert head.split() == words[: len(head.split())]
        assert tail.split() == words[len(words) - len(tail.split()):]
    assert _shorten("x" * 100, 21) == "x" * 8 + " […] " + "x" * 8  # one word longer than the width: cut it must be


def test_compare_help_is_a_short_description_and_an_epilog_on_the_output():
    from unspun.cli import build_parser

    parser = build_parser()
    compare = next(a for a in parser._subparsers._group_actions if a.dest == "command").choices["compare"]
    assert len(compare.description) <= 100
    proc = cli("compare", "--help")
    assert proc.returncode == 0
    description = proc.stdout.split("\n\n")[1]
    assert description == compare.description  # one short line, not a paragraph of 700 characters
    epilog = proc.stdout[proc.stdout.index("the report:"):]
    assert max(len(line) for line in epilog.splitlines()) <= 100
    for word in ("the report:", "verdict", "why", "standard error", "exit status", "UNSPUN_MAX_SENTENCES"):
        assert word in proc.stdout


def _verbatim_and_paraphrase_report():
    source = PARAGRAPH + "\n\n" + OTHER
    return unspun.compare(source, PARAGRAPH, model="hash")


def test_html_passage_colours_are_their_kinds_colours_as_the_legend_says(seeds):
    for report in (unspun.compare(*seeds, model="hash"), _verbatim_and_paraphrase_report()):
        assert report.passages
        page = render_html(report)
        legend = dict(re.findall(r'<span class="key" data-kind="([^"]+)"><span class="sw" style="--c:(#[0-9a-f]{6})"></span>', page))
        assert legend["verbatim"] == KIND_COLOUR["verbatim"] and set(legend) >= {"verbatim", "near-verbatim", "paraphrase"}
        for n, p in enumerate(report.passages):
            marks = set(re.findall(rf'<mark class="p[^"]*" data-p="{n}"[^>]* style="--c:(#[0-9a-f]{{6}})"', page))
            assert marks == {legend[p.kind]}, (n, p.kind, marks)
            strokes = set(re.findall(rf'stroke="(#[0-9a-f]{{6}})" stroke-width="3" stroke-linecap="round" data-p="{n}"', page))
            assert strokes == {legend[p.kind]}
            assert f'<tr data-p="{n}"><td><span class="sw" style="--c:{legend[p.kind]}">' in page
    assert "verbatim" in {p.kind for p in _verbatim_and_paraphrase_report().passages}
    # The terminal draws each kind in the same colour.
    assert all(KIND_COLOUR[k] in KIND_STYLE[k] for k in KIND_COLOUR)


def test_html_footer_says_version_date_and_digests_and_the_page_prints():
    report = unspun.compare(PARAGRAPH, PARAGRAPH + " " + OTHER, model="hash")
    page = render_html(report, made=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))
    footer = page[page.index("<footer>") : page.index("</footer>")]
    assert f"unspun {unspun.__version__}" in footer and "2026-01-02 03:04 UTC" in footer
    for doc in (report.source, report.rewrite):
        assert hashlib.sha256(doc.text.encode("utf-8")).hexdigest() in footer
    assert "@media print" in page and "max-height:none" in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", render_html(report))  # now, by default


def test_across_languages_the_reason_counts_translated_sentences():
    from unspun.judge.evidence import Evidence
    from unspun.judge.reason import Bars, reason

    ev = Evidence(sentences=4, closest=(2, 0), best=0.7, closest_probability=0.2, restated_aligned=0.4)
    text = reason(ev, "non-derived", 0.0, Bars(restated=1.5, score=0.23, seed=0.62, document=False))
    assert "(rewrite sentence 3, source sentence 1, similarity 0.70), but states the same thing with probability only 0.20" in text
    assert "translated sentences: 0.4 expected in aligned passages, 1.5 needed" in text
    assert "across languages only translated sentences decide" in text and "score of" not in text
    ev.restated_aligned, ev.decided_by = 3.0, "restated"
    text = reason(ev, "partially-derived", 0.695, Bars(restated=1.5, score=0.23, seed=0.62, document=False))
    assert text == ("translated sentences: 3.0 expected in aligned passages, 1.5 needed; "
                    "69% of the rewrite lies in reused passages, under the 70% that would make it wholly derived")

"""The demo: the ITUC release and the blog post that paraphrases it, with the real model."""

import pytest

import unspun
from unspun.segment import paragraphs


@pytest.fixture(scope="module")
def report(seeds):
    return unspun.compare(*seeds)


def covered(spans, start, end):
    """Characters of [start, end) inside any of the spans."""
    marks = bytearray(end - start)
    for s in spans:
        for k in range(max(s.start, start), min(s.end, end)):
            marks[k - start] = 1
    return sum(marks)


def test_verdict(report):
    assert report.verdict == "wholly-derived"
    assert report.judgement.coverage["rewrite_share"] >= 0.9
    assert report.judgement.level == "paraphrase"


def test_rewrite_body_is_covered(report):
    text = report.rewrite.text
    body_end = text.index("About Wiz Writer")
    body = [(i, c) for i, c in enumerate(text[:body_end]) if not c.isspace()]
    spans = [p.query_span for p in report.passages]
    inside = sum(1 for i, _ in body if any(s.start <= i < s.end for s in spans))
    assert inside / len(body) >= 0.9


def test_every_release_paragraph_but_two_is_overlapped(report):
    text = report.source.text
    spans = [p.source_span for p in report.passages]
    for para in paragraphs(text):
        words = text[para.start : para.end]
        hit = covered(spans, para.start, para.end) > 0
        if words.startswith("photo:"):
            continue
        if words.startswith("On 13 January"):
            assert not hit, "the dropped 13 January paragraph must not be inside a passage"
            continue
        assert hit, f"paragraph not overlapped: {words[:60]!r}"


def test_ilo_committee_sentence_is_aligned_despite_rewording(report):
    src, rw = report.source.text, report.rewrite.text
    s0 = src.index("The ILO Committee on the Applications")
    r0 = rw.index("He mentioned that the ILO Committee")
    pairs = [pair for p in report.passages for pair in p.pairs]
    assert any(q.start <= r0 < q.end and s.start <= s0 < s.end for q, s, _ in pairs)


def test_trailing_chrome_is_set_aside(report):
    text = report.rewrite.text
    start = text.index("About Wiz Writer")
    assert [(c.start, c.end) for c in report.rewrite.chrome] == [(start, len(text.rstrip()))]
    assert all(p.query_span.end <= start for p in report.passages)
    assert report.source.chrome == []


def test_keep_chrome_counts_the_trailer(seeds):
    kept = unspun.compare(*seeds, keep_chrome=True)
    assert kept.rewrite.chrome == []
    assert kept.judgement.coverage["rewrite_share"] < 0.7  # the trailer is 40% of the page


def test_control_is_non_derived(seeds, clough):
    report = unspun.compare(seeds[0], clough / "orig_taska.txt")
    assert report.verdict == "non-derived"
    assert report.passages == []


def test_report_json_roundtrip(report):
    import json

    data = json.loads(report.to_json())
    assert data["verdict"] == "wholly-derived"
    assert len(data["passages"]) == len(report.passages)
    assert data["chrome"]["rewrite"] == [[c.start, c.end] for c in report.rewrite.chrome]


def test_metadata_lines_of_the_seeds(report):
    # The headlines and the photo credit are metadata: not chrome (they stay in the shares), not body.
    src, rw = report.source, report.rewrite
    assert [src.text[s.start : s.end] for s in src.meta["metadata"]] == [
        src.text.splitlines()[0],
        "photo: IndustriAll",
    ]
    assert [rw.text[s.start : s.end] for s in rw.meta["metadata"]] == [rw.text.splitlines()[0]]


def test_reordered_reuse_is_found(seeds):
    """The rewrite's paragraphs in reverse order: still wholly derived, as several passages whose
    source order runs against the rewrite's."""
    rewrite = seeds[1].read_text(encoding="utf-8")
    body = rewrite[: rewrite.index("About Wiz Writer")].strip().split("\n\n")
    shuffled = "\n\n".join([body[0]] + body[1:][::-1])
    report = unspun.compare(seeds[0], shuffled)
    assert report.verdict == "wholly-derived"
    assert report.judgement.coverage["rewrite_share"] >= 0.9
    starts = [p.source_span.start for p in report.passages]  # passages come in rewrite order
    assert len(starts) >= 2 and starts != sorted(starts)


def test_split_and_merged_sentences_pair_up(report):
    """One release sentence split into two blog sentences comes out as one pair of one and two."""
    src, rw = report.source.text, report.rewrite.text
    pairs = [(q, s) for p in report.passages for q, s, _ in p.pairs]
    luc = src.index("Luc Triangle said:")
    split = [(q, s) for q, s in pairs if s.start <= luc < s.end]
    assert split
    q, _ = split[0]
    assert "This is mainly because" in rw[q.start : q.end]  # the second half of the split

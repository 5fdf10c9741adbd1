"""Direction of a verified pair (scan/direction.py): decided only on evidence a person would use
(dates, the marks a derived text leaves), said in one line, and otherwise left undirected."""

from __future__ import annotations

import csv

from unspun.read import read_path
from unspun.scan import direction, stages
from unspun.scan.direction import Dated, Marks, document_date, orient_pair, parse_date
from unspun.scan.stages import Packed
from unspun.types import Document

from .conftest import CLOUGH, SEEDS, need

ROW_KEYS = {"original", "derived", "direction", "directed", "direction_evidence"}


def verified(x: Document, y: Document) -> dict:
    [row] = stages.verify_rows([(x.id, y.id, 0.5, Packed.of(x), Packed.of(y))])
    return row


class FakeReport:
    """What verify_rows reads of a compare report, for pairs whose text does not matter."""

    verdict = "wholly-derived"
    passages: list = []

    def __init__(self, rewrite_share: float, source_share: float) -> None:
        self.judgement = type("J", (), {"coverage": {"rewrite_share": rewrite_share, "source_share": source_share}})


def fake_compare(monkeypatch, rewrite_share=1.0, source_share=1.0):
    monkeypatch.setattr("unspun.pipeline.compare", lambda s, r, model=None, **options: FakeReport(rewrite_share, source_share))


# -- the seed pair ------------------------------------------------------------------------------


def test_the_seed_release_is_the_original_of_the_blog_post():
    release, blog = (read_path(need(SEEDS / n)) for n in ("press-release.txt", "blog-rewrite.txt"))
    row = verified(blog, release)  # no dates: the text has to say it
    assert ROW_KEYS <= row.keys()
    assert (row["original"], row["derived"]) == ("press-release.txt", "blog-rewrite.txt")
    assert row["directed"] is True and row["direction"] == "evidence"
    assert "blog-rewrite.txt" in row["direction_evidence"] and "\n" not in row["direction_evidence"]


# -- dates ----------------------------------------------------------------------------------------


def test_a_date_line_at_the_top_of_a_plain_text_decides(monkeypatch):
    fake_compare(monkeypatch)
    early = Document(id="z-early.txt", text="Date: 12 January 2024\n\nWorkers went on strike.")
    late = Document(id="a-late.txt", text="Subject: strike\nDate: Mon, 15 Jan 2024 09:30:00 +0000\n\nWorkers struck.")
    row = verified(late, early)
    assert (row["original"], row["derived"], row["direction"], row["directed"]) == ("z-early.txt", "a-late.txt", "dated", True)
    assert row["direction_evidence"] == "dated 2024-01-12 before 2024-01-15"


def test_date_lines_are_read_only_at_the_top_and_only_when_they_parse():
    assert direction.date_line("Published: January 3, 2024\nText.") == "2024-01-03"
    assert direction.date_line("Title\n\nDate: 2024-02-01T10:00:00+02:00\n") == "2024-02-01T08:00:00"
    assert direction.date_line("\n".join(["line"] * 10) + "\nDate: 2024-01-01") is None  # not a header
    assert direction.date_line("Date: 11/01/2024\n") is None  # which month? orders nothing
    assert direction.date_line("Date: soon\n") is None
    assert parse_date("31 February 2024") is None and parse_date("3rd March 2023") == "2023-03-03"


def test_published_dates_in_metadata_decide(monkeypatch):
    fake_compare(monkeypatch, rewrite_share=0.5, source_share=0.5)
    a = Document(id="a", text="one text", published="2023-12-14T08:00:00Z")
    b = Document(id="b", text="another text", published="2023-12-11")
    row = verified(a, b)
    assert (row["original"], row["derived"], row["direction"]) == ("b", "a", "dated")
    assert row["direction_evidence"] == "published 2023-12-11 before 2023-12-14"


def test_a_date_and_a_time_on_that_day_are_no_order():
    dates = {"a": Dated("2024-01-12", "published"), "b": Dated("2024-01-12T10:00:00", "published")}
    got = orient_pair("a", "b", {"a": 0.5, "b": 0.5}, dates=dates)
    assert (got.directed, got.evidence, got.original) == (False, "", "a")


def test_warc_capture_times_only_bound_when_a_page_existed():
    def warc(doc_id, captured, page_date=None):
        return Document(id=doc_id, text="", published=captured, meta={"format": "warc", "page_date": page_date})

    assert document_date(warc("u", "2024-03-01T10:00:00Z", "2024-02-01")) == Dated("2024-02-01", "published")
    share = {"x": 0.5, "y": 0.5}
    same_crawl = {"x": document_date(warc("x", "2024-03-01T10:00:00Z")), "y": document_date(warc("y", "2024-03-01T11:00:00Z"))}
    assert not orient_pair("x", "y", share, dates=same_crawl).directed  # fetched hours apart, in any order
    apart = {"x": document_date(warc("x", "2024-05-01T10:00:00Z")), "y": document_date(warc("y", "2024-03-01T11:00:00Z"))}
    got = orient_pair("x", "y", share, dates=apart)
    assert (got.original, got.direction, got.evidence) == ("y", "dated", "captured 2024-03-01 11:00:00 before 2024-05-01 10:00:00")
    # Captured before the other says it was published: the captured page came first...
    before = {"x": Dated("2024-03-01T10:00:00", "captured"), "y": Dated("2024-04-02", "published")}
    got = orient_pair("x", "y", share, dates=before)
    assert (got.original, got.evidence) == ("x", "x captured 2024-03-01, before y was published 2024-04-02")
    # ...captured after it says nothing: the page may be older than its capture.
    after = {"x": Dated("2024-05-01T10:00:00", "captured"), "y": Dated("2024-04-02", "published")}
    assert not orient_pair("x", "y", share, dates=after).directed


# -- text evidence, and none ----------------------------------------------------------------------


def test_a_pair_without_evidence_stays_undirected_in_id_order(monkeypatch):
    fake_compare(monkeypatch)  # each wholly inside the other, no dates, no marks
    row = verified(Document(id="zeta", text="The same words."), Document(id="alpha", text="The same words!"))
    assert (row["original"], row["derived"], row["direction"]) == ("alpha", "zeta", "unknown")
    assert row["directed"] is False and row["direction_evidence"] == ""
    got = orient_pair("zeta", "alpha", {"zeta": 0.4, "alpha": 0.4}, marks={"zeta": Marks(), "alpha": Marks()})
    assert (got.original, got.derived, got.directed, got.evidence) == ("alpha", "zeta", False, "")


def test_marks_weigh_by_their_odds_and_contradictions_leave_it_open():
    share = {"o": 0.5, "d": 0.5}
    one = orient_pair("o", "d", share, marks={"o": Marks(facts=1), "d": Marks()})
    assert not one.directed  # one dropped detail is no 19-to-1 case
    many = orient_pair("o", "d", share, marks={"o": Marks(facts=4), "d": Marks(typos=1)})
    assert (many.original, many.derived, many.direction) == ("o", "d", "evidence")
    assert many.evidence == "d drops 4 details the other has (has 0 of its own); has 1 misspelt word more"
    # Strong marks both ways: each reading has the odds on its own, so neither is claimed.
    torn = orient_pair("o", "d", share, marks={"o": Marks(facts=12, damage=2), "d": Marks(omitted=9)})
    assert not torn.directed
    # Containment alone still decides (the rule before the marks), unless a mark says otherwise.
    inside = {"o": 0.56, "d": 1.0}
    length = {"o": 3098, "d": 1243}
    assert orient_pair("o", "d", inside, length).astuple() == ("o", "d", "evidence")
    assert not orient_pair("o", "d", inside, length, marks={"o": Marks(), "d": Marks(facts=1)}).directed


def test_the_large_lists_frequencies_are_wordfreqs_for_lower_case_words():
    """The misspelling check reads wordfreq's large list directly instead of through
    zipf_frequency (which tokenizes first): the same value for every lower-case a-z word and edit."""
    from wordfreq import zipf_frequency

    words = ["already", "allready", "similer", "similar", "weighting", "subsets", "the", "zzzzq", "strike"]
    for word in words:
        for v in [word, *direction._edits(word)]:
            assert direction._zipf_large(v) == zipf_frequency(v, "en", wordlist="large"), v


def test_misspellings_are_words_far_rarer_than_one_a_letter_away():
    text = "We have allready seen that the weighting of subsets is similer to the rest of the model here."
    assert direction.misspellings(text, "") == 2  # allready, similer; not weighting or subsets
    assert direction.misspellings(text, "it is similer") == 1  # the other text spells it so too
    assert direction.misspellings("Die Arbeiter streikten allready seit Wochen gegen den Konzern.", "") == 0


def test_the_old_orient_still_answers_a_three_tuple():
    assert stages.orient("a", "2024-03-02", "b", "2024-03-05", {"a": 0.9, "b": 0.2}) == ("a", "b", "dated")
    assert stages.orient("a", "not a date", "b", "2024-03-05", {"a": 0.3, "b": 0.3}) == ("a", "b", "unknown")


# -- the Clough answers: decided share and none wrong ------------------------------------------


def clough_pairs(tasks: str):
    with open(need(CLOUGH / "file_information.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Task"] in tasks and r["Category"] in ("cut", "light", "heavy")]
    originals = {t: read_path(CLOUGH / f"orig_task{t}.txt") for t in tasks}
    for r in rows:
        yield originals[r["Task"]], read_path(CLOUGH / r["File"])


def gate(tasks: str) -> tuple[int, int, int]:
    rows = [(o.id, a.id, 0.5, Packed.of(o), Packed.of(a)) for o, a in clough_pairs(tasks)]
    truth = {frozenset((o, a)): o for o, a, *_ in rows}
    verified = list(stages.verify_rows(rows))
    decided = [r for r in verified if r["directed"]]
    wrong = [r for r in decided if r["original"] != truth[frozenset((r["original"], r["derived"]))]]
    return len(verified), len(decided), len(wrong)


def test_clough_answers_are_decided_and_never_backwards():
    # Measured: tasks a-c (the half the weights were fitted on) 23 of 30 pairs decided, d-e (held
    # out from the fit) 20 of 25; none backwards. (24 and 21 before the fact extractor stopped
    # taking sentence-opening adverbs and contractions for names: one pair of each fell below
    # the odds the direction needs, on its omitted details.) About 15 s: one compare per answer.
    for tasks in ("abc", "de"):
        pairs, decided, wrong = gate(tasks)
        assert pairs >= 25 and wrong == 0 and decided >= 0.75 * pairs, tasks


def test_two_texts_derived_from_a_third_are_left_undirected():
    from unspun.scan.stages import undirect_siblings

    def row(original, derived, direction="evidence", spans=None):
        return {"original": original, "derived": derived, "direction": direction, "directed": direction != "unknown",
                "direction_evidence": "marks", "rewrite_share": 0.9, "source_share": 0.4,
                "passage_spans": spans or []}

    span = {"original_start": 0, "original_end": 10, "derived_start": 5, "derived_end": 15, "kind": "paraphrase", "score": 0.8}
    pairs = [row("orig", "b-answer"), row("orig", "a-answer"), row("b-answer", "a-answer", spans=[span]),
             row("orig", "c-answer"), row("c-answer", "d-dated", "dated")]
    out = {(r["original"], r["derived"]): r for r in undirect_siblings(pairs)}
    sibling = out[("a-answer", "b-answer")]  # sorted ids now, shares and spans swapped with them
    assert not sibling["directed"] and sibling["direction"] == "unknown"
    assert sibling["direction_evidence"] == "both derive from orig"
    assert (sibling["rewrite_share"], sibling["source_share"]) == (0.4, 0.9)
    assert sibling["passage_spans"][0]["original_start"] == 5 and sibling["passage_spans"][0]["derived_start"] == 0
    assert out[("orig", "a-answer")]["directed"] and out[("orig", "b-answer")]["directed"]
    assert out[("c-answer", "d-dated")]["directed"]  # dates keep their order

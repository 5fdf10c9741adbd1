"""Fidelity: dropped, changed, damaged, additions and attribution."""

import pytest

import unspun
from unspun.fidelity.attribution import attribution
from unspun.fidelity.changes import NameBook, compare_pair
from unspun.fidelity.damage import damaged
from unspun.read import read_text
from unspun.types import Span


@pytest.fixture(scope="module")
def seed_report(seeds):
    return unspun.compare(*seeds)


def covers(spans, start, end):
    return any(s[0] <= start and end <= s[1] for s in spans)


def test_seed_dropped_is_the_13_january_sentence(seed_report):
    f = seed_report.to_dict()["fidelity"]
    src = seed_report.source.text
    start = src.index("On 13 January")
    dropped = [d for d in f["dropped"] if d["source"][0] <= start < d["source"][1]]
    assert dropped, f["dropped"]
    values = {x["value"] for x in dropped[0]["facts"]}
    assert {"13 January", "seven"} <= values
    assert [d["text"][:13] for d in f["dropped"]] == ["On 13 January"]


def test_seed_equivalent_forms_are_not_changes(seed_report):
    changed = seed_report.to_dict()["fidelity"]["changed"]
    values = " ".join(c["source_value"] + " " + c["rewrite_value"] for c in changed)
    assert "December" not in values and "500" not in values
    assert all(c["kind"] != "number" and c["kind"] != "date" for c in changed)


def test_seed_damaged_sentences(seed_report):
    damaged_items = seed_report.to_dict()["fidelity"]["damaged"]
    texts = [d["text"] for d in damaged_items]
    assert "respecting basic human rights." in texts
    assert any(t.endswith("a choice for oppression over.") for t in texts)
    rw = seed_report.rewrite.text
    for d in damaged_items:
        assert rw[d["rewrite"][0] : d["rewrite"][1]] == d["text"]


def test_seed_additions(seed_report):
    additions = seed_report.to_dict()["fidelity"]["additions"]
    rw = seed_report.rewrite.text
    chrome = [a["rewrite"] for a in additions if a["kind"] == "chrome"]
    for marker in ("About Wiz Writer", "Recent Posts", "This website uses cookies."):
        at = rw.index(marker)
        assert covers(chrome, at, at + len(marker)), marker
    content = [a for a in additions if a["kind"] == "content"]
    assert any(a["text"].startswith("The ITUC’s demand to remove sanctions and promote talking is a reminder") for a in content)
    assert all(a["rewrite"][1] <= rw.index("About Wiz Writer") for a in content)


def test_seed_attribution(seed_report):
    a = seed_report.to_dict()["fidelity"]["attribution"]
    assert a["credited"] is False
    assert a["names_source_org"] is True
    assert any(e["text"] == "ITUC" for e in a["evidence"])


def test_explicit_credit_is_found():
    source = read_text("The ITUC condemns the violations. The ITUC said more. " * 2, doc_id="s")
    for credit in ("Source: ITUC", "according to a statement by the ITUC", "originally published by ITUC"):
        rewrite = read_text(f"Workers protested again this week, {credit}.", doc_id="r")
        a = attribution(source, rewrite)
        assert a.credited, credit
    actor = read_text("The ITUC called for the sanctions to be dropped.", doc_id="r")
    a = attribution(source, actor)
    assert a.names_source_org and not a.credited


def test_link_and_given_url_count_as_credit():
    source = read_text("A statement about the strike, long enough.", doc_id="s")
    rewrite = read_text("Read the original at https://www.ituc-csi.org/kazakhstan-strike today.", doc_id="r")
    assert attribution(source, rewrite, url="https://www.ituc-csi.org/kazakhstan-strike").credited
    domain_only = read_text("More on ituc-csi.org.", doc_id="r")
    assert attribution(source, domain_only, url="https://www.ituc-csi.org/kazakhstan-strike").credited


@pytest.mark.parametrize(
    "source, rewrite, kind",
    [
        ("The court ruled the strike illegal on 11 December 2023.", "The court ruled the strike legal on 11 December 2023.", "negation"),
        ("Around 500 workers went on strike.", "Around 700 workers went on strike.", "number"),
        ("Seven workers were questioned on 13 January.", "Seven workers were questioned on 13 February.", "date"),
        ("The patent is assigned to Stanford University.", "The patent is assigned to Harvard University.", "name"),
        ("Triangle said: “We urge the government to act.”", "Triangle said: “We order the government to act.”", "quote"),
    ],
)
def test_single_edits_are_flagged(source, rewrite, kind):
    changes = compare_pair(source, Span(0, len(source)), rewrite, Span(0, len(rewrite)), NameBook(source), NameBook(rewrite))
    assert [c.kind for c in changes] == [kind]
    c = changes[0]
    assert source[c.source.start : c.source.end] and rewrite[c.rewrite.start : c.rewrite.end]


@pytest.mark.parametrize(
    "source, rewrite",
    [
        ("Strike action began on 11 December 2023.", "Strike action began on December 11, 2023."),
        ("Around 500 workers went on strike.", "Approximately 500 workers went on strike."),
        ("Seven workers were questioned.", "7 workers were questioned."),
        ("The ITUC condemned it.", "The International Trade Union Confederation (ITUC) condemned it."),
        ("Luc Triangle wrote to the President.", "Triangle wrote to the President."),
    ],
)
def test_equivalent_forms_are_not_flagged(source, rewrite):
    changes = compare_pair(source, Span(0, len(source)), rewrite, Span(0, len(rewrite)), NameBook(source), NameBook(rewrite))
    assert changes == []


def test_stranded_preposition_is_not_damage_unless_the_source_goes_on():
    text = "This is the tool we were looking for."
    assert damaged(text, Span(0, len(text)), "This is the tool we were looking for.") == []
    cut = "It shows a choice for oppression over."
    assert damaged(cut, Span(0, len(cut)), "the government chooses repression over respect of rights")[0].kind == "cut-off"
    assert damaged("He left and.", Span(0, 12), None)[0].kind == "cut-off"


def test_verbatim_clough_copies_show_no_changes(clough):
    for name in ("g0pA_taskb.txt", "g4pC_taska.txt", "g3pC_taska.txt", "g0pE_taske.txt"):
        report = unspun.compare(clough / "orig_taskb.txt" if "taskb" in name else clough / f"orig_task{name[-5]}.txt", clough / name)
        assert report.judgement.facts == [], name


def test_non_derived_report_has_no_fidelity_lists():
    report = unspun.compare("Cats sleep most of the day in warm places.", "Quarterly revenue rose by four percent.", model="hash")
    f = report.to_dict()["fidelity"]
    assert f["dropped"] == f["changed"] == f["additions"] == []
    assert set(f["attribution"]) >= {"credited", "names_source_org", "evidence"}


def test_a_source_url_that_is_no_url_is_looked_for_as_text():
    # urlparse raises on an unclosed IPv6 bracket; the web service got a 500 from it (schemathesis).
    from unspun.types import Document

    source = Document(id="s", text="Workers went on strike.")
    rewrite = Document(id="r", text="Workers went on strike, says http://[x.")
    found = attribution(source, rewrite, url="http://[x")
    assert found.credited and found.evidence[0].kind == "link"
    assert not attribution(source, Document(id="r", text="Workers struck."), url="]]::[").credited


def test_a_run_of_loose_sentences_has_its_sentences_facts():
    """An unpaired run's facts are read sentence by sentence: read as one chunk, a name ran on
    across a full stop ("Land Rover. Among"), as on pan13's source documents."""
    from unspun.fidelity import unpaired
    from unspun.segment import body_segments
    from unspun.types import Document

    text = ("The first vehicles were built by Land Rover. Among the buyers were farmers in Wales. "
            "Maurice Wilks drew it on a beach in 1947.")
    doc = Document(id="d", text=text)
    [run] = unpaired(doc, body_segments(doc), [], "source")
    assert run.span == Span(0, len(text))
    names = [f.value for f in run.facts if f.kind == "name"]
    assert names == ["Land Rover", "Wales", "Maurice Wilks"]
    assert [f.value for f in run.facts if f.kind == "date"] == ["1947"]


def test_loose_sentences_facts_are_the_same_when_remembered(seeds):
    """A sentence's facts are remembered per text, by its span and side: a trace leaves mostly the
    same query sentences loose against each source. Asked again, for another side and with other
    runs around them, they are what reading each sentence now gives."""
    from unspun.fidelity import unpaired
    from unspun.fidelity.facts import extract
    from unspun.segment import body_segments
    from unspun.types import Document, FactRef

    doc = Document(id="d", text=seeds[0].read_text(encoding="utf-8"))
    segments = body_segments(doc)
    sentences = [seg for seg in segments if seg.kind == "sentence"]
    every = 0
    for side, paired in (("source", []), ("rewrite", []), ("source", [s.span for s in sentences[::3]])):
        for run in unpaired(doc, segments, paired, side):
            plain = tuple(FactRef(f.kind, f.text, side, f.span) for seg in sentences
                          if run.span.start <= seg.span.start < run.span.end
                          for f in extract(doc.text, seg.span.start, seg.span.end).all())
            assert run.facts == plain
            every += len(plain)
    assert every > 20

"""Credit on real pages: same-story pages of the article-extraction set compared both ways.

A credit check must not say what is not there: "names Billboard in the story" when the rewrite
only has "FL" (Florida, in Billboard's tour dates), "names Al Jazeera" when it has "NASA". The
truth below is by hand, from reading each rewrite page (its text and its links) for its source's
publisher: of the 32 ordered pairs only cleveland.com credits another page's publisher ("Rolling
Stone reported details of the reunion tour", with a link to the Rolling Stone article).
"""

from __future__ import annotations

import io
import itertools
import re

import pytest
from rich.console import Console

import unspun
from unspun.fidelity.attribution import attribution, publisher_names, speaker
from unspun.read import read_text
from unspun.report import render_html, render_terminal
from unspun.types import Document

from .conftest import DATA, need

PAGES = DATA / "article-extraction" / "html"

# Same-story groups, checked by reading (truth.jsonl's URL and the body of each page).
GROUPS = {
    "Doobie Brothers reunion tour": ["35b15891", "9cb8224b", "ac1bfdd4"],  # cleveland, billboard, rollingstone
    "NASA adds commercial lunar landers": ["42aad16b", "d1c57d78"],  # aljazeera, spacenews
    "South Dakota 'Meth. We're on it.'": ["156770d6", "3f65af7b", "c13b9c0e"],  # thehill, nj.com, spokesman
    "hibernating astronauts (ESA study)": ["b37be353", "e1c7023e"],  # ctvnews, phys.org
    "bubonic plague in Beijing / Inner Mongolia": ["8b194530", "ea25dd7e"],  # thesun, smithsonianmag
    "feather duvet lung": ["7bb1ca90", "9eef8162"],  # gizmodo, msn
    "Google Stadia launch": ["042bb7b5", "8267acac", "aade2ec8"],  # wsj, hollywoodreporter, mspoweruser
    "Hong Kong Polytechnic siege": ["5fa3154e", "624fcd90"],  # guardian, express
    "Prince Andrew's BBC interview": ["1f765c48", "87bf6057"],  # sputniknews, washingtonexaminer
    "Volker and Morrison impeachment hearing": ["c90731f0", "7a664e40"],  # deccanherald, cbsnews
}

# Each page's publisher as a reader would write it (site name, the host's name, the short forms).
ALIASES = {
    "35b15891": {"cleveland.com", "Cleveland", "The Plain Dealer"},
    "9cb8224b": {"Billboard", "billboard.com"},
    "ac1bfdd4": {"Rolling Stone", "rollingstone.com"},
    "42aad16b": {"Al Jazeera", "aljazeera.com"},
    "d1c57d78": {"SpaceNews", "SpaceNews.com", "spacenews.com"},
    "156770d6": {"The Hill", "thehill.com"},
    "3f65af7b": {"nj.com", "NJ Advance Media", "Nj"},
    "c13b9c0e": {"The Spokesman-Review", "Spokesman-Review", "spokesman.com"},
    "b37be353": {"CTV News", "CTV", "ctvnews.ca"},
    "e1c7023e": {"Phys.org", "phys.org"},
    "8b194530": {"The Sun", "thesun.co.uk"},
    "ea25dd7e": {"Smithsonian", "Smithsonian.com", "Smithsonian Magazine", "smithsonianmag.com"},
    "7bb1ca90": {"Gizmodo", "gizmodo.com"},
    "9eef8162": {"MSN", "msn.com"},
    "042bb7b5": {"Wall Street Journal", "The Wall Street Journal", "WSJ", "wsj.com"},
    "8267acac": {"The Hollywood Reporter", "Hollywood Reporter", "hollywoodreporter.com"},
    "aade2ec8": {"MSPoweruser", "mspoweruser.com"},
    "5fa3154e": {"The Guardian", "theguardian.com"},
    "624fcd90": {"Express.co.uk", "Express", "express.co.uk"},
    "1f765c48": {"SputnikInt", "Sputnik", "Sputnik News", "sputniknews.com"},
    "87bf6057": {"Washington Examiner", "washingtonexaminer.com"},
    "c90731f0": {"DH News Service", "Deccan Herald", "deccanherald.com"},
    "7a664e40": {"CBS News", "CBS", "cbsnews.com"},
}

# (source, rewrite) -> (credited, names_source_org), by hand. Absent pairs: neither (the rewrite
# neither names, links to nor credits the source's publisher).
TRUTH = {
    ("ac1bfdd4", "35b15891"): (True, True),  # cleveland.com: "Rolling Stone reported details of the reunion tour"
}

PAIRS = [pair for ids in GROUPS.values() for pair in itertools.permutations(ids, 2)]


def page(prefix: str):
    found = sorted(need(PAGES).glob(prefix + "*.html"))
    assert len(found) == 1, prefix
    return found[0]


@pytest.fixture(scope="module")
def compared():
    cache: dict[tuple[str, str], unspun.Report] = {}

    def get(a: str, b: str) -> unspun.Report:
        if (a, b) not in cache:
            cache[a, b] = unspun.compare(page(a), page(b))
        return cache[a, b]

    return get


def is_alias(text: str, source: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text) for alias in ALIASES[source])


def sentences(report) -> str:
    buf = io.StringIO()
    render_terminal(report, Console(file=buf, width=200, color_system=None))
    return buf.getvalue() + render_html(report)


def test_billboard_tour_dates_are_not_billboard(compared):
    """Rolling Stone's tour dates say "Tampa, FL": Billboard uses "FL" most, but FL is not Billboard."""
    report = compared("9cb8224b", "ac1bfdd4")
    a = report.to_dict()["fidelity"]["attribution"]
    assert "FL" in report.rewrite.text
    assert not any(e["text"] == "FL" or "FL" in e["text"] for e in a["evidence"]), a["evidence"]
    assert a["names_source_org"] is False and a["credited"] is False
    out = sentences(report)
    assert "names Billboard" not in out and "names FL" not in out
    # Nor does Billboard's "FL" credit Rolling Stone ("Credit Union Amphitheatre, Tampa, FL").
    a = compared("ac1bfdd4", "9cb8224b").to_dict()["fidelity"]["attribution"]
    assert a["credited"] is False and a["evidence"] == []


def test_nasa_is_not_al_jazeera(compared):
    """Both pages are about NASA; neither publisher is NASA."""
    for a_id, b_id in (("42aad16b", "d1c57d78"), ("d1c57d78", "42aad16b")):
        report = compared(a_id, b_id)
        a = report.to_dict()["fidelity"]["attribution"]
        assert "NASA" in report.rewrite.text
        assert not any("NASA" in e["text"] for e in a["evidence"]), a["evidence"]
        assert a["names_source_org"] is False
        out = sentences(report)
        assert "in the story" not in out and "names NASA" not in out


def test_rolling_stone_reported_is_credit_and_says_what_it_found(compared):
    report = compared("ac1bfdd4", "35b15891")
    a = report.to_dict()["fidelity"]["attribution"]
    assert a["credited"] and a["names_source_org"]
    assert [(e["kind"], e["text"]) for e in a["evidence"]] == [("credit", "Rolling Stone reported")]
    assert a["publisher"] == "Rolling Stone"
    assert "names Rolling Stone in the story" in sentences(report)


@pytest.mark.parametrize("source, rewrite", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_same_story_pairs_match_hand_truth(compared, source, rewrite):
    report = compared(source, rewrite)
    a = report.to_dict()["fidelity"]["attribution"]
    assert (a["credited"], a["names_source_org"]) == TRUTH.get((source, rewrite), (False, False)), a
    text = report.rewrite.text
    for e in a["evidence"]:
        assert text[e["rewrite"][0] : e["rewrite"][1]] == e["text"]
        if e["kind"] in ("names-org", "credit"):
            assert is_alias(e["text"], source), (e, ALIASES[source])
    if a["names_source_org"]:
        # The sentence names what was found, and what was found is the source's publisher.
        assert a["publisher"] in {e["text"] for e in a["evidence"] if e["kind"] == "names-org"} or any(
            a["publisher"] in e["text"] for e in a["evidence"] if e["kind"] == "credit"
        )
        assert a["publisher"] in ALIASES[source]


# Hand-written texts: the rule itself.


def doc(text: str, **meta) -> Document:
    d = read_text(text, doc_id="s")
    d.meta.update(meta)
    return d


TOUR = ("The band will tour in 2020.\nJune 3 - Tampa, FL\nJune 4 - Miami, FL\nJune 6 - Atlanta, GA\n"
        "Tickets go on sale Friday through Live Nation.")


def test_an_acronym_used_most_is_not_the_publisher():
    assert publisher_names(doc(TOUR)) == []
    assert publisher_names(doc(TOUR, sitename="Billboard")) == ["Billboard"]
    nasa = doc("WASHINGTON — NASA announced Nov. 18 that it was adding five companies to a contract. "
               "NASA said the companies could bid on deliveries. NASA plans more.")
    assert speaker(nasa) is None and publisher_names(nasa) == []
    rewrite = read_text("NASA picked five more firms for moon deliveries, with shows in Tampa, FL.", doc_id="r")
    for source in (doc(TOUR, sitename="Billboard"), nasa):
        a = attribution(source, rewrite)
        assert not a.names_source_org and not a.credited and a.evidence == []


def test_a_release_speaks_for_its_publisher():
    release = doc("Kazakhstan: ITUC demands dialogue\n\nphoto: IndustriAll\n\n"
                  "The ITUC condemns the violations of workers rights in a labour dispute at a company in Kazakhstan.\n\n"
                  "ITUC General Secretary Luc Triangle said more.")
    assert speaker(release) == "ITUC"
    assert publisher_names(release) == ["ITUC"]
    announced = doc("BAAR, SWITZERLAND\n\nAscom today announced a new partnership with a producer of medical "
                    "technology in North America.\n\nAscom is a global solutions provider.")
    assert speaker(announced) == "Ascom"
    about = doc("The new plant opens in May after two years of building work in the north of the town.\n\n"
                "About Acme Widgets\nAcme Widgets makes widgets.")
    assert speaker(about) == "Acme Widgets"
    assert speaker(doc("Read on for the whole story, told by our staff in some detail today.\n\nAbout Us\nUs.")) is None
    # The page's own metadata outranks the voice in its text.
    assert publisher_names(doc(release.text, sitename="Example Wire")) == ["Example Wire"]


def test_a_name_the_source_expands_is_an_alias():
    source = doc("The International Trade Union Confederation (ITUC) condemns the violations of workers rights today. "
                 "The ITUC said more about the dispute.")
    assert publisher_names(source) == ["ITUC", "International Trade Union Confederation"]
    rewrite = read_text("The International Trade Union Confederation called for the sanctions to be dropped.", doc_id="r")
    a = attribution(source, rewrite)
    assert a.names_source_org and not a.credited
    assert [e.text for e in a.evidence] == ["International Trade Union Confederation"]
    assert a.publisher == "International Trade Union Confederation"  # what the report prints: what was found


def test_site_and_host_names():
    story = doc("Tour dates were announced on Monday for the band's anniversary across North America.")
    assert publisher_names(story, url="https://www.rollingstone.com/music/x",
                           also_in="Rolling Stone reported the tour.") == ["Rolling Stone"]
    # One plain word that only spells the host is a place or a word, not the publisher's name.
    assert publisher_names(story, url="https://www.cleveland.com/x", also_in="Cleveland fans cheered.") == []
    assert publisher_names(doc(story.text, sitename="SpaceNews.com")) == ["SpaceNews.com", "SpaceNews"]
    assert publisher_names(doc(story.text, sitename="The Hollywood Reporter")) == [
        "The Hollywood Reporter", "Hollywood Reporter"]
    assert publisher_names(doc(story.text, sitename="The Guardian")) == ["The Guardian"]
    assert publisher_names(story, "ITUC", url="https://www.thesun.co.uk/news/1",
                           also_in="The Sun said so.") == ["ITUC", "The Sun"]
    rewrite = read_text("The Hollywood Reporter polled Hollywood Reporter readers.", doc_id="r")
    a = attribution(doc(story.text, sitename="The Hollywood Reporter"), rewrite)
    assert [(e.kind, e.text) for e in a.evidence] == [
        ("names-org", "The Hollywood Reporter"), ("names-org", "Hollywood Reporter")]


def test_credit_after_the_name():
    source = doc("A story long enough to have a lead sentence, about the band and its tour dates.",
                 sitename="Rolling Stone")
    for said, credited in (("Rolling Stone reported the dates.", True), ("Rolling Stone first reported it.", True),
                           ("The band told Rolling Stone about it.", False)):
        a = attribution(source, read_text(said, doc_id="r"))
        assert a.names_source_org and a.credited is credited, said


def test_a_url_without_a_name_leaves_the_release_its_voice():
    release = doc("The ITUC condemns the violations of workers rights in a labour dispute at a company in Kazakhstan. "
                  "The ITUC said more.")
    assert publisher_names(release, url="https://www.ituc-csi.org/kazakhstan-strike") == ["ITUC"]
    assert publisher_names(release, url="https://www.ituc-csi.org/x", also_in="See ITUC-CSI.") == ["ITUC-CSI"]

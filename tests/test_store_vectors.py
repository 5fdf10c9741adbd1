"""An index built --vectors: the sentence model's vectors stored, and a trace that embeds only its query."""

import re
import sqlite3

import numpy as np
import pytest

from unspun.read import read_text
from unspun.represent import stored
from unspun.represent.embedder import DEFAULT_MODEL, get_embedder
from unspun.segment import body_texts
from unspun.store import Index

from .test_store import STORY, docs

PARAPHRASE = (
    "The dispute involves approximately 500 workers affiliated with the Industry Trade Union of Fuel and "
    "Energy Complex Workers, who initiated a strike at West Oil Software on December 11, 2023. However, "
    "a local court swiftly declared the strike illegal on the same day, with no representation from trade unions."
)


@pytest.fixture
def embedded(monkeypatch):
    """The texts the default model embeds from now on (its cache emptied first)."""
    embedder = get_embedder(DEFAULT_MODEL)
    embedder._cache.clear()
    seen: list[str] = []
    real = embedder._embed

    def spy(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedder, "_embed", spy)
    return seen


def story_sentences() -> list[str]:
    from unspun.clean import mark_chrome

    return body_texts(mark_chrome(read_text(STORY, doc_id="release.txt")))


def test_stored_vectors_keep_cosines():
    texts = story_sentences() + [PARAPHRASE]
    vectors = get_embedder(DEFAULT_MODEL).embed(texts)
    again = stored.unpack(stored.pack(vectors), vectors.shape[1])
    assert again.shape == vectors.shape
    assert np.abs(again @ again.T - vectors @ vectors.T).max() < 0.01
    with pytest.raises(ValueError):
        stored.unpack(stored.pack(vectors)[:-1], vectors.shape[1])


def test_a_trace_embeds_only_its_query_and_finds_what_it_found_before(tmp_path, embedded):
    with Index(tmp_path / "plain") as ix:
        ix.add(docs())
        embedded.clear()
        get_embedder(DEFAULT_MODEL)._cache.clear()
        before = ix.trace(PARAPHRASE, top=3)
    assert set(story_sentences()) & set(embedded), "without vectors the source is embedded"
    with Index(tmp_path / "vec") as ix:
        ix.add(docs(), vectors=True)
        stats = ix.stats()
        assert stats["vectors"] == DEFAULT_MODEL and stats["documents_with_vectors"] == 4
        get_embedder(DEFAULT_MODEL)._cache.clear()
        embedded.clear()
        after = ix.trace(PARAPHRASE, top=3)
    assert embedded and not set(story_sentences()) & set(embedded)
    first, again = before.sources[0], after.sources[0]
    assert again.id == first.id == "release.txt"
    assert again.verdict == first.verdict
    assert len(again.report.passages) == len(first.report.passages)
    share = "rewrite_share"
    assert abs(again.report.judgement.coverage[share] - first.report.judgement.coverage[share]) < 0.01


def test_a_source_page_with_chrome_gives_its_stored_vectors_too(tmp_path, embedded):
    """A source's stored vectors are of its sentences outside its chrome. Most sources have
    none, and their sentences are taken as they are; a page with a menu and a footer has its
    chrome found again, and its vectors are used as well: only the query is embedded."""
    from unspun.clean import mark_chrome

    page = ("Home\nNews\nSport\nWeather\nSign in\nSubscribe to our newsletter\n\n" + STORY
            + "\n\nShare this article\nFacebook\nTwitter\nCopyright 2024 Example Media. All rights reserved.\n"
            "Privacy policy\nCookie settings\n")
    assert mark_chrome(read_text(page, doc_id="page.txt")).chrome, "the page has chrome"
    with Index(tmp_path / "vec") as ix:
        ix.add([read_text(page, doc_id="page.txt")] + docs()[1:], vectors=True)
        get_embedder(DEFAULT_MODEL)._cache.clear()
        embedded.clear()
        result = ix.trace(PARAPHRASE, top=3)
    assert result.sources[0].id == "page.txt" and result.sources[0].verdict != "non-derived"
    assert embedded and not set(story_sentences()) & set(embedded)


def test_vectors_turned_on_later_reach_the_documents_already_there(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
        assert ix.stats()["vectors"] is None and ix.stats()["documents_with_vectors"] == 0
        again = ix.add(docs(), vectors=True)
        assert (again.added, again.replaced, again.unchanged) == (0, 0, 4)
        assert ix.stats()["documents_with_vectors"] == 4
        # Remembered: a later add stores them without being asked, a changed text gets new ones.
        changed = ix.add([read_text(STORY + " The union will appeal.", doc_id="release.txt")])
        assert changed.replaced == 1
        rowid = ix.db.execute("SELECT rowid FROM docs WHERE id = 'release.txt'").fetchone()[0]
        digest, vectors = ix.stored_vectors(rowid, DEFAULT_MODEL)
        from unspun.clean import mark_chrome

        texts = body_texts(mark_chrome(read_text(STORY + " The union will appeal.", doc_id="release.txt")))
        assert digest == stored.digest(texts) and len(vectors) == len(texts)
        assert ix.stored_vectors(rowid, "minilm") is None  # another model's cache gets nothing


def test_vectors_of_other_sentences_are_never_used(tmp_path, embedded):
    # A digest that does not match the sentences as segmented now (a segmenter changed since the
    # index was built): the source is embedded, not given vectors in the wrong places.
    with Index(tmp_path / "idx") as ix:
        ix.add(docs(), vectors=True)
        ix.db.execute("UPDATE vectors SET digest = 'stale'")
        get_embedder(DEFAULT_MODEL)._cache.clear()
        embedded.clear()
        assert ix.trace(PARAPHRASE, top=3).sources[0].id == "release.txt"
    assert set(story_sentences()) & set(embedded)


def test_vectors_of_another_version_of_the_model_are_not_used_and_indexing_again_refreshes_them(
    tmp_path, embedded, capsys
):
    # An index built before the int8 model's weights became 7-bit holds "minilm-int8" vectors
    # of other weights: nothing in the name says so. They are stored under the model's version.
    from unspun.cli import main

    version = get_embedder(DEFAULT_MODEL).version
    assert version.startswith(DEFAULT_MODEL + ":") and version != get_embedder("minilm").version
    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in docs():
        (folder / doc.id).write_text(doc.text)
    with Index(tmp_path / "idx") as ix:
        ix.add(docs(), vectors=True)
        assert ix.stats()["documents_with_stale_vectors"] == 0
        assert set(ix.db.execute("SELECT DISTINCT model FROM vectors").fetchall()) == {(version,)}
        ix.db.execute("UPDATE vectors SET model = ? WHERE doc IN (SELECT rowid FROM docs WHERE id = 'release.txt')",
                      (DEFAULT_MODEL,))  # as the index of an older unspun has it
        stats = ix.stats()
        assert (stats["documents_with_vectors"], stats["documents_with_stale_vectors"]) == (3, 1)
        assert stats["vectors_version"] == version
        rowid = ix.db.execute("SELECT rowid FROM docs WHERE id = 'release.txt'").fetchone()[0]
        assert not ix.met_stale_vectors
        assert ix.stored_vectors(rowid, DEFAULT_MODEL) is None and ix.met_stale_vectors
    get_embedder(DEFAULT_MODEL)._cache.clear()
    embedded.clear()
    (tmp_path / "query.txt").write_text(PARAPHRASE)
    assert main(["trace", str(tmp_path / "query.txt"), "--index", str(tmp_path / "idx"), "--json"]) == 0
    assert "another version of the model" in capsys.readouterr().err
    assert set(story_sentences()) & set(embedded), "the stale source is embedded, not given its old vectors"
    with Index(tmp_path / "idx") as ix:
        again = ix.add(docs())  # the same texts: only the stale vectors are made again
        assert (again.added, again.replaced, again.unchanged) == (0, 0, 4)
        stats = ix.stats()
        assert (stats["documents_with_vectors"], stats["documents_with_stale_vectors"]) == (4, 0)
        assert ix.stored_vectors(rowid, DEFAULT_MODEL) is not None and not ix.met_stale_vectors


def test_stats_of_an_index_whose_vector_model_this_unspun_lacks(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs(), vectors=True)
        ix.db.execute("UPDATE info SET value = 'a-model-from-elsewhere' WHERE key = 'vectors'")
        ix.db.execute("UPDATE vectors SET model = 'a-model-from-elsewhere:1'")
        stats = ix.stats()
    assert stats["vectors"] == "a-model-from-elsewhere" and stats["vectors_version"] is None
    assert (stats["documents_with_vectors"], stats["documents_with_stale_vectors"]) == (0, 4)  # none usable here


def test_damaged_stored_vectors_are_an_error_not_a_wrong_answer(tmp_path):
    from unspun.errors import UnspunError

    with Index(tmp_path / "idx") as ix:
        ix.add(docs(), vectors=True)
        ix.db.execute("UPDATE vectors SET vectors = x'0102'")
        with pytest.raises((UnspunError, sqlite3.DatabaseError)):
            ix.trace(PARAPHRASE, top=3)


def test_cli_index_vectors(tmp_path, capsys):
    import json

    from unspun.cli import main

    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in docs():
        (folder / doc.id).write_text(doc.text)
    assert main(["index", str(folder), "--index", str(tmp_path / "idx"), "--vectors", "--stats", "--jobs", "1"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["vectors"] == DEFAULT_MODEL and stats["documents_with_vectors"] == 4
    # The trace's timing line shows the query's embedding apart from the search and the verification.
    query = tmp_path / "query.txt"
    query.write_text(PARAPHRASE)
    assert main(["trace", str(query), "--index", str(tmp_path / "idx"), "--top", "2"]) == 0
    said = " ".join(capsys.readouterr().err.split())  # the console wraps the line at its width
    assert re.search(r"traced in \d+\.\d\d s \(candidates \d+\.\d\d s, query embedded in \d+\.\d\d s, "
                     r"\d+ verified in \d+\.\d\d s\); model minilm-int8", said), said


def test_the_web_service_traces_with_the_stored_vectors_as_the_cli_does(tmp_path, embedded):
    # The server wraps the model (one embedding at a time); a trace must still hand the wrapped
    # model the sources' stored vectors, embed only the query, and answer as the library does.
    from fastapi.testclient import TestClient

    from unspun.serve import create_app

    with Index(tmp_path / "idx") as ix:
        ix.add(docs(), vectors=True)
        get_embedder(DEFAULT_MODEL)._cache.clear()
        expected = ix.trace(PARAPHRASE, top=3).to_dict()
    get_embedder(DEFAULT_MODEL)._cache.clear()
    embedded.clear()
    with TestClient(create_app(index=tmp_path / "idx", warm_up=False)) as c:
        response = c.post("/api/trace?top=3", json={"text": PARAPHRASE})
    assert response.status_code == 200, response.text
    assert embedded and not set(story_sentences()) & set(embedded), "the source's vectors came from the index"
    got = response.json()
    assert got["sources"][0]["id"] == "release.txt"
    assert got["sources"] == expected["sources"]

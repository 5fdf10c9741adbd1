"""Trace across languages (issue 8): an English text finds its Russian source in an index, and,
in an index built ``crosslingual``, a Russian text finds its English source. WMT22 documents:
Russian originals and their professional English translations."""

import pytest

from unspun.store import Index
from unspun.types import Document

from .conftest import DATA, need
from .eval.crosslingual_sets import wmt22_documents

IDS = 10  # documents of each language in the index


@pytest.fixture(scope="module")
def docs():
    found = wmt22_documents(need(DATA / "crosslingual" / "wmt22-ru-en"))
    return [found[k] for k in sorted(found) if len(found[k].ru) >= 6][:IDS]


def test_english_text_finds_its_russian_source(tmp_path, docs):
    with Index(tmp_path / "idx") as index:
        index.add([Document(id=f"{d.id}.ru", text=d.ru_text) for d in docs])
        index.add([Document(id=f"{d.id}.en.other", text=d.en_text) for d in docs[1:]])  # English neighbours
        stats = index.stats()
        assert stats["multilingual_sentences"] > 0 and not stats["crosslingual"]
        result = index.trace(docs[0].en_text, top=3, verify=1)
    assert result.to_dict()["query"]["lang"] == "en"
    best = result.sources[0]
    assert best.id == f"{docs[0].id}.ru"
    assert best.verdict == "wholly-derived"
    assert {p["kind"] for p in best.to_dict()["passages"]} == {"translation"}
    assert best.evidence["translations"] > 0.5


def test_no_translation_is_looked_for_where_a_source_in_the_query_language_explains_it(tmp_path, docs):
    # The English text and its Russian original are both indexed: the query, a copy of the
    # English, is explained in English, so its sentences are not looked for across languages.
    with Index(tmp_path / "idx") as index:
        index.add([Document(id=f"{d.id}.ru", text=d.ru_text) for d in docs[:3]])
        index.add([Document(id=f"{d.id}.en", text=d.en_text) for d in docs[:3]])
        result = index.trace(docs[0].en_text, top=5, verify=0)
    evidence = {s.id: s.evidence for s in result.sources}
    assert evidence[f"{docs[0].id}.en"]["sentences"] > 0.5
    assert evidence.get(f"{docs[0].id}.ru", {}).get("translations", 0.0) == 0.0


def test_russian_text_finds_its_english_source_in_a_crosslingual_index(tmp_path, docs):
    with Index(tmp_path / "idx") as index:
        index.add([Document(id=f"{d.id}.en", text=d.en_text) for d in docs], crosslingual=True)
        assert index.stats()["crosslingual"]
        result = index.trace(docs[3].ru_text, top=3, verify=1)
    assert result.sources[0].id == f"{docs[3].id}.en"
    assert result.sources[0].verdict != "non-derived"


def test_english_archive_keeps_no_multilingual_codes(tmp_path, docs):
    with Index(tmp_path / "idx") as index:
        index.add([Document(id=f"{d.id}.en", text=d.en_text) for d in docs])
        assert index.stats()["multilingual_sentences"] == 0
        # and a Russian query finds nothing across languages there, without error
        result = index.trace(docs[0].ru_text, top=3, verify=0)
        assert all(s.evidence["translations"] == 0 for s in result.sources)


def test_english_text_finds_its_kazakh_source(tmp_path):
    # USE does not know Kazakh: Kazakh documents keep e5 codes, and the query is embedded with e5
    # because the index holds them. NTREX: English news and their Kazakh translations.
    folder = need(DATA / "crosslingual" / "ntrex128" / "docs")
    names = sorted(p.name for p in (folder / "kaz").glob("*.txt"))[:8]
    with Index(tmp_path / "idx") as index:
        index.add([Document(id=f"kk/{n}", text=(folder / "kaz" / n).read_text(encoding="utf-8")) for n in names])
        assert set(index.all_xcodes()) == {"e5"}
        result = index.trace((folder / "eng" / names[2]).read_text(encoding="utf-8"), top=3, verify=1)
    assert result.sources[0].id == f"kk/{names[2]}"
    assert result.sources[0].verdict != "non-derived"
    assert result.sources[0].report.source.lang == "kk"

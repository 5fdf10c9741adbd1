"""`unspun scan`: the stages (candidates, direction, share orientation, star clusters), a small
corpus end to end, and the command's Parquet output."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from unspun.cli import main
from unspun.read import iter_documents
from unspun.represent import sketches
from unspun.scan import LocalEngine, candidates, scan, stages
from unspun.scan.stages import Packed
from unspun.types import Document, Span

from .conftest import CLOUGH, SEEDS, need


def row(original, derived, direction="evidence", share=0.9, source_share=0.5):
    return {"original": original, "derived": derived, "direction": direction, "verdict": "wholly-derived",
            "rewrite_share": share, "source_share": source_share, "passages": 1, "score": 0.5}


# -- direction and shares -------------------------------------------------------------------


def test_dated_direction_wins_over_evidence():
    share = {"a": 0.9, "b": 0.2}  # a mostly contained in b: evidence would make a derived
    assert stages.orient("a", "2024-03-02", "b", "2024-03-05", share) == ("a", "b", "dated")
    assert stages.orient("a", "2024-03-09T10:00:00Z", "b", "2024-03-05", share) == ("b", "a", "dated")


def test_same_or_missing_dates_fall_back_to_containment():
    share = {"a": 0.9, "b": 0.2}
    assert stages.orient("a", "2024-03-02", "b", "2024-03-02", share) == ("b", "a", "evidence")
    assert stages.orient("a", None, "b", "2024-03-02", share) == ("b", "a", "evidence")
    assert stages.orient("a", None, "b", None, {"a": 0.1, "b": 0.75}) == ("a", "b", "evidence")


def test_weak_evidence_is_unknown_in_id_order():
    assert stages.orient("z", None, "m", None, {"z": 0.9, "m": 0.8}) == ("m", "z", "unknown")
    assert stages.orient("z", None, "m", None, {"z": 0.3, "m": 0.4}) == ("m", "z", "unknown")
    assert stages.orient("z", None, "m", None, {"z": 0.74, "m": 0.71}) == ("m", "z", "unknown")  # within MARGIN


def test_a_text_copied_whole_with_additions_has_no_evidence_direction():
    """o wholly inside d, and o most of d: d may be o with a paragraph added (a Clough answer
    that pastes its source whole) as well as o an excerpt of d."""
    length = {"o": 1518, "d": 1941}
    assert stages.orient("o", None, "d", None, {"o": 0.98, "d": 0.66}, length)[2] == "unknown"
    # Most of the longer text left out: an excerpt, the contained one is derived.
    assert stages.orient("o", None, "x", None, {"o": 0.56, "x": 1.0}, {"o": 3098, "x": 1243}) == ("o", "x", "evidence")


def test_the_longer_text_is_never_the_contained_one():
    # A text "mostly inside" a shorter one is loose paraphrase coverage, not containment.
    length = {"o": 1909, "d": 1499}
    assert stages.orient("o", None, "d", None, {"o": 0.9, "d": 0.41}, length)[2] == "unknown"
    assert stages.orient("o", None, "d", None, {"o": 0.41, "d": 0.9}, length) == ("o", "d", "evidence")


def test_shares_follow_the_final_original_and_derived(monkeypatch):
    """compare's rewrite_share is the rewrite's share; the row's is the derived one's, whichever
    of the two compare took as the rewrite."""
    long_text = Document(id="long", text="x" * 100, published="2020-01-01")
    short_text = Document(id="short", text="y" * 10, published="2021-01-01")

    class FakeReport:
        verdict = "partially-derived"
        passages = [SimpleNamespace(source_span=Span(0, 50), query_span=Span(0, 8), kind="paraphrase", score=0.9)]

        def __init__(self, source, rewrite):
            assert (source.id, rewrite.id) == ("long", "short")  # the longer one is the source
            self.judgement = type("J", (), {"coverage": {"rewrite_share": 0.8, "source_share": 0.1}})

    monkeypatch.setattr("unspun.pipeline.compare", lambda s, r, model=None, **options: FakeReport(s, r))
    def rows():
        return [("long", "short", 0.5, Packed.of(long_text), Packed.of(short_text))]

    [got] = stages.verify_rows(rows())
    assert (got["original"], got["derived"], got["direction"]) == ("long", "short", "dated")
    assert (got["rewrite_share"], got["source_share"]) == (0.8, 0.1)
    # Dated the other way: the short one is now the original; shares swap with the roles.
    long_text.published, short_text.published = "2022-01-01", "2021-01-01"
    [got] = stages.verify_rows(rows())
    assert (got["original"], got["derived"]) == ("short", "long")
    assert (got["rewrite_share"], got["source_share"]) == (0.1, 0.8)


# -- clusters ---------------------------------------------------------------------------------


def test_clusters_never_chain():
    # B derives from A, C derives from B: C is not put with A.
    rows = stages.clusters([row("A", "B"), row("B", "C")])
    members = {(r["cluster"], r["id"]) for r in rows}
    assert ("A", "C") not in members
    assert all(r["role"] == "centre" or any(p for p in [("A", "B"), ("B", "C")] if p == (r["cluster"], r["id"])) for r in rows)
    # A~B and C~B with different centres: B joins its strongest original only.
    rows = stages.clusters([row("A", "B", share=0.6), row("C", "B", share=0.9), row("C", "D")])
    assert {(r["cluster"], r["id"], r["role"]) for r in rows} == {
        ("C", "C", "centre"), ("C", "B", "member"), ("C", "D", "member")}


def test_directed_pairs_come_before_unknown_ones_and_ids_are_stable():
    rows = stages.clusters([row("a", "x", direction="unknown", share=0.99), row("b", "x", share=0.5)])
    assert [(r["cluster"], r["id"]) for r in rows] == [("b", "b"), ("b", "x")]
    pairs = [row("m", "n"), row("a", "b"), row("a", "c", direction="unknown")]
    assert stages.clusters(pairs) == stages.clusters(list(reversed(pairs)))
    assert [r["cluster"] for r in stages.clusters(pairs)] == ["a", "a", "a", "m", "m"]


def test_candidates_are_canonical_and_skip_the_document_itself():
    engine = LocalEngine()
    rows = engine.candidates(engine.prepare(iter_documents([need(SEEDS)])), top=10)
    assert rows == [("blog-rewrite.txt", "press-release.txt", rows[0][2])]
    assert 0 < rows[0][2] <= 1


# -- candidate functions ------------------------------------------------------------------------


def test_a_fingerprint_in_too_many_documents_pairs_nothing():
    assert list(candidates.shared_pairs(["b", "a", "c", "a"])) == [("a", "b"), ("a", "c"), ("b", "c")]
    boilerplate = [f"d{k}" for k in range(candidates.MAX_POSTINGS + 1)]
    assert list(candidates.shared_pairs(boilerplate)) == []
    assert len(list(candidates.shared_pairs(boilerplate[:-1]))) == candidates.MAX_POSTINGS * (candidates.MAX_POSTINGS - 1) // 2


def _code(bits):
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes()


def test_near_sentences_are_found_across_documents_only():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2, sketches.BITS)
    near = base.copy()
    near[:30] ^= 1  # 30 bits apart: within the limit (56)
    far = base.copy()
    far[:100] ^= 1
    members = [("a", 0, _code(base)), ("b", 3, _code(near)), ("c", 1, _code(far)), ("a", 1, _code(near))]
    assert set(candidates.near_sentences(members)) == {("a", 0, "b"), ("a", 1, "b"), ("b", 3, "a")}
    crowd = [(f"d{k}", 0, _code(base)) for k in range(candidates.MAX_POSTINGS + 1)]
    assert list(candidates.near_sentences(crowd)) == []


def test_the_local_engines_bands_find_what_spark_groups_by_key():
    """near_in_band (arrays, the local engine) against band_keys grouped by key and near_sentences
    on each bucket (what Spark runs): the same (document, sentence, document) triples, with near
    copies of shared sentences, buckets crowded past MAX_POSTINGS and documents without codes."""
    rng = np.random.default_rng(7)
    shared = rng.integers(0, 256, (60, sketches.BYTES), dtype=np.uint8)
    recs = []
    for d in range(120):
        codes = rng.integers(0, 256, (int(rng.integers(0, 25)), sketches.BYTES), dtype=np.uint8)
        for i in range(len(codes)):
            if rng.random() < 0.5:  # a near copy of a shared sentence: a few bits flipped
                bits = np.unpackbits(shared[int(rng.integers(0, 3 if d % 2 else 60))])
                bits[rng.integers(0, sketches.BITS, int(rng.integers(0, 50)))] ^= 1
                codes[i] = np.packbits(bits)
        recs.append(SimpleNamespace(id=f"d{d:03d}", codes=codes.tobytes()))
    owner = np.repeat(np.arange(len(recs)), [len(r.codes) // sketches.BYTES for r in recs])
    row = np.concatenate([np.arange(len(r.codes) // sketches.BYTES) for r in recs])
    codes = np.frombuffer(b"".join(r.codes for r in recs), dtype=np.uint8).reshape(-1, sketches.BYTES)
    found_any = False
    for band in range(0, candidates.BANDS, 5):
        buckets: dict = {}
        for rec in recs:
            for key, member in candidates.band_keys(rec, (band,)):
                buckets.setdefault(key, []).append(member)
        grouped = {t for members in buckets.values() for t in candidates.near_sentences(members)}
        arrays = {(recs[a].id, int(row[x]), recs[b].id) for a, x, b in candidates.near_in_band(owner, codes, band)}
        assert arrays == grouped
        found_any |= bool(grouped)
    assert found_any


def test_near_codes_share_a_band_key():
    """The LSH bands put two codes 30 bits apart in one bucket at least once (each band agrees
    with probability 0.88^16; 32 bands miss with probability 1 %): checked on 50 random pairs."""
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(50):
        base = rng.integers(0, 2, sketches.BITS)
        near = base.copy()
        near[rng.choice(sketches.BITS, 30, replace=False)] ^= 1
        recs = [type("R", (), {"id": d, "codes": _code(c)})() for d, c in (("a", base), ("b", near))]
        keys = [{k for k, _ in candidates.band_keys(r)} for r in recs]
        hits += bool(keys[0] & keys[1])
    assert hits >= 47


def test_choose_takes_copies_first_then_the_best_shares():
    rows = [("x", 3, 0), ("y", 1, 0), ("y", 0, 5), ("z", 0, 1), ("me", 9, 9)]
    got = list(candidates.choose("me", (100, 10), rows, top=1))
    # x copies a passage (3 fingerprints); y matches half the sentences; z is below MIN_SCORE.
    assert got == [("me", "x", 0.03), ("me", "y", 0.5)]


# -- end to end -------------------------------------------------------------------------------

# Clough answers: a non, heavy, cut, light; b cut, non, light, heavy.
SMALL = ["orig_taska.txt", "g0pA_taska.txt", "g0pC_taska.txt", "g0pD_taska.txt", "g0pE_taska.txt",
         "orig_taskb.txt", "g0pA_taskb.txt", "g0pB_taskb.txt", "g0pD_taskb.txt", "g0pE_taskb.txt"]


def small_corpus(tmp_path, dated=False):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(need(CLOUGH / name), folder / name)
    for name in ("press-release.txt", "blog-rewrite.txt"):
        shutil.copy(need(SEEDS / name), folder / name)
    docs = list(iter_documents([folder]))
    if dated:
        for doc in docs:
            doc.published = "2024-01-10" if doc.id == "press-release.txt" else (
                "2024-01-12" if doc.id == "blog-rewrite.txt" else None)
    return folder, docs


@pytest.fixture(scope="module")
def small_scan(tmp_path_factory):
    _, docs = small_corpus(tmp_path_factory.mktemp("scan"), dated=True)
    return scan(docs, LocalEngine(jobs=1))


def test_small_corpus_finds_the_derived_pairs_with_their_originals(small_scan):
    pairs = {(p["original"], p["derived"]): p for p in small_scan.pairs}
    seed = pairs[("press-release.txt", "blog-rewrite.txt")]
    assert seed["direction"] == "dated" and seed["verdict"] == "wholly-derived"
    assert seed["rewrite_share"] > 0.7 and seed["passages"] >= 1
    found = {frozenset(k) for k in pairs}
    for answer in ("g0pC_taska.txt", "g0pD_taska.txt", "g0pE_taska.txt", "g0pA_taskb.txt", "g0pD_taskb.txt",
                   "g0pE_taskb.txt"):
        orig = f"orig_task{answer[-5]}.txt"
        assert frozenset((answer, orig)) in found, answer  # cut / light / heavy answers
    # 'non' answers: no pair with their task's original.
    assert frozenset(("g0pA_taska.txt", "orig_taska.txt")) not in found
    assert frozenset(("g0pB_taskb.txt", "orig_taskb.txt")) not in found
    # Nothing across the collections or across tasks.
    for p in small_scan.pairs:
        ids = (p["original"], p["derived"])
        assert sum(x.endswith(("release.txt", "rewrite.txt")) for x in ids) in (0, 2), ids
        assert len({x[-5] for x in ids}) == 1 or any(x.endswith(("release.txt", "rewrite.txt")) for x in ids), ids
    # Every cluster member has a verified pair with its centre.
    for c in small_scan.clusters:
        if c["role"] == "member":
            assert frozenset((c["cluster"], c["id"])) in found
    assert small_scan.pairs == sorted(small_scan.pairs, key=lambda p: (p["original"], p["derived"]))


def test_cli_writes_both_parquet_files(tmp_path, capsys):
    import pyarrow.parquet as pq

    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("press-release.txt", "blog-rewrite.txt"):
        shutil.copy(need(SEEDS / name), folder / name)
    out = tmp_path / "out" / "scan"
    assert main(["scan", str(folder), "--out", str(out), "--jobs", "1"]) == 0
    pairs = pq.read_table(out / "pairs.parquet")
    for col in ("original", "derived", "direction", "verdict", "rewrite_share", "source_share"):
        assert col in pairs.column_names
    rows = pairs.to_pylist()
    assert len(rows) == 1 and {rows[0]["original"], rows[0]["derived"]} == {"press-release.txt", "blog-rewrite.txt"}
    assert rows[0]["direction"] in ("dated", "evidence", "unknown")
    clusters = pq.read_table(out / "clusters.parquet")
    assert {"cluster", "id"} <= set(clusters.column_names)
    assert sorted(clusters.column("id").to_pylist()) == ["blog-rewrite.txt", "press-release.txt"]
    said = capsys.readouterr().out
    assert "2 documents" in said and "1 verified derived pairs" in said


def test_cli_against_an_index(tmp_path, capsys):
    import pyarrow.parquet as pq

    from unspun.store import Index

    with Index(tmp_path / "idx") as index:
        index.add(iter_documents([need(SEEDS / "press-release.txt"), need(CLOUGH / "orig_taska.txt")]))
    out = tmp_path / "out"
    assert main(["scan", str(need(SEEDS / "blog-rewrite.txt")), str(need(CLOUGH / "g0pD_taska.txt")),
                 "--against", str(tmp_path / "idx"), "--out", str(out), "--jobs", "1"]) == 0
    rows = pq.read_table(out / "pairs.parquet").to_pylist()
    assert {frozenset((r["original"], r["derived"])) for r in rows} == {
        frozenset(("press-release.txt", "blog-rewrite.txt")), frozenset(("orig_taska.txt", "g0pD_taska.txt"))}


def test_cli_against_an_index_adds_the_new_documents_only_when_asked(tmp_path, capsys):
    from unspun.store import Index

    with Index(tmp_path / "idx") as index:
        index.add(iter_documents([need(SEEDS / "press-release.txt")]))
    args = ["scan", str(need(SEEDS / "blog-rewrite.txt")), "--against", str(tmp_path / "idx"), "--jobs", "1"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    with Index(tmp_path / "idx", create=False) as index:
        assert index.ids() == ["press-release.txt"]  # by default the index is only read
    assert main([*args, "--out", str(tmp_path / "b"), "--add"]) == 0
    assert "added 1 document to" in capsys.readouterr().out
    with Index(tmp_path / "idx", create=False) as index:
        assert sorted(index.ids()) == ["blog-rewrite.txt", "press-release.txt"]
        assert index.get("blog-rewrite.txt").text == next(iter_documents([need(SEEDS / "blog-rewrite.txt")])).text


def test_cli_refuses_bad_input(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    assert main(["scan", str(need(SEEDS)), "--out", str(tmp_path / "o"), "--top", "0"]) == 2
    assert main(["scan", str(need(SEEDS)), "--out", str(tmp_path / "o"), "--add"]) == 2  # --add needs --against


def test_make_engine_refuses_an_unknown_name():
    from unspun.errors import UnspunError
    from unspun.scan.engines import ENGINES, Engine, LocalEngine, make_engine

    assert isinstance(make_engine("local"), LocalEngine) and issubclass(LocalEngine, Engine)
    with pytest.raises(UnspunError, match="unknown scan engine 'dask'; choose one of: local, spark"):
        make_engine("dask")
    assert ENGINES == ("local", "spark")


def test_verification_takes_a_documents_pairs_together():
    pairs = [("a", "h", 0.5), ("b", "c", 0.4), ("b", "h", 0.3), ("c", "h", 0.2), ("a", "c", 0.1), ("d", "e", 0.9)]
    ordered = stages.by_document(pairs)
    assert sorted(ordered) == sorted(pairs)
    # h is in three pairs, c in three (ties: the smaller id first), then the rest
    assert [p[:2] for p in ordered[:3]] == [("a", "c"), ("b", "c"), ("c", "h")]
    assert {p[:2] for p in ordered[3:5]} == {("a", "h"), ("b", "h")}

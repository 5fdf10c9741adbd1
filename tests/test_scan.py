"""`unspun scan`: the stages (candidates, direction, share orientation, star clusters), a small
corpus end to end, and the command's Parquet output."""

from __future__ import annotations

import shutil

import pytest

from unspun.cli import main
from unspun.readers import iter_documents
from unspun.scan import LocalEngine, scan, stages
from unspun.types import Document

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


def test_shares_follow_the_final_original_and_derived(monkeypatch):
    """compare's rewrite_share is the rewrite's share; the row's is the derived one's, whichever
    of the two compare took as the rewrite."""
    long_text = Document(id="long", text="x" * 100, published="2020-01-01")
    short_text = Document(id="short", text="y" * 10, published="2021-01-01")

    class FakeReport:
        verdict = "partially-derived"
        passages = [object()]

        def __init__(self, source, rewrite):
            assert (source.id, rewrite.id) == ("long", "short")  # the longer one is the source
            self.judgement = type("J", (), {"coverage": {"rewrite_share": 0.8, "source_share": 0.1}})

    monkeypatch.setattr("unspun.pipeline.compare", lambda s, r, model=None: FakeReport(s, r))
    texts = {"long": long_text, "short": short_text}
    [got] = stages.verify_partition([("long", "short", 0.5)], texts)
    assert (got["original"], got["derived"], got["direction"]) == ("long", "short", "dated")
    assert (got["rewrite_share"], got["source_share"]) == (0.8, 0.1)
    # Dated the other way: the short one is now the original; shares swap with the roles.
    long_text.published, short_text.published = "2022-01-01", "2021-01-01"
    [got] = stages.verify_partition([("long", "short", 0.5)], texts)
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
    docs = list(iter_documents([need(SEEDS)]))
    records = list(stages.prepare_partition(docs))
    lookup = stages.Lookup(records)
    rows = stages.merge_candidates(stages.candidates_partition(records, lookup))
    assert rows == [("blog-rewrite.txt", "press-release.txt", rows[0][2])]
    assert 0 < rows[0][2] <= 1


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


def test_cli_refuses_bad_input(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    assert main(["scan", str(need(SEEDS)), "--out", str(tmp_path / "o"), "--top", "0"]) == 2

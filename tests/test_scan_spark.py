"""The Spark engine gives exactly the same pairs and clusters as the local one (pyspark in local
mode; needs Java). Same stage functions, same sort: the lists must be equal, not just alike."""

from __future__ import annotations

import shutil

import pytest

from unspun.read import iter_documents
from unspun.scan import LocalEngine, SparkEngine, scan, scan_against, write_parquet

from .conftest import CLOUGH, SEEDS, need
from .test_scan import small_corpus

pytest.importorskip("pyspark")
if shutil.which("java") is None and not __import__("os").environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (apt-get install default-jre-headless)", allow_module_level=True)


@pytest.fixture(scope="module")
def spark_engine():
    engine = SparkEngine(master="local[2]")
    yield engine
    engine.stop()


def test_local_and_spark_engines_give_the_same_pairs_and_clusters(tmp_path, spark_engine):
    _, docs = small_corpus(tmp_path)
    local = scan(docs, LocalEngine(jobs=1))
    spark = scan(docs, spark_engine)
    assert local.pairs, "the small corpus has derived pairs"
    assert local.candidates == spark.candidates
    assert spark.pairs == local.pairs
    assert spark.clusters == local.clusters
    # And the files written are the same bytes.
    a = write_parquet(local, tmp_path / "local")
    b = write_parquet(spark, tmp_path / "spark")
    for x, y in zip(a, b):
        assert open(x, "rb").read() == open(y, "rb").read()


def test_both_engines_check_new_documents_against_an_index_alike(tmp_path, spark_engine):
    from unspun.store import Index

    with Index(tmp_path / "idx") as index:
        index.add(iter_documents([need(SEEDS / "press-release.txt"), need(CLOUGH / "orig_taska.txt")]))
    new = [need(SEEDS / "blog-rewrite.txt"), need(CLOUGH / "g0pD_taska.txt"), need(CLOUGH / "g0pE_taska.txt")]
    with Index(tmp_path / "idx", create=False) as index:
        local = scan_against(iter_documents(new), index, LocalEngine(jobs=1))
        spark = scan_against(iter_documents(new), index, spark_engine)
    assert local.pairs and spark.pairs == local.pairs
    assert spark.clusters == local.clusters
    assert {frozenset((p["original"], p["derived"])) for p in local.pairs} >= {
        frozenset(("press-release.txt", "blog-rewrite.txt")), frozenset(("orig_taska.txt", "g0pD_taska.txt"))}

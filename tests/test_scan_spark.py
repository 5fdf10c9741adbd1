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


# -- the executors read the input ----------------------------------------------------------


def _warc(pages: list[tuple[str, str]]) -> bytes:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, text in pages:
        page = "<html><head><title>News</title></head><body><article>" + "".join(
            f"<p>{p}</p>" for p in text.split("\n\n") if p.strip()) + "</article></body></html>"
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode()),
                                                      http_headers=http))
    return out.getvalue()


def mixed_folder(tmp_path):
    """Text files, a WARC in a subfolder, a JSONL file whose line re-uses a file's id (read after
    it: it wins), an unreadable file, a bad JSONL line and a hidden file."""
    import json

    folder = tmp_path / "mixed"
    (folder / "crawl").mkdir(parents=True)
    for name in ("orig_taska.txt", "g0pE_taska.txt", "orig_taskb.txt"):
        shutil.copy(need(CLOUGH / name), folder / name)
    seeds = [(f"https://example.org/{name}", need(SEEDS / f"{name}.txt").read_text()) for name in
             ("press-release", "blog-rewrite")]
    (folder / "crawl" / "day.warc.gz").write_bytes(_warc(seeds))
    answer = need(CLOUGH / "g0pA_taskb.txt").read_text()  # a cut answer
    (folder / "z.jsonl").write_text(json.dumps({"id": "orig_taska.txt", "text": need(CLOUGH / "g0pA_taska.txt").read_text()})
                                    + "\n{not json\n" + json.dumps({"id": "answer-b", "text": answer}) + "\n")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / ".hidden.txt").write_text(answer)
    return folder


def test_the_executors_read_every_format_and_give_the_local_engines_pairs(tmp_path, spark_engine):
    from unspun.scan.inputs import Inputs

    folder = mixed_folder(tmp_path)
    local_warnings: list[str] = []
    local = scan(iter_documents([folder], warn=local_warnings.append), LocalEngine(jobs=1))
    ids = {frozenset((p["original"], p["derived"])) for p in local.pairs}
    assert frozenset(("https://example.org/press-release", "https://example.org/blog-rewrite")) in ids
    assert frozenset(("orig_taskb.txt", "answer-b")) in ids
    assert local.documents == 6 and len(local_warnings) == 2  # the broken file, the bad line

    warnings: list[str] = []
    spark = scan(Inputs([str(folder)], warn=warnings.append), spark_engine)
    assert spark.documents == local.documents
    assert spark.candidates == local.candidates
    assert spark.pairs == local.pairs
    assert spark.clusters == local.clusters
    assert warnings == local_warnings
    # The JSONL line read after orig_taska.txt replaced it, on both engines.
    assert spark.fetch is not None
    assert spark.fetch(["orig_taska.txt"])["orig_taska.txt"].document().text == local.fetch(["orig_taska.txt"])["orig_taska.txt"].document().text


def test_a_uri_is_listed_and_read_by_spark_into_the_same_documents(tmp_path, spark_engine):
    """file:// here; hdfs:// or s3a:// go through the same Hadoop listing and reading."""
    from unspun.scan.inputs import Inputs

    folder = mixed_folder(tmp_path)
    local_warnings: list[str] = []
    local = {d.id: d for d in iter_documents([folder], warn=local_warnings.append)}  # the last read wins
    warnings: list[str] = []
    records = spark_engine.prepare(Inputs([folder.as_uri()], warn=warnings.append))
    docs = {d.id: d.document() for d in spark_engine.documents(records)}
    assert sorted(docs) == sorted(local)
    for doc_id, doc in docs.items():
        assert (doc.text, doc.title, doc.url, doc.published) == (local[doc_id].text, local[doc_id].title,
                                                                 local[doc_id].url, local[doc_id].published)
    assert docs["answer-b"].meta["origin"].startswith("file:")  # where it was read, not a temporary copy
    assert len(warnings) == len(local_warnings) == 2
    assert all("file:" in w for w in warnings), warnings
    # A file named by its URI has its name as id, as a file named by its path.
    one = spark_engine.prepare(Inputs([(folder / "orig_taskb.txt").as_uri()]))
    assert spark_engine.ids(one) == {"orig_taskb.txt"}


def test_a_path_named_directly_that_cannot_be_read_is_an_error(tmp_path, spark_engine):
    from unspun.errors import InputError
    from unspun.scan.inputs import Inputs

    with pytest.raises(InputError, match="no such file"):
        Inputs([str(tmp_path / "missing.txt")])
    with pytest.raises(InputError, match="standard input"):
        Inputs(["-"])
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02 not text")
    with pytest.raises(InputError, match="broken.txt: this is binary data"):
        scan(Inputs([str(broken)]), spark_engine)
    with pytest.raises(InputError, match="no such file"):
        scan(Inputs([(tmp_path / "nothing-here").as_uri()]), spark_engine)
    with pytest.raises(InputError, match="matches nothing"):
        scan(Inputs([(tmp_path).as_uri() + "/*.warc.gz"]), spark_engine)


def test_a_glob_the_shell_left_is_expanded_as_the_shell_would(tmp_path):
    from unspun.scan.inputs import Inputs

    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text("A short text about the harbour and its boats.")
    inputs = Inputs([str(tmp_path / "*.txt")])
    assert [f.id for f in inputs.local] == ["a.txt", "b.txt"]
    assert [d.id for d in inputs] == [d.id for d in iter_documents([tmp_path / "a.txt", tmp_path / "b.txt"])]

"""Where the stages of stages.py run: in this process (``LocalEngine``, with worker processes for
``jobs`` > 1) or on Apache Spark (``SparkEngine``). Both run the same stage functions on the same
inputs and sort the same way, so they give exactly the same pairs and clusters; ``scan`` and
``scan_against`` wire the stages together for either.

On Spark: the documents are ``parallelize``d; ``mapPartitions(prepare_partition)`` prepares them;
the records are collected to the driver to build the ``Lookup``, which is broadcast;
``mapPartitions(candidates_partition)`` then ``reduceByKey(max)`` gives one row per candidate
pair; the texts are broadcast and ``mapPartitions(verify_partition)`` verifies the pairs; the
verified rows are collected and clustered on the driver. Every Python worker loads the models
once, on its first partition.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store.index import worker_pool
from ..types import Document
from . import stages
from .stages import Lookup, Record

log = logging.getLogger("unspun.scan")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ScanResult:
    pairs: list[dict[str, Any]]
    clusters: list[dict[str, str]]
    documents: int
    candidates: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


# -- engines ------------------------------------------------------------------------------------


class LocalEngine:
    """The stages in this process; ``jobs`` > 1 runs preparation and verification in that many
    forked worker processes, a chunk at a time."""

    name = "local"

    def __init__(self, jobs: int = 1, progress: Progress | None = None) -> None:
        self.jobs = max(1, jobs)
        self.progress = progress or (lambda stage, done, total: None)

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def _map(self, stage: str, fn, chunks: list[tuple]) -> list:
        total = sum(len(c[0]) for c in chunks)
        out: list = []
        done = 0
        self.progress(stage, 0, total)
        if self.jobs > 1 and len(chunks) > 1:
            with worker_pool(self.jobs) as pool:  # the index's forked workers, the same way
                for chunk, part in zip(chunks, pool.map(fn, chunks)):
                    out.extend(part)
                    done += len(chunk[0])
                    self.progress(stage, done, total)
        else:
            for chunk in chunks:
                out.extend(fn(chunk))
                done += len(chunk[0])
                self.progress(stage, done, total)
        return out

    def prepare(self, docs: Sequence[Document]) -> list[Record]:
        chunks = [(list(docs[k : k + stages.BATCH]),) for k in range(0, len(docs), stages.BATCH)]
        return self._map("preparing", _prepare_chunk, chunks)

    def candidates(self, records: list[Record], lookup: Lookup, top: int) -> list[tuple[str, str, float]]:
        self.progress("candidates", 0, len(records))
        rows = []
        for k, rec in enumerate(records, 1):
            rows.extend(stages.candidates_partition([rec], lookup, top))
            if k % 16 == 0 or k == len(records):
                self.progress("candidates", k, len(records))
        return stages.merge_candidates(rows)

    def verify(self, pairs: list[tuple[str, str, float]], texts: dict[str, Document]) -> list[dict[str, Any]]:
        size = 8
        chunks = []
        for k in range(0, len(pairs), size):
            part = pairs[k : k + size]
            chunks.append((part, {d: texts[d] for a, b, _ in part for d in (a, b)}))
        return stages.sort_pairs(self._map("verifying", _verify_chunk, chunks))


def _prepare_chunk(chunk: tuple) -> list[Record]:
    return list(stages.prepare_partition(chunk[0]))


def _verify_chunk(chunk: tuple) -> list[dict[str, Any]]:
    return list(stages.verify_partition(chunk[0], chunk[1]))


class SparkEngine:
    """The same stages on Apache Spark (pyspark). ``master`` is any Spark master URL; under
    spark-submit, the session it made is used as it is."""

    name = "spark"

    def __init__(self, master: str | None = "local[*]", partitions: int | None = None,
                 progress: Progress | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            from ..errors import UnspunError

            raise UnspunError("--engine spark needs pyspark: pip install 'unspun[spark]'") from exc
        # The workers run this interpreter, where unspun is installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        builder = SparkSession.builder.appName("unspun scan").config("spark.ui.showConsoleProgress", "false")
        if master:
            builder = builder.master(master)
        self.spark = builder.getOrCreate()
        self.sc = self.spark.sparkContext
        self.sc.setLogLevel("WARN")
        self.partitions = partitions or self.sc.defaultParallelism
        self.progress = progress or (lambda stage, done, total: None)
        log.info("spark: master %s, %d partitions", self.sc.master, self.partitions)

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc) -> None:
        pass  # the session is left for the caller (spark-submit, a test) to stop

    def stop(self) -> None:
        self.spark.stop()

    def _slices(self, n: int) -> int:
        return max(1, min(self.partitions * 4, n))

    def prepare(self, docs: Sequence[Document]) -> list[Record]:
        self.progress("preparing", 0, len(docs))
        t0 = time.perf_counter()
        rdd = self.sc.parallelize(list(docs), self._slices(len(docs)))
        records = rdd.mapPartitions(stages.prepare_partition).collect()
        log.info("spark: prepared %d documents in %.1f s", len(records), time.perf_counter() - t0)
        self.progress("preparing", len(records), len(docs))
        return records

    def candidates(self, records: list[Record], lookup: Lookup, top: int) -> list[tuple[str, str, float]]:
        self.progress("candidates", 0, len(records))
        t0 = time.perf_counter()
        shared = self.sc.broadcast(lookup)
        try:
            rows = (
                self.sc.parallelize(records, self._slices(len(records)))
                .mapPartitions(lambda part: stages.candidates_partition(part, shared.value, top))
                .map(lambda row: ((row[0], row[1]), row[2]))
                .reduceByKey(max)
                .map(lambda kv: (kv[0][0], kv[0][1], kv[1]))
                .collect()
            )
        finally:
            shared.unpersist()
        out = stages.merge_candidates(rows)
        log.info("spark: %d candidate pairs in %.1f s", len(out), time.perf_counter() - t0)
        self.progress("candidates", len(records), len(records))
        return out

    def verify(self, pairs: list[tuple[str, str, float]], texts: dict[str, Document]) -> list[dict[str, Any]]:
        self.progress("verifying", 0, len(pairs))
        t0 = time.perf_counter()
        if not pairs:
            return []
        shared = self.sc.broadcast(texts)
        try:
            rows = (
                self.sc.parallelize(pairs, self._slices(len(pairs)))
                .mapPartitions(lambda part: stages.verify_partition(part, shared.value))
                .collect()
            )
        finally:
            shared.unpersist()
        log.info("spark: %d pairs verified, %d derived, in %.1f s", len(pairs), len(rows), time.perf_counter() - t0)
        self.progress("verifying", len(pairs), len(pairs))
        return stages.sort_pairs(rows)


def make_engine(name: str, jobs: int = 1, master: str | None = "local[*]",
                progress: Progress | None = None):
    if name == "spark":
        return SparkEngine(master=master, progress=progress)
    return LocalEngine(jobs=jobs, progress=progress)


# -- the scan -------------------------------------------------------------------------------------


def scan(docs: Iterable[Document], engine, top: int = stages.TOP) -> ScanResult:
    """Every derived pair and star cluster of the corpus ``docs``."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    docs = _unique(docs)
    records = engine.prepare(docs)
    timings["prepare"] = time.perf_counter() - t0
    t = time.perf_counter()
    lookup = Lookup(records)
    candidates = engine.candidates(records, lookup, top)
    timings["candidates"] = time.perf_counter() - t
    return _verified(engine, docs, candidates, {d.id: d for d in docs}, timings, t0)


def scan_against(docs: Iterable[Document], index, engine, top: int = stages.TOP) -> ScanResult:
    """New documents against an existing ``Index``: candidates for each from ``Index.trace``
    (candidates only) and from the other new documents; then the same verification. Pairs are
    between a new document and an indexed one, or between two new ones."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    docs = _unique(docs)
    records = engine.prepare(docs)
    timings["prepare"] = time.perf_counter() - t0
    t = time.perf_counter()
    rows = list(engine.candidates(records, Lookup(records), top))
    new = {d.id for d in docs}
    texts = {d.id: d for d in docs}
    for k, doc in enumerate(docs, 1):
        for source in index.trace(doc, top=top, verify=0).sources:
            if source.id in new or source.score < stages.MIN_SCORE:
                continue  # an indexed document that is also new: the new text stands for it
            if source.id not in texts:
                texts[source.id] = index.get(source.id)
            a, b = sorted((doc.id, source.id))
            rows.append((a, b, round(source.score, 6)))
        engine.progress("tracing", k, len(docs))
    candidates = stages.merge_candidates(rows)
    timings["candidates"] = time.perf_counter() - t
    return _verified(engine, docs, candidates, texts, timings, t0)


def _verified(engine, docs: list[Document], candidates, texts: dict[str, Document],
              timings: dict[str, float], t0: float) -> ScanResult:
    """The last stages of either scan: verification, then clusters."""
    t = time.perf_counter()
    pairs = engine.verify(candidates, texts)
    timings["verify"] = time.perf_counter() - t
    return ScanResult(pairs=pairs, clusters=stages.clusters(pairs), documents=len(docs),
                      candidates=len(candidates), seconds=time.perf_counter() - t0, timings=timings)


def _unique(docs: Iterable[Document]) -> list[Document]:
    """The documents, one per id (the last one read wins, as in the index), in id order."""
    out: dict[str, Document] = {}
    for doc in docs:
        out[doc.id] = doc
    return [out[k] for k in sorted(out)]


# -- output -------------------------------------------------------------------------------------


def write_parquet(result: ScanResult, out_dir) -> tuple[str, str]:
    """``pairs.parquet`` and ``clusters.parquet`` in ``out_dir`` (created if needed), written
    with pyarrow whatever the engine, so both engines write the same files."""
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pair_schema = pa.schema([
        ("original", pa.string()), ("derived", pa.string()), ("direction", pa.string()),
        ("verdict", pa.string()), ("rewrite_share", pa.float64()), ("source_share", pa.float64()),
        ("passages", pa.int32()), ("score", pa.float64()),
    ])
    cluster_schema = pa.schema([("cluster", pa.string()), ("id", pa.string()), ("role", pa.string())])
    pairs_path, clusters_path = out / "pairs.parquet", out / "clusters.parquet"
    pq.write_table(pa.Table.from_pylist(result.pairs, schema=pair_schema), pairs_path)
    pq.write_table(pa.Table.from_pylist(result.clusters, schema=cluster_schema), clusters_path)
    return str(pairs_path), str(clusters_path)

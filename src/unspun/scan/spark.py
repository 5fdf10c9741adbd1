"""The scan's stages on Apache Spark (pyspark): ``SparkEngine``.

The driver reads the documents and ``parallelize``s them; ``mapPartitions(prepare_partition)``
prepares them on the executors, and the records stay there (persisted). Candidates are joins:
``flatMap(postings)`` and ``flatMap(band_keys)``, ``groupByKey``, ``flatMap`` of the same
group functions the local engine runs (candidates.py), counts by ``reduceByKey``, and per
document ``choose`` on its neighbour rows joined to its sizes. Verification joins each candidate
pair to its two documents by id (twice), so texts travel with their pairs, and runs
``mapPartitions(verify_rows)``. Only the verified rows come back to the driver. Every Python
worker loads the models once, on its first partition.

No function given to Spark refers to the engine (its SparkContext cannot be pickled).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from operator import add
from typing import Any

from ..extras import require
from ..timing import Timer
from ..types import Document
from . import candidates as cand
from . import stages
from .base import Engine, Progress
from .stages import Packed

log = logging.getLogger("unspun.scan")


class SparkEngine(Engine):
    """The same stages on Apache Spark. ``master`` is any Spark master URL; under spark-submit,
    the session it made is used as it is."""

    name = "spark"

    def __init__(self, master: str | None = "local[*]", partitions: int | None = None,
                 progress: Progress | None = None) -> None:
        super().__init__(progress)
        require("pyspark", "spark", "--engine spark")
        from pyspark import StorageLevel
        from pyspark.sql import SparkSession

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
        self._level = StorageLevel.MEMORY_AND_DISK
        log.info("spark: master %s, %d partitions", self.sc.master, self.partitions)

    # Leaving a `with` block does not stop the session: that is the caller's (spark-submit, a test).

    def stop(self) -> None:
        """Stop the session, and the JVM too when this process started it: pyspark keeps its
        Java process until Python exits, which leaves it behind a test run or a service. A JVM
        that started this process (spark-submit) is left alone: it has no process of ours."""
        from pyspark import SparkContext

        self.spark.stop()
        gateway = SparkContext._gateway
        proc = getattr(gateway, "proc", None)
        if gateway is None or proc is None:
            return
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a JVM that will not stop is killed
            proc.kill()

    def prepare(self, docs: Iterable[Document]):
        """An RDD of records, one per id (the last document read with an id wins)."""
        unique: dict[str, Document] = {}
        for doc in docs:
            unique[doc.id] = doc
        self.progress("preparing", 0, len(unique))
        clock = Timer()
        slices = max(1, min(self.partitions * 4, len(unique)))
        records = self.sc.parallelize([unique[k] for k in sorted(unique)], slices).mapPartitions(stages.prepare_partition)
        records = records.persist(self._level)
        n = records.count()
        log.info("spark: prepared %d documents in %.1f s", n, clock.elapsed())
        self.progress("preparing", n, len(unique))
        return records

    def candidates(self, records, top: int):
        """An RDD of (a, b, score), one row per pair."""
        clock = Timer()
        parts = self.partitions
        shared = (records.flatMap(cand.postings).groupByKey(parts)
                  .flatMap(lambda kv: cand.shared_pairs(kv[1]))
                  .map(lambda pair: (pair, 1)).reduceByKey(add, parts))
        votes = (records.flatMap(cand.band_keys).groupByKey(parts)
                 .flatMap(lambda kv: cand.near_sentences(kv[1]))
                 .distinct(parts)
                 .map(lambda t: ((t[0], t[2]), 1)).reduceByKey(add, parts))
        rows = shared.flatMap(cand.lexical_rows).union(votes.flatMap(cand.semantic_rows))
        sizes = records.map(lambda rec: (rec.id, cand.sizes(rec)))
        chosen = (rows.groupByKey(parts).join(sizes, parts)
                  .flatMap(lambda kv: cand.choose(kv[0], kv[1][1], kv[1][0], top)))
        out = _best(chosen, parts).persist(self._level)
        n = out.count()
        log.info("spark: %d candidate pairs in %.1f s", n, clock.elapsed())
        self.progress("candidates", 1, 1)
        return out

    def merge(self, candidates, rows: list[tuple[str, str, float]]):
        if not rows:
            return candidates
        return _best(candidates.union(self.sc.parallelize(rows)), self.partitions).persist(self._level)

    def verify(self, candidates, records, extra: dict[str, Packed] | None = None) -> list[dict[str, Any]]:
        clock = Timer()
        parts = self.partitions
        docs = records.map(lambda rec: (rec.id, rec.doc))
        if extra:
            docs = docs.union(self.sc.parallelize(list(extra.items())))
        rows = (candidates.map(lambda t: (t[0], t)).join(docs, parts)  # (a, ((a, b, s), doc a))
                .map(lambda kv: (kv[1][0][1], kv[1])).join(docs, parts)  # (b, (((a, b, s), doc a), doc b))
                .map(lambda kv: (*kv[1][0][0], kv[1][0][1], kv[1][1])))
        out = rows.mapPartitions(stages.verify_rows).collect()
        log.info("spark: %d derived pairs verified in %.1f s", len(out), clock.elapsed())
        self.progress("verifying", 1, 1)
        return stages.sort_pairs(out)

    def documents(self, records) -> Iterator[Packed]:
        return records.map(lambda rec: rec.doc).toLocalIterator()

    def ids(self, records) -> set[str]:
        return set(records.map(lambda rec: rec.id).collect())

    def packed(self, records, ids: set[str]) -> dict[str, Packed]:
        """The documents of ``ids`` that are records, brought to the driver (a few, for reports
        of some pairs after a scan)."""
        if not ids:
            return {}
        wanted = set(ids)  # the closure holds the set, never the engine
        return dict(records.filter(lambda rec: rec.id in wanted).map(lambda rec: (rec.id, rec.doc)).collect())

    def size(self, rdd) -> int:
        return rdd.count()


def _best(rows, parts: int):
    """One row per pair, its best score (``candidates.merge_candidates`` as a reduce)."""
    return (rows.map(lambda t: ((t[0], t[1]), t[2])).reduceByKey(max, parts)
            .map(lambda kv: (kv[0][0], kv[0][1], kv[1])))

"""The scan's stages on Apache Spark (pyspark): ``SparkEngine``.

Given ``Inputs`` (inputs.py: what ``unspun scan --engine spark`` passes), the executors read the
input themselves: the driver lists local files (or leaves a URI to Spark's ``binaryFiles``), and
each task reads its files with unspun's readers and prepares their documents where they were
read (``mapPartitions``); only the problems met (one message per document that could not be
read) come back to the driver. Given documents instead (the API), the driver ``parallelize``s
them. Either way the records stay on the executors (persisted), one per id, the last read
winning as in the local engine. Candidates are joins:
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
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from operator import add
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..extras import require
from ..timing import Timer
from ..types import Document
from . import candidates as cand
from . import stages
from .base import Engine, Progress
from .inputs import Inputs, read_blobs, read_local
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
        """An RDD of records, one per id (the last document read with an id wins). ``Inputs``
        are read on the executors; other documents are read here and sent to them."""
        if isinstance(docs, Inputs):
            return self._prepare_inputs(docs)
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

    def _prepare_inputs(self, inputs: Inputs):
        self.progress("preparing", 0, None)
        clock = Timer()
        items = self._read(inputs).mapPartitions(_prepare_items).persist(self._level)
        # Only the problems come back (a message each); the records stay where they were made.
        problems = items.filter(lambda t: t[0] != "record").collect()
        for kind, message in problems:
            if kind == "error":
                items.unpersist()
                raise InputError(message)
            inputs.report(message)
        records = (items.filter(lambda t: t[0] == "record").map(lambda t: (t[2].id, (t[1], t[2])))
                   .reduceByKey(_later, self.partitions).map(lambda kv: kv[1][1]).persist(self._level))
        n = records.count()
        items.unpersist()
        log.info("spark: read and prepared %d documents on the executors in %.1f s (%d could not be read)",
                 n, clock.elapsed(), len(problems))
        if n == 0:
            raise InputError("no documents to scan")
        self.progress("preparing", n, n)
        return records

    def _read(self, inputs: Inputs):
        """An RDD of read items (inputs.py): the local files, one task per few files, then each
        URI through Spark's own listing and reading."""
        max_bytes, extensions = inputs.max_bytes, inputs.extensions
        rdds: list = []
        if inputs.local:
            files = inputs.local
            slices = max(1, min(self.partitions * 4, len(files)))
            rdds.append(self.sc.parallelize(files, slices).mapPartitions(partial(read_local, max_bytes=max_bytes)))
        if inputs.remote:
            conf = self.sc._jsc.hadoopConfiguration()
            conf.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")  # a folder's subfolders too
        for remote in inputs.remote:
            given, base = remote.given, self._folder(remote.uri)
            blobs = self.sc.binaryFiles(remote.uri, self.partitions)
            rdds.append(blobs.mapPartitions(
                partial(read_blobs, given=given, base=base, extensions=extensions, max_bytes=max_bytes)))
        if not rdds:
            raise InputError("no documents to scan")
        return rdds[0] if len(rdds) == 1 else self.sc.union(rdds)

    def _folder(self, uri: str) -> str | None:
        """The path of ``uri`` when it names a folder (its files' ids are relative to it), else
        None; an ``InputError`` when it names nothing. Asked of Hadoop's file system, which
        lists only."""
        from py4j.protocol import Py4JJavaError

        jvm = self.sc._jvm
        assert jvm is not None
        path = jvm.org.apache.hadoop.fs.Path(uri)
        try:
            fs = path.getFileSystem(self.sc._jsc.hadoopConfiguration())
            if any(c in uri for c in "*?[{"):
                if not fs.globStatus(path):
                    raise InputError(f"{uri}: no such file (the pattern matches nothing)")
                return None
            status = fs.getFileStatus(path)
        except Py4JJavaError as exc:
            if "FileNotFoundException" in str(exc.java_exception):
                raise InputError(f"{uri}: no such file") from None
            raise InputError(f"{uri}: cannot be listed ({str(exc.java_exception).splitlines()[0]})") from None
        return urlsplit(status.getPath().toString()).path if status.isDirectory() else None

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


def _prepare_items(items: Iterable[tuple]) -> Iterator[tuple]:
    """A partition's read items (inputs.py) prepared: ("record", order, Record) for each
    document, then the problems as they were read."""
    problems: list[tuple] = []
    orders: deque = deque()

    def docs() -> Iterator[Document]:
        for item in items:
            if item[0] == "doc":
                orders.append(item[1])
                yield item[2]
            else:
                problems.append(item)

    for rec in stages.prepare_partition(docs()):
        yield ("record", orders.popleft(), rec)
    yield from problems


def _later(a: tuple, b: tuple) -> tuple:
    """Of two (order, record) with one id, the one read last."""
    return a if a[0] >= b[0] else b


def _best(rows, parts: int):
    """One row per pair, its best score (``candidates.merge_candidates`` as a reduce)."""
    return (rows.map(lambda t: ((t[0], t[1]), t[2])).reduceByKey(max, parts)
            .map(lambda kv: (kv[0][0], kv[0][1], kv[1])))

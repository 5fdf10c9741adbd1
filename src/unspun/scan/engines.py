"""Where the stages of stages.py run: in this process (``LocalEngine``, local.py, with worker
processes for ``jobs`` > 1) or on Apache Spark (``SparkEngine``, spark.py). Both run the same
stage functions on the same inputs and sort the same way, so they give exactly the same pairs
and clusters; ``scan`` and ``scan_against`` wire the stages together for either.

An engine has: ``prepare(docs)`` -> records (a dict by id, or an RDD); ``candidates(records,
top)`` -> candidate pairs (a list, or an RDD); ``merge(candidates, rows)``; ``verify(candidates,
records, extra)`` -> the verified pair rows, sorted; ``documents(records)``, ``ids(records)`` and
``size(items)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import UnspunError
from ..extras import require
from ..timing import Timer
from ..types import Document
from . import stages
from .base import Engine, Progress
from .candidates import MIN_SCORE, TOP
from .local import LocalEngine
from .spark import SparkEngine
from .stages import Packed

__all__ = ["ENGINES", "Engine", "LocalEngine", "SparkEngine", "ScanResult", "make_engine", "scan", "scan_against", "write_parquet"]


@dataclass
class ScanResult:
    pairs: list[dict[str, Any]]
    clusters: list[dict[str, str]]
    documents: int
    candidates: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    indexed: int | None = None  # with scan_against(add=True): documents added to the index or replaced there


ENGINES = ("local", "spark")


def make_engine(name: str, jobs: int = 1, master: str | None = "local[*]",
                progress: Progress | None = None) -> Engine:
    """The engine called ``name``: ``local`` (``jobs`` worker processes) or ``spark`` (``master``)."""
    if name == "local":
        return LocalEngine(jobs=jobs, progress=progress)
    if name == "spark":
        return SparkEngine(master=master, progress=progress)
    raise UnspunError(f"unknown scan engine {name!r}; choose one of: {', '.join(ENGINES)}")


def scan(docs: Iterable[Document], engine, top: int = TOP) -> ScanResult:
    """Every derived pair and star cluster of the corpus ``docs`` (read lazily by the local
    engine)."""
    timer = Timer()
    records, candidates = _prepared(engine, docs, top, timer)
    return _verified(engine, records, candidates, {}, timer)


def _prepared(engine, docs: Iterable[Document], top: int, timer: Timer):
    """The records of ``docs`` and their candidate pairs among themselves, each stage timed."""
    with timer("prepare"):
        records = engine.prepare(docs)
    with timer("candidates"):
        candidates = engine.candidates(records, top)
    return records, candidates


def scan_against(docs: Iterable[Document], index, engine, top: int = TOP, add: bool = False) -> ScanResult:
    """New documents against an existing ``Index``: candidates for each from ``Index.trace``
    (candidates only) and from the other new documents; then the same verification. Pairs are
    between a new document and an indexed one, or between two new ones. With ``add``, the new
    documents are then added to the index (a changed text replaces the indexed one), so that a
    daily crawl grows the archive it is checked against."""
    timer = Timer()
    records, candidates = _prepared(engine, docs, top, timer)
    with timer("candidates"):  # the corpus's own, then the index's
        candidates, extra = _traced(engine, records, candidates, index, top)
    result = _verified(engine, records, candidates, extra, timer)
    if add:
        with timer("index"):
            added = index.add((d.document() for d in engine.documents(records)), jobs=getattr(engine, "jobs", 1))
        result.indexed = added.added + added.replaced
        result.seconds = timer.elapsed()
    return result


def _traced(engine, records, candidates, index, top: int):
    """The candidates with each new document's indexed candidates (from ``Index.trace``) merged
    in, and the indexed documents those bring (packed, for verification)."""
    new = engine.ids(records)
    rows, extra = [], {}
    for k, doc in enumerate(engine.documents(records), 1):
        for source in index.trace(doc.document(), top=top, verify=0).sources:
            if source.id in new or source.score < MIN_SCORE:
                continue  # an indexed document that is also new: the new text stands for it
            if source.id not in extra:
                extra[source.id] = Packed.of(index.get(source.id))
            a, b = sorted((doc.id, source.id))
            rows.append((a, b, round(source.score, 6)))
        engine.progress("tracing", k, len(new))
    return engine.merge(candidates, rows), extra


def _verified(engine, records, candidates, extra: dict[str, Packed], timer: Timer) -> ScanResult:
    """The last stages of either scan: verification, then clusters."""
    with timer("verify"):
        pairs = engine.verify(candidates, records, extra)
    return ScanResult(pairs=pairs, clusters=stages.clusters(pairs), documents=engine.size(records),
                      candidates=engine.size(candidates), seconds=timer.elapsed(), timings=timer.times)


# -- output -------------------------------------------------------------------------------------


def write_parquet(result: ScanResult, out_dir) -> tuple[str, str]:
    """``pairs.parquet`` and ``clusters.parquet`` in ``out_dir`` (created if needed), written
    with pyarrow whatever the engine, so both engines write the same files."""
    from pathlib import Path

    require("pyarrow", "scan", "writing the scan's Parquet output")
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

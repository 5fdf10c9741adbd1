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

from collections.abc import Callable, Iterable
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

__all__ = ["ENGINES", "Engine", "LocalEngine", "SparkEngine", "ScanResult", "make_engine", "scan", "scan_against", "write_parquet", "write_rows"]


@dataclass
class ScanResult:
    pairs: list[dict[str, Any]]
    clusters: list[dict[str, str]]
    documents: int
    candidates: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    indexed: int | None = None  # with scan_against(add=True): documents added to the index or replaced there
    # The scanned documents by id, for a report of some pairs afterwards (scan_html.py); None
    # for a result not made by scan or scan_against.
    fetch: Callable[[Iterable[str]], dict[str, Packed]] | None = field(default=None, repr=False, compare=False)


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
    engine; given ``inputs.Inputs``, the Spark engine's executors read the files themselves)."""
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
        pairs = stages.undirect_siblings([complete_row(p) for p in engine.verify(candidates, records, extra)])

    def fetch(ids: Iterable[str]) -> dict[str, Packed]:
        wanted = set(ids)
        found = {d: extra[d] for d in wanted if d in extra}
        found.update(engine.packed(records, wanted - set(found)))
        return found

    return ScanResult(pairs=pairs, clusters=stages.clusters(pairs), documents=engine.size(records),
                      candidates=engine.size(candidates), seconds=timer.elapsed(), timings=timer.times, fetch=fetch)


# -- output -------------------------------------------------------------------------------------

FORMATS = ("parquet", "csv", "jsonl")

# One passage of a pair: where it lies in the original and in the derived text (character
# offsets, end exclusive), its kind and its mean sentence similarity (0..1).
PASSAGE_FIELDS = (("original_start", "int64"), ("original_end", "int64"), ("derived_start", "int64"),
                  ("derived_end", "int64"), ("kind", "string"), ("score", "float64"))

# The pair rows' columns, in file order; every format writes these. ``passages`` is the count
# (the first column of that name, kept), ``passage_spans`` the passages themselves.
PAIR_COLUMNS = (("original", "string"), ("derived", "string"), ("direction", "string"), ("verdict", "string"),
                ("rewrite_share", "float64"), ("source_share", "float64"), ("passages", "int32"),
                ("score", "float64"), ("directed", "bool"), ("direction_evidence", "string"),
                ("passage_spans", "passages"))
CLUSTER_COLUMNS = (("cluster", "string"), ("id", "string"), ("role", "string"))


def complete_row(row: dict[str, Any]) -> dict[str, Any]:
    """A verified pair row with the keys every output has: ``directed`` and ``direction_evidence``
    (derived from ``direction`` where the stage did not set them) and ``passage_spans`` (None
    where the stage did not record them)."""
    out = dict(row)
    out.setdefault("directed", row["direction"] != "unknown")
    out.setdefault("direction_evidence", "")
    out.setdefault("passage_spans", None)
    return out


def write_parquet(result: ScanResult, out_dir) -> tuple[str, str]:
    """``pairs.parquet`` and ``clusters.parquet`` in ``out_dir`` (created if needed), written
    with pyarrow whatever the engine, so both engines write the same files."""
    return write_rows(result, out_dir, "parquet")


def write_rows(result: ScanResult, out_dir, fmt: str = "parquet") -> tuple[str, str]:
    """``pairs.<fmt>`` and ``clusters.<fmt>`` in ``out_dir`` (created if needed): the same rows
    and columns in each format. CSV holds ``passage_spans`` as a JSON string (empty when not
    recorded) and booleans as true/false; JSONL nests them."""
    from pathlib import Path

    if fmt not in FORMATS:
        raise UnspunError(f"unknown scan output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pairs = [complete_row(p) for p in result.pairs]
    pairs_path, clusters_path = out / f"pairs.{fmt}", out / f"clusters.{fmt}"
    if fmt == "parquet":
        _parquet(pairs, PAIR_COLUMNS, pairs_path)
        _parquet(result.clusters, CLUSTER_COLUMNS, clusters_path)
    elif fmt == "csv":
        _csv(pairs, PAIR_COLUMNS, pairs_path)
        _csv(result.clusters, CLUSTER_COLUMNS, clusters_path)
    else:
        _jsonl(pairs, PAIR_COLUMNS, pairs_path)
        _jsonl(result.clusters, CLUSTER_COLUMNS, clusters_path)
    return str(pairs_path), str(clusters_path)


def _parquet(rows: list[dict[str, Any]], columns, path) -> None:
    require("pyarrow", "scan", "writing the scan's Parquet output")
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow(kind: str):
        if kind == "passages":
            return pa.list_(pa.struct([(name, arrow(k)) for name, k in PASSAGE_FIELDS]))
        return {"string": pa.string(), "float64": pa.float64(), "int32": pa.int32(), "int64": pa.int64(),
                "bool": pa.bool_()}[kind]

    schema = pa.schema([(name, arrow(kind)) for name, kind in columns])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def _csv(rows: list[dict[str, Any]], columns, path) -> None:
    import csv
    import json

    def cell(value, kind: str):
        if value is None:
            return ""
        if kind == "passages":
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if kind == "bool":
            return "true" if value else "false"
        return value

    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([name for name, _ in columns])
        for row in rows:
            writer.writerow([cell(row.get(name), kind) for name, kind in columns])


def _jsonl(rows: list[dict[str, Any]], columns, path) -> None:
    import json

    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({name: row.get(name) for name, _ in columns}, ensure_ascii=False) + "\n")

"""`unspun scan`: every derived pair and cluster in a corpus, locally or on Apache Spark."""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import sys
from contextlib import contextmanager

from ..read.text import DEFAULT_MAX_BYTES, MB
from .arguments import megabytes, positive
from .progress import Warnings

DESCRIPTION = (
    "Find every derived pair in the documents of PATHs (any input `unspun read` takes): candidates "
    "by shared word 8-grams and similar sentences, each verified with the aligner. Writes "
    "DIR/pairs.parquet (original, derived, direction, verdict, rewrite_share, source_share, "
    "passages, score) and DIR/clusters.parquet (cluster, id, role), and prints a summary. "
    "direction is 'dated' (the earlier published date is the original), 'evidence' (one text is "
    "mostly contained in the other: that one is derived) or 'unknown' (original is then the "
    "smaller id). Clusters are stars: a centre and the documents verified against it, never "
    "chained through a third document. With --against INDEX, only pairs of the new documents "
    "(with the index's documents and with each other) are looked for; add --add to put the new "
    "documents into INDEX afterwards."
)

EPILOG = """examples:
  unspun scan crawl/ --out scan/
  unspun scan today.warc.gz --against archive-index/ --out today-scan/
  unspun scan today.warc.gz --against archive-index/ --add --out today-scan/   # and grow the archive
  unspun scan corpus/ --out scan/ --engine spark                       # Spark, local[*]
  unspun scan corpus/ --out scan/ --engine spark --master spark://host:7077
  spark-submit --master yarn $(which unspun) scan corpus/ --out scan/ --engine spark

exit status: 0 done, 2 bad input, 3 model unavailable, 4 some documents could not be read (the
rest were scanned), 1 other error."""


def add_scan_parser(sub) -> None:
    sc = sub.add_parser(
        "scan",
        help="find every derived pair and cluster in a corpus (locally or on Apache Spark)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    sc.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, WARC, JSONL... (as `unspun read`)")
    sc.add_argument("--out", required=True, metavar="DIR", help="where to write pairs.parquet and clusters.parquet (created if needed)")
    sc.add_argument("--engine", choices=("local", "spark"), default="local",  # scan.engines.ENGINES
                    help="run in this process (default) or on Apache Spark (needs pyspark: pip install 'unspun[spark]')")
    sc.add_argument("--master", default=None, metavar="URL",
                    help="Spark master URL for --engine spark (default: local[*], or what spark-submit set)")
    sc.add_argument("--against", metavar="INDEX",
                    help="an index directory (`unspun index`): check the new documents of PATHs against it")
    sc.add_argument("--add", action="store_true",
                    help="with --against: after checking, add the new documents to INDEX (a changed text replaces "
                         "the indexed one), so a daily crawl grows the archive")
    sc.add_argument("--jobs", type=positive, default=min(4, os.cpu_count() or 1), metavar="N",
                    help="worker processes for the local engine (default: the cores, at most 4)")
    sc.add_argument("--top", type=positive, default=10, metavar="K",
                    help="candidates verified per document (default: 10)")
    sc.add_argument("--max-size", type=megabytes, default=DEFAULT_MAX_BYTES / MB, metavar="MB", help="per-document limit (default: %(default)g)")


def run_scan(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..read import iter_documents
    from ..scan import engines

    if args.top < 1:
        raise InputError("--top must be at least 1")
    if args.master and args.engine != "spark":
        raise InputError("--master goes with --engine spark")
    if args.add and not args.against:
        raise InputError("--add goes with --against INDEX")
    warn = Warnings()
    # Read lazily: the local engine prepares a batch at a time and keeps compact records.
    docs = iter_documents(args.paths, max_bytes=int(args.max_size * 1024 * 1024), warn=warn)
    first = next(docs, None)
    if first is None:
        raise InputError("no documents to scan")
    docs = itertools.chain([first], docs)
    with _progress(args.engine) as progress:
        engine = engines.make_engine(args.engine, jobs=args.jobs, master=_master(args), progress=progress)
        if args.against:
            from ..store import Index

            with Index(args.against, create=False) as index:
                result = engines.scan_against(docs, index, engine, top=args.top, add=args.add)
        else:
            result = engines.scan(docs, engine, top=args.top)
    pairs_path, clusters_path = engines.write_parquet(result, args.out)
    _summary(result, pairs_path, clusters_path, args.against)
    if warn.messages:
        n = len(warn.messages)
        print(f"unspun: {n} document{'s' if n != 1 else ''} could not be read", file=sys.stderr)
        return 4
    return 0


def _master(args: argparse.Namespace) -> str | None:
    if args.master:
        return args.master
    # Under spark-submit the master is already set: leave it; otherwise local[*].
    return None if os.environ.get("SPARK_ENV_LOADED") or "spark.master" in os.environ.get("PYSPARK_SUBMIT_ARGS", "") else "local[*]"


@contextmanager
def _progress(engine: str):
    """A bar per stage on a terminal for the local engine; log lines for Spark (and off a
    terminal, nothing but the summary)."""
    if engine == "spark":
        logging.basicConfig(level=logging.INFO, format="unspun: %(message)s", stream=sys.stderr)
        logging.getLogger("py4j").setLevel(logging.WARNING)

        def log_stage(stage: str, done: int, total: int | None) -> None:
            logging.getLogger("unspun.scan").info("%s: %d%s", stage, done, f" of {total}" if total else "")

        yield log_stage
        return
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int | None) -> None:  # None: not known yet (read lazily)
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update


def _summary(result, pairs_path: str, clusters_path: str, index_path: str | None = None) -> None:
    from collections import Counter

    directions = Counter(p["direction"] for p in result.pairs)
    centres = sum(1 for c in result.clusters if c["role"] == "centre")
    print(f"{result.documents} documents, {result.candidates} candidate pairs, {len(result.pairs)} verified derived pairs "
          f"({', '.join(f'{directions[d]} {d}' for d in ('dated', 'evidence', 'unknown'))}), "
          f"{centres} clusters, {result.seconds:.1f} s")
    print(f"wrote {pairs_path} and {clusters_path}")
    if result.indexed is not None:
        print(f"added {result.indexed} document{'s' if result.indexed != 1 else ''} to {index_path}")

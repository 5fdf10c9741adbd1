"""`unspun scan`: every derived pair and cluster in a corpus, locally or on Apache Spark."""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..read.text import DEFAULT_MAX_BYTES, MB
from ..report.scan_html import PAIR_REPORTS
from .arguments import count, megabytes, positive

FORMATS = ("parquet", "csv", "jsonl")  # scan.engines.FORMATS (not imported here: it loads the engines)
from .progress import Warnings

if TYPE_CHECKING:
    from ..types import Document

DESCRIPTION = """\
Find every derived pair in the documents of PATHs (any input `unspun read` takes) and group them
into clusters. Candidates come from shared word 8-grams and similar sentences; each is verified
with the aligner. Prints a summary with the strongest pairs and largest clusters, and writes
DIR/pairs.FORMAT and DIR/clusters.FORMAT (columns below); --html adds a page to open in a browser."""

EPILOG = """\
pairs.FORMAT, one row per verified derived pair:
  original, derived    the two document ids; when direction is 'unknown' these are only the
                       smaller and the larger id: read the pair as original <-> derived
  direction            'dated' (the earlier date is the original), 'evidence' (marks in the
                       texts say which is derived, e.g. one mostly lies inside the other) or
                       'unknown'
  directed             false when direction is 'unknown', true otherwise
  direction_evidence   why the direction holds, in words ('' or 'both derive from X' if undirected)
  verdict              wholly-derived or partially-derived (non-derived pairs are left out)
  rewrite_share        share of derived's text found in original (0..1)
  source_share         share of original's text found in derived (0..1)
  passages             how many reused passages the aligner found
  passage_spans        the passages: original_start, original_end, derived_start, derived_end
                       (character offsets, end exclusive), kind (verbatim, near-verbatim,
                       paraphrase, summary, translation), score (mean sentence similarity, 0..1)
  score                the candidate score from retrieval, before verification: the share of
                       one of the two texts matched by shared 8-grams or similar sentences,
                       whichever is larger (0..1)
clusters.FORMAT: cluster (its centre's id), id, role (centre or member). Clusters are stars: a
centre and the documents verified against it, never chained through a third document.
--format csv writes passage_spans as a JSON string and booleans as true/false; jsonl nests them.
With --against INDEX, only pairs of the new documents (with the index's documents and with each
other) are looked for; add --add to put the new documents into INDEX afterwards.

examples:
  unspun scan crawl/ --out scan/ --html scan/index.html     # then open scan/index.html
  unspun scan crawl/ --out scan/ --format csv
  unspun scan today.warc.gz --against archive-index/ --out today-scan/
  unspun scan today.warc.gz --against archive-index/ --add --out today-scan/  # grow the archive
  unspun scan corpus/ --out scan/ --engine spark                       # Spark, local[*]
  unspun scan corpus/ --out scan/ --engine spark --master spark://host:7077
  unspun scan 'hdfs:///crawl/*.warc.gz' --out scan/ --engine spark --master spark://host:7077
  spark-submit --master yarn $(which unspun) scan corpus/ --out scan/ --engine spark

exit status: 0 done, 2 bad input, 3 model unavailable, 4 some documents could not be read (the
rest were scanned), 1 other error."""

SUMMARY_PAIRS = 5  # strongest pairs listed after the counts
SUMMARY_CLUSTERS = 3  # largest clusters listed


def add_scan_parser(sub) -> None:
    sc = sub.add_parser(
        "scan",
        help="find every derived pair and cluster in a corpus (locally or on Apache Spark)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    sc.add_argument("paths", nargs="+", metavar="PATH",
                    help="files, folders, WARC, JSONL... (as `unspun read`); with --engine spark, on storage "
                         "every executor sees, or hdfs://, s3a://... URIs (the executors read them)")
    sc.add_argument("--out", required=True, metavar="DIR", help="where to write pairs.FORMAT and clusters.FORMAT (created if needed)")
    sc.add_argument("--format", choices=FORMATS, default="parquet",
                    help="file format of the pairs and clusters (default: parquet); the same rows and columns in each")
    sc.add_argument("--html", metavar="FILE",
                    help="also write a page to open in a browser (e.g. DIR/index.html): the clusters and the pairs, "
                         "the strongest linked to their side-by-side reports, written beside it in pairs/")
    sc.add_argument("--html-pairs", type=count, default=PAIR_REPORTS, metavar="N",
                    help="with --html: side-by-side reports for the N strongest pairs, each compared again "
                         "(default: %(default)s; 0 for none)")
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
    if args.html:
        _check_html(args.html)
    warn = Warnings()
    max_bytes = int(args.max_size * 1024 * 1024)
    docs: Iterable[Document]
    if args.engine == "spark":
        from ..scan.inputs import Inputs

        # Spark's executors read the input (paths on storage they all see, or hdfs://, s3a://...
        # URIs); here the local paths are only listed.
        docs = Inputs(args.paths, max_bytes=max_bytes, warn=warn)
    else:
        # Read lazily: the local engine prepares a batch at a time and keeps compact records.
        read = iter_documents(args.paths, max_bytes=max_bytes, warn=warn)
        first = next(read, None)
        if first is None:
            raise InputError("no documents to scan")
        docs = itertools.chain([first], read)
    with _progress(args.engine) as progress:
        engine = engines.make_engine(args.engine, jobs=args.jobs, master=_master(args), progress=progress)
        if args.against:
            from ..store import Index

            with Index(args.against, create=False) as index:
                result = engines.scan_against(docs, index, engine, top=args.top, add=args.add)
        else:
            result = engines.scan(docs, engine, top=args.top)
    pairs_path, clusters_path = engines.write_rows(result, args.out, args.format)
    _summary(result, pairs_path, clusters_path, args.against)
    if args.html:
        _write_html(result, args.html, args.html_pairs)
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
    _strongest(result)


def _strongest(result) -> None:
    """The strongest pairs (→ when directed, ↔ when not) and the largest clusters, ids shown
    through ``visible``."""
    from ..report.scan_html import arrow, cluster_stars, ranked
    from ..report.terminal import visible

    pairs = ranked(result.pairs)[:SUMMARY_PAIRS]
    if pairs:
        print("strongest pairs (→ original to derived, ↔ direction unknown):")
    for p in pairs:
        print(f"  {p['rewrite_share']:4.0%}  {visible(p['verdict']):<17} {visible(p['original'])} {arrow(p)} "
              f"{visible(p['derived'])}  ({visible(p['direction'])})")
    stars = cluster_stars(result.clusters)[:SUMMARY_CLUSTERS]
    if stars:
        print("largest clusters:")
    for centre, members in stars:
        size = (f"{len(members) + 1} documents (the centre and {len(members)} member{'s' if len(members) != 1 else ''})"
                if members else "1 document (the centre alone)")
        print(f"  {visible(centre)}: {size}")


def _check_html(path: str) -> None:
    """The page's folder is made if needed (as --out is), then checked writable, before the work."""
    from pathlib import Path

    from ..errors import InputError
    from .outputs import check_writable

    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path}: cannot make its folder ({exc.strerror or exc}); write the HTML report elsewhere") from exc
    check_writable(path, "HTML report")


def _write_html(result, path: str, pair_reports: int) -> None:
    from ..errors import InputError
    from ..report.scan_html import write_scan_html

    if pair_reports and result.pairs:
        n = min(pair_reports, len(result.pairs))
        what = "the pair again for its report" if n == 1 else f"the {n} strongest pairs again for their reports"
        print(f"unspun: comparing {what}", file=sys.stderr)
    try:
        written = write_scan_html(result, path, pair_reports)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the HTML report ({exc.strerror or exc})") from exc
    print(f"wrote {path} ({written} pair report{'s' if written != 1 else ''} in pairs/ beside it)")

"""`unspun index`, `unspun trace` and `unspun eval pan`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .outputs import check_writable, write_html
from .progress import Warnings, count_bar


def run_index(args: argparse.Namespace) -> int:
    import json

    from ..read import iter_documents
    from ..store import Index

    warn = Warnings()
    # Only what adds documents may create (or write) the index: `--stats` alone reads, a
    # read-only index too, and a mistyped DIR is said to hold no index instead of made one.
    with Index(args.index, create=bool(args.paths)) as index:
        if args.paths:
            docs = iter_documents(args.paths, max_bytes=int(args.max_size * 1024 * 1024), warn=warn)
            with count_bar("indexing") as tick:
                result = index.add(docs, progress=tick, jobs=args.jobs, crosslingual=args.crosslingual)
            print(f"{result.added} added, {result.replaced} replaced, {result.unchanged} unchanged; "
                  f"{len(index)} documents in {args.index}", file=sys.stderr)
        if args.stats or not args.paths:
            print(json.dumps(index.stats(), indent=2))
    failures = warn.messages
    if failures:
        print(f"unspun: {len(failures)} document{'s' if len(failures) != 1 else ''} could not be indexed", file=sys.stderr)
        return 4
    return 0


def run_trace(args: argparse.Namespace) -> int:
    from ..read import read_one
    from ..read.text import MB
    from ..store import Index

    if args.html:
        check_writable(args.html, "HTML report")
    query = read_one(args.query, int(args.max_size * MB))
    with Index(args.index, create=False) as index:
        result = index.trace(query, top=args.top, verify=args.verify)
    best = next((s.report for s in result.sources if s.report and s.report.verdict != "non-derived"), None)
    if args.html and best is not None:
        write_html(args.html, best)
    if args.json:
        print(result.to_json())
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..report.terminal import render_terminal, visible

    console = Console()
    # Ids are file names and URLs, hostile ones too: plain Text (not markup), controls made visible.
    table = Table(title=Text(visible(f"sources of {query.id} in {args.index}")), expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source", ratio=1, overflow="fold")
    for col in ("verdict", "rewrite", "source", "candidate"):
        table.add_column(col, no_wrap=True)
    for k, s in enumerate(result.sources, 1):
        cov = s.report.judgement.coverage if s.report else None
        table.add_row(str(k), Text(visible(s.id)), s.verdict,
                      f"{cov['rewrite_share']:.0%}" if cov else "-", f"{cov['source_share']:.0%}" if cov else "-", f"{s.score:.2f}")
    console.print(table)
    if best is not None:
        render_terminal(best, console)
    else:
        console.print("No indexed document was verified as a source.", style="green")
    if args.html and best is not None:
        print(f"HTML report of the best source written to {args.html}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    import json

    from ..eval.pan import pan_cases, pan_detections, pan_retrieval, plagdet
    from ..read import iter_documents
    from ..store import Index

    folder = Path(args.dir)
    pairs, cases = pan_cases(folder)  # either layout; a clear error for neither
    if args.pairs:
        pairs = pairs[: args.pairs]
    keys = {f"{a}|{b}" for a, b in pairs}
    cases = [c for c in cases if c[0] in keys]
    with Index(args.index) as index:
        if not len(index):
            with count_bar("indexing") as tick:
                index.add(iter_documents([folder / "src"]), progress=tick)
        retrieval = pan_retrieval(index, folder, pairs)
    alignment = plagdet(cases, pan_detections(pairs, folder))
    figures = {"pairs": len(pairs), "cases": len(cases), **retrieval, **alignment}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>12}  {value:.3f}" if isinstance(value, float) else f"{key:>12}  {value}")
    return 0

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
                result = index.add(docs, progress=tick, jobs=args.jobs, crosslingual=args.crosslingual, vectors=args.vectors)
            print(f"{result.added} added, {result.replaced} replaced, {result.unchanged} unchanged; "
                  f"{len(index)} documents in {args.index}", file=sys.stderr)
        if args.stats or not args.paths:
            print(json.dumps(index.stats(), indent=2))
    failures = warn.messages
    if failures:
        print(f"unspun: {len(failures)} document{'s' if len(failures) != 1 else ''} could not be indexed", file=sys.stderr)
        return 4
    return 0


# `unspun trace --help` ends with this, and docs/trace.md says the same at more length.
TRACE_EPILOG = """columns of the table:
  #             rank: sources verified as derived first, by query share; then the rest by candidate
  source        the indexed document's id (its file name, URL or record id when indexed)
  verdict       the aligner's verdict on the pair: wholly-derived, partially-derived or non-derived;
                or why it was not compared: "unverified: query explained" (the sources above already
                explain 95% or more of the query), "unverified: adds nothing" (its evidence lies only
                in text the sources above explain), "unverified: beyond --verify N" (N candidates
                were compared, the most --verify allows; raise it to verify more)
  query share   how much of the query (its text less site chrome) comes from this source
  source share  how much of this source is reused in the query
  candidate     the candidate score, 0 to 1, that chose which sources to verify: the largest share
                of the query that one cheap search found in the source (its runs of 8 words, or its
                sentences with a near semantic code, or across languages a near multilingual one)

Candidates are verified in rank order until the query is explained (95% of it lies in passages of
the sources verified) or no candidate's evidence touches what is left, at most --verify of them.
Every source verified as derived is listed, even past --top. Fewer rows than --top are listed when
fewer indexed documents share any evidence with the query; a line under the table says so, one
says how many rows are unverified and why, and one how much of the query no source explains. The
time the whole trace took goes to standard error. --json prints the same as JSON (docs/trace.md).

examples:
  unspun index releases/ --index idx
  unspun trace blog-post.html --index idx
  unspun trace story.txt --index idx --top 20 --verify 30 --json > sources.json"""


def run_trace(args: argparse.Namespace) -> int:
    import time

    from ..read import read_one
    from ..read.text import MB
    from ..store import Index

    if args.html:
        check_writable(args.html, "HTML report")
    query = read_one(args.query, int(args.max_size * MB))
    started = time.perf_counter()
    with Index(args.index, create=False) as index:
        result = index.trace(query, top=args.top, verify=args.verify)
        indexed = len(index)
        if index.met_stale_vectors:
            print(f"unspun: {args.index} keeps sentence vectors made by another version of the model (an older "
                  "unspun): those sources were embedded now, which is slower. Index their paths again "
                  f"(`unspun index PATH... --index {args.index}`) to refresh them", file=sys.stderr)
    seconds = time.perf_counter() - started  # the whole trace: retrieval and every verification
    best = next((s.report for s in result.sources if s.report and s.report.verdict != "non-derived"), None)
    if args.html and best is not None:
        write_html(args.html, best)
    if args.json:
        print(result.to_json())
        return 0
    from dataclasses import replace

    from rich.console import Console

    from ..report.terminal import ReportConsole, render_terminal

    console = ReportConsole()  # a closed pipe (`| head`) ends the command quietly, status 0
    console.print(trace_table(result, args.index, args.verify))
    for note in trace_notes(result, args.top, args.verify, indexed):
        console.print(note, style="dim", highlight=False)
    if best is not None:
        # Its own timing is one compare's; the trace's, for all of them, follows on stderr.
        render_terminal(replace(best, timings={}), console)
    elif any(s.report for s in result.sources) or not result.sources:
        console.print("No indexed document was verified as a source.", style="green")
    if args.html and best is not None:
        print(f"HTML report of the best source written to {args.html}", file=sys.stderr)
    Console(stderr=True).print(trace_timing(result, seconds), style="dim", highlight=False)
    return 0


def trace_table(result, index_name: str, verify: int):
    """The ranked sources: the columns are defined in TRACE_COLUMNS (`unspun trace --help`)."""
    from rich.table import Table
    from rich.text import Text

    from ..report.terminal import visible
    from ..retrieve import short_reason

    # Ids are file names and URLs, hostile ones too: plain Text (not markup), controls made visible.
    table = Table(title=Text(visible(f"sources of {result.query.id} in {index_name}")), expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source", ratio=1, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("query share", justify="right", no_wrap=True)
    table.add_column("source share", justify="right", no_wrap=True)
    table.add_column("candidate", justify="right", no_wrap=True)
    for k, s in enumerate(result.sources, 1):
        cov = s.report.judgement.coverage if s.report else None
        verdict = s.verdict if s.report else short_reason(s, verify)
        table.add_row(str(k), Text(visible(s.id)), verdict,
                      f"{cov['rewrite_share']:.0%}" if cov else "-", f"{cov['source_share']:.0%}" if cov else "-",
                      f"{s.score:.2f}")
    return table


def trace_notes(result, top: int, verify: int, indexed: int) -> list[str]:
    """One line each: why fewer sources than --top are listed, and why some have no verdict."""
    from ..retrieve import CANDIDATES

    notes = []
    listed, found = len(result.sources), result.candidates
    evidence = "8 words in a row or a sentence of like meaning with the query"
    if listed == 0:
        notes.append(f"No source listed: none of the {indexed} indexed documents shares {evidence}.")
    elif listed < top:
        capped = f" (each search stops at its best {CANDIDATES})" if result.capped else ""
        notes.append(f"{listed} source{'s' if listed != 1 else ''} listed, not {top}: only {found} of the {indexed} "
                     f"indexed documents share{'s' if found == 1 else ''} {evidence}{capped}.")
    from ..retrieve import EXPLAINED_REASON, NOTHING_TO_ADD_REASON

    unverified = [s for s in result.sources if s.report is None]
    beyond = sum(1 for s in unverified if s.reason not in (EXPLAINED_REASON, NOTHING_TO_ADD_REASON))
    if beyond:
        what = "no candidate is verified" if verify == 0 else f"only the {verify} best candidate{'s are' if verify != 1 else ' is'} verified"
        notes.append(f"{beyond} source{'s' if beyond != 1 else ''} not verified: {what} (--verify {verify}); "
                     f"raise it, e.g. --verify {verify + beyond}.")
    explained = sum(1 for s in unverified if s.reason == EXPLAINED_REASON)
    if explained:
        notes.append(f"{explained} source{'s' if explained != 1 else ''} not verified: the sources above already explain the query.")
    nothing = sum(1 for s in unverified if s.reason == NOTHING_TO_ADD_REASON)
    if nothing:
        notes.append(f"{nothing} source{'s' if nothing != 1 else ''} not verified: {'its' if nothing == 1 else 'their'} "
                     "evidence lies only in text the sources above explain.")
    share = getattr(result, "unexplained_share", None)
    if share is not None and listed:
        notes.append(f"{share:.0%} of the query is in no passage of a verified source.")
    return notes


def trace_timing(result, seconds: float) -> str:
    """The whole trace's time: finding candidates, embedding the query (against an index that keeps
    the model's vectors), and every verification."""
    verified = [s.report for s in result.sources if s.report]
    t = result.timings
    model = f"; model {verified[0].model}" if verified and verified[0].model else ""
    embedded = f"query embedded in {t['embed']:.2f} s, " if "embed" in t else ""
    return (f"traced in {seconds:.2f} s (candidates {t.get('candidates', 0.0):.2f} s, {embedded}"
            f"{result.verified} verified in {t.get('verify', 0.0):.2f} s){model}")


def run_eval(args: argparse.Namespace) -> int:
    import json
    import statistics

    from ..eval.pan import pan_cases, pan_detections, pan_retrieval, pan_trace, plagdet
    from ..read import iter_documents
    from ..store import Index
    from ..timing import percentile

    folder = Path(args.dir)
    pairs, cases = pan_cases(folder)  # either layout; a clear error for neither
    every = list(pairs)
    if args.pairs:
        pairs = pairs[: args.pairs]
    keys = {f"{a}|{b}" for a, b in pairs}
    figures: dict[str, float] = {"pairs": len(pairs), "cases": sum(1 for c in cases if c[0] in keys)}
    with Index(args.index) as index:
        if not len(index):
            with count_bar("indexing") as tick:
                index.add(iter_documents([folder / "src"]), progress=tick)
        figures.update(pan_retrieval(index, folder, pairs))
        if args.trace:
            # The whole path: every suspicious document of these pairs traced, against every
            # labelled case it holds (its other pairs' too).
            wanted = {a for a, _ in pairs}
            seconds: list[float] = []
            traced = pan_trace(index, folder, [p for p in every if p[0] in wanted], cases,
                               verify=args.verify, timings=seconds)
    figures.update(plagdet([c for c in cases if c[0] in keys], pan_detections(pairs, folder)))
    if args.trace:
        figures.update(traced)
        figures["trace_p50_s"] = statistics.median(seconds) if seconds else 0.0
        figures["trace_p95_s"] = percentile(seconds, 0.95)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>12}  {value:.3f}" if isinstance(value, float) else f"{key:>12}  {value}")
    return 0

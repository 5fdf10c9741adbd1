"""The command line: parse, call the pipeline, print. Errors become one line and an exit status.

Exit status: 0 a comparison completed (whatever the verdict), 2 bad input, 3 the model cannot be
loaded, 1 any other unspun error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import UnspunError

EPILOG = """examples:
  unspun compare press-release.txt blog-rewrite.txt
  unspun compare release.txt copy.html --json > report.json
  unspun compare release.txt copy.txt --html report.html

exit status: 0 done (any verdict), 2 bad input, 3 model unavailable, 4 some documents could not
be indexed (the rest were), 1 other error."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unspun",
        description="Trace rewritten text back to its source: find, align and judge reused passages.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"unspun {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    cmp = sub.add_parser(
        "compare",
        help="compare a rewrite with its supposed source",
        description=(
            "Compare REWRITE with SOURCE: the verdict (wholly-, partially- or non-derived), how much "
            "of each text is reused, and the aligned passages, each labelled verbatim, "
            "near-verbatim or paraphrase. Inputs are text files in any common encoding, or "
            "saved web pages (.html), whose article text is extracted first."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    cmp.add_argument("source", metavar="SOURCE", help="the original: a file (text, HTML, PDF, DOCX...) or - for standard input")
    cmp.add_argument("rewrite", metavar="REWRITE", help="the text suspected of reusing it: a file, or -")
    out = cmp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the report as JSON (schema in the README)")
    cmp.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")
    cmp.add_argument(
        "--model",
        default=None,
        help="sentence embedding model (default: minilm, all-MiniLM-L6-v2 shipped in a package; "
        "'hash' is a lexical stand-in with no model)",
    )
    cmp.add_argument(
        "--keep-chrome",
        action="store_true",
        help="do not set site chrome (author boxes, cookie notices, recent posts) aside",
    )
    cmp.add_argument(
        "--max-size",
        type=float,
        default=20.0,
        metavar="MB",
        help="refuse input files larger than this many megabytes (default: 20)",
    )
    cmp.add_argument(
        "--full", action="store_true", help="print passages whole instead of shortening long ones"
    )
    cmp.add_argument("--source-url", metavar="URL", help="the source's address, to find links and credit to it")
    cmp.add_argument("--source-title", metavar="TITLE", help="the source's title, if the source does not give it")
    cmp.add_argument("--source-publisher", metavar="NAME", help="who published the source (e.g. ITUC), to find credit to it")
    rd = sub.add_parser(
        "read",
        help="show what unspun reads from files, folders, WARC, JSONL, PDF, DOCX or stdin",
        description=(
            "Read PATHs as unspun does and show each document: its id, its metadata (title, author, "
            "date, url, site, language, encoding) and its text, with site chrome greyed out and "
            "metadata lines in italics. Folders are read recursively; '-' reads standard input. "
            "Unreadable records inside a corpus are skipped with a warning."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  unspun read page.html\n  unspun read crawl.warc.gz --json > docs.jsonl\n"
        "  unspun read export.jsonl --jsonl-text body --jsonl-id uuid --brief",
    )
    rd.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for standard input")
    rd.add_argument("--json", action="store_true", help="one JSON object per document and line")
    rd.add_argument("--brief", action="store_true", help="metadata only, not the text")
    rd.add_argument("--keep-chrome", action="store_true", help="do not mark site chrome")
    rd.add_argument("--max-size", type=float, default=20.0, metavar="MB", help="per-document limit (default: 20)")
    for field, default in (("text", "text"), ("id", "id"), ("url", "url"), ("date", "published"), ("title", "title")):
        rd.add_argument(f"--jsonl-{field}", default=default, metavar="FIELD", help=f"JSONL field holding the {field} (default: {default})")
    ix = sub.add_parser(
        "index",
        help="add documents to an index directory (incremental)",
        description=(
            "Add PATHs (any input `unspun read` takes) to the index in DIR, creating it if needed. "
            "Documents already there with the same id and text are skipped, changed ones replaced. "
            "The index holds full texts: its directory and files are readable by their owner only. "
            "A killed run keeps every committed batch; run the same command again to finish it."
        ),
    )
    ix.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - for standard input")
    ix.add_argument("--index", required=True, metavar="DIR", help="the index directory")
    ix.add_argument("--stats", action="store_true", help="print the index's counts and size (after adding PATHs, if any)")
    ix.add_argument("--max-size", type=float, default=20.0, metavar="MB", help="per-document limit (default: 20)")
    tr = sub.add_parser(
        "trace",
        help="find the sources of a document in an index",
        description=(
            "Rank the documents of the index that QUERY may derive from: candidates by shared word "
            "8-grams and similar sentences, the best verified with the aligner. Prints the ranked "
            "sources with verdict and reuse shares, then the full compare report of the best one."
        ),
    )
    tr.add_argument("query", metavar="QUERY", help="a file, or - for standard input")
    tr.add_argument("--index", required=True, metavar="DIR", help="the index directory")
    tr.add_argument("--top", type=int, default=10, metavar="K", help="how many sources to list (default: 10)")
    tr.add_argument("--verify", type=int, default=5, metavar="N", help="how many candidates to verify with the aligner (default: 5)")
    tr.add_argument("--json", action="store_true", help="print the result as JSON")
    tr.add_argument("--html", metavar="FILE", help="write the best source's compare report as HTML")
    ev = sub.add_parser("eval", help="score unspun on a labelled corpus")
    ev_sub = ev.add_subparsers(dest="eval_kind", metavar="KIND", required=True)
    pan = ev_sub.add_parser(
        "pan",
        help="PAN text alignment: retrieval recall and plagdet",
        description=(
            "Score source retrieval and text alignment on a PAN corpus in the pairs.tsv + cases.jsonl "
            "layout (src/, susp/): the index (built from DIR/src if empty) is asked for each suspicious "
            "document's sources (recall@k, MRR), and the passages of the labelled pairs are scored "
            "with PAN's character-level precision, recall, granularity and plagdet."
        ),
    )
    pan.add_argument("dir", metavar="DIR", help="the corpus folder (pairs.tsv, cases.jsonl, src/, susp/)")
    pan.add_argument("--index", required=True, metavar="IDX", help="an index of DIR/src (built if empty)")
    pan.add_argument("--pairs", type=int, default=0, metavar="N", help="only the first N pairs (default: all)")
    pan.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        handler = {"read": _read, "index": _index, "trace": _trace, "eval": _eval}.get(args.command, _compare)
        return handler(args)
    except UnspunError as exc:
        print(f"unspun: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("unspun: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _compare(args: argparse.Namespace) -> int:
    from .pipeline import compare

    max_bytes = int(args.max_size * 1024 * 1024)
    if args.source == "-" and args.rewrite == "-":
        raise UnspunError("only one of SOURCE and REWRITE can be - (standard input)")
    source = _one_document(args.source, max_bytes)
    rewrite = _one_document(args.rewrite, max_bytes)
    with _progress_bar() as progress:
        report = compare(
            source, rewrite, model=args.model, keep_chrome=args.keep_chrome, progress=progress,
            source_url=args.source_url, source_title=args.source_title, source_publisher=args.source_publisher,
        )
    if args.html:
        from .report.html import render_html

        try:
            Path(args.html).write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            raise UnspunError(f"{args.html}: cannot write the HTML report ({exc.strerror})") from exc
    if args.json:
        print(report.to_json())
    else:
        from .report.terminal import render_terminal

        render_terminal(report, width=0 if args.full else 360)
        if args.html:
            print(f"HTML report written to {args.html}")
    return 0


def _one_document(path: str, max_bytes: int):
    """The single document a compare input holds (a text, a page, a PDF, a one-record WARC...)."""
    from .errors import InputError
    from .readers import iter_documents

    if path != "-" and Path(path).is_dir():
        raise InputError(f"{path}: is a directory; compare takes one file on each side")
    warnings: list[str] = []
    docs = []
    for doc in iter_documents([path], max_bytes=max_bytes, warn=warnings.append):
        docs.append(doc)
        if len(docs) > 1:
            raise InputError(f"{path}: holds more than one document; compare takes one on each side "
                             "(`unspun read` lists them)")
    if not docs:
        reason = f" ({warnings[0]})" if warnings else ""
        raise InputError(f"{path}: no document could be read from it{reason}")
    return docs[0]


def _index(args: argparse.Namespace) -> int:
    import json

    from .readers import iter_documents
    from .store import Index

    failures: list[str] = []

    def warn(message: str) -> None:
        failures.append(message)
        print(f"unspun: warning: {message}", file=sys.stderr)

    with Index(args.index) as index:
        if args.paths:
            docs = iter_documents(args.paths, max_bytes=int(args.max_size * 1024 * 1024), warn=warn)
            with _count_bar("indexing") as tick:
                result = index.add(docs, progress=tick)
            print(f"{result.added} added, {result.replaced} replaced, {result.unchanged} unchanged; "
                  f"{len(index)} documents in {args.index}", file=sys.stderr)
        if args.stats or not args.paths:
            print(json.dumps(index.stats(), indent=2))
    if failures:
        print(f"unspun: {len(failures)} document{'s' if len(failures) != 1 else ''} could not be indexed", file=sys.stderr)
        return 4
    return 0


def _trace(args: argparse.Namespace) -> int:
    from .store import Index

    query = _one_document(args.query, 20 * 1024 * 1024)
    with Index(args.index, create=False) as index:
        result = index.trace(query, top=args.top, verify=args.verify)
    best = next((s.report for s in result.sources if s.report and s.report.verdict != "non-derived"), None)
    if args.html and best is not None:
        from .report.html import render_html

        Path(args.html).write_text(render_html(best), encoding="utf-8")
    if args.json:
        print(result.to_json())
        return 0
    from rich.console import Console
    from rich.table import Table

    from .report.terminal import render_terminal

    console = Console()
    table = Table(title=f"sources of {query.id} in {args.index}", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source", ratio=1, overflow="fold")
    for col in ("verdict", "rewrite", "source", "candidate"):
        table.add_column(col, no_wrap=True)
    for k, s in enumerate(result.sources, 1):
        cov = s.report.judgement.coverage if s.report else None
        table.add_row(str(k), s.id, s.verdict,
                      f"{cov['rewrite_share']:.0%}" if cov else "-", f"{cov['source_share']:.0%}" if cov else "-", f"{s.score:.2f}")
    console.print(table)
    if best is not None:
        render_terminal(best, console)
    else:
        console.print("No indexed document was verified as a source.", style="green")
    if args.html and best is not None:
        print(f"HTML report of the best source written to {args.html}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    import json

    from .errors import InputError
    from .evaluation import pan_cases, pan_detections, pan_retrieval, plagdet
    from .readers import iter_documents
    from .store import Index

    folder = Path(args.dir)
    if not (folder / "pairs.tsv").exists() or not (folder / "cases.jsonl").exists():
        raise InputError(f"{folder}: not a PAN corpus in the pairs.tsv + cases.jsonl layout")
    pairs, cases = pan_cases(folder)
    if args.pairs:
        pairs = pairs[: args.pairs]
    keys = {f"{a}|{b}" for a, b in pairs}
    cases = [c for c in cases if c[0] in keys]
    with Index(args.index) as index:
        if not len(index):
            with _count_bar("indexing") as tick:
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


@contextmanager
def _count_bar(label: str):
    """A counting progress bar on standard error (a terminal only)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn(f"{label} {{task.completed}} documents, last: {{task.description}}"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("", total=None)
    with bar:
        yield lambda doc: bar.update(task, advance=1, description=doc.id[-40:])


def _read(args: argparse.Namespace) -> int:
    import json

    from .clean import mark_chrome, mark_site_chrome
    from .readers import JsonlFields, iter_documents

    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        print(f"unspun: warning: {message}", file=sys.stderr)

    fields = JsonlFields(
        text=args.jsonl_text, id=args.jsonl_id, url=args.jsonl_url, date=args.jsonl_date, title=args.jsonl_title
    )
    docs = list(iter_documents(args.paths, max_bytes=int(args.max_size * 1024 * 1024), jsonl=fields, warn=warn))
    from .language import detect

    for doc in docs:
        doc.lang = doc.lang or detect(doc.text)
    if not args.keep_chrome:
        for doc in docs:
            mark_chrome(doc)
        mark_site_chrome(docs)
    if args.json:
        for doc in docs:
            print(json.dumps(document_json(doc), ensure_ascii=False))
    else:
        from .report.reading import render_documents

        render_documents(docs, brief=args.brief)
    if warnings:
        print(f"unspun: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}; "
              f"{len(docs)} document{'s' if len(docs) != 1 else ''} read", file=sys.stderr)
    return 0


def document_json(doc) -> dict:
    """The `unspun read --json` record of a document (one line per document)."""
    return {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "url": doc.url,
        "published": doc.published,
        "chrome": [s.to_list() for s in doc.chrome],
        "metadata": [s.to_list() for s in doc.meta.get("metadata", [])],
        "author": doc.meta.get("author"),
        "site": doc.meta.get("sitename"),
        "lang": doc.lang,
        "encoding": doc.meta.get("encoding"),
        "format": doc.meta.get("format"),
    }


@contextmanager
def _progress_bar(min_total: int = 256):
    """A progress callback that shows a bar on standard error, only for long inputs and only
    when standard error is a terminal (never in pipes or logs)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("embedding sentences"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < min_total:
            return
        if task is None:
            bar.start()
            task = bar.add_task("embed", total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        bar.stop()


if __name__ == "__main__":
    sys.exit(main())

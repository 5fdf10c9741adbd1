"""The command line: parse, call the library, print. Errors become one line and an exit status.

This module builds the parser and dispatches; each command lives in a module of its own.

Exit status: 0 a comparison completed (whatever the verdict), 2 bad input (arguments, files, an
index missing, damaged, unreadable or read-only), 3 the model cannot be loaded, 1 any other unspun
error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import UnspunError
from ..read.text import DEFAULT_MAX_BYTES, MB
from ..version import __version__
from .arguments import count, megabytes, positive

__all__ = ["build_parser", "main", "megabytes"]  # megabytes: the type of every --max-size (serve's too)

EPILOG = """examples:
  unspun compare press-release.txt blog-rewrite.txt
  unspun compare release.txt copy.html --json > report.json
  unspun compare release.txt copy.txt --html report.html

exit status: 0 done (any verdict), 2 bad input or an index that cannot be used, 3 model
unavailable, 4 some documents could not be indexed (the rest were), 1 other error."""

COMPARE_EPILOG = """the report:
  verdict   wholly-derived (70% or more of the rewrite lies in reused passages),
            partially-derived (less), or non-derived (no reused passage)
  rewrite   the share of the rewrite that is reused, and the document's title or file name
  source    the share of the source that was reused
  reuse     how: verbatim, near-verbatim, paraphrase, summary (a paraphrase that condenses
            twice its length of source) or translation (across languages)
  why       the evidence against the thresholds it had to reach; for a non-derived pair,
            the closest sentence pair and what it fell short of
  then each passage's sentence pairs side by side, and the fidelity: facts changed,
  source text dropped, sentences damaged, text added, credit to the source.
  The timing line goes to standard error; --json prints the same report as JSON.

inputs: text files in any common encoding, saved web pages (their article text), PDF, DOCX,
or - for standard input. Texts in two languages are compared across them (model e5).

examples:
  unspun compare press-release.txt blog-rewrite.txt
  unspun compare release.txt copy.html --json > report.json
  unspun compare release.txt copy.txt --html report.html

exit status: 0 done (any verdict), 2 bad input, 3 model unavailable, 5 an extra is
not installed, 1 other error, 130 interrupted.
environment: UNSPUN_MAX_SENTENCES (sentences per side, default 50,000), UNSPUN_MAX_PAGES,
UNSPUN_READ_SECONDS, UNSPUN_MAX_PARTS (PDF and DOCX reading limits)."""


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
        description="Compare REWRITE with SOURCE: was it made from it, how much of it, and how.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=COMPARE_EPILOG,
    )
    cmp.add_argument("source", metavar="SOURCE", help="the original: a file (text, HTML, PDF, DOCX...) or - for standard input")
    cmp.add_argument("rewrite", metavar="REWRITE", help="the text suspected of reusing it: a file, or -")
    out = cmp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the report as JSON (schema in the README)")
    cmp.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report to FILE")
    cmp.add_argument(
        "--model",
        default=None,
        help="sentence embedding model within one language (default: minilm-int8, all-MiniLM-L6-v2 with int8 weights, shipped in a "
        "package; minilm is the fp32 one; 'hash' is a lexical stand-in with no model); across languages e5 is used",
    )
    cmp.add_argument(
        "--keep-chrome",
        action="store_true",
        help="do not set site chrome (author boxes, cookie notices, recent posts) aside",
    )
    cmp.add_argument(
        "--max-size",
        type=megabytes,
        default=DEFAULT_MAX_BYTES / MB,
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
    rd.add_argument("--max-size", type=megabytes, default=DEFAULT_MAX_BYTES / MB, metavar="MB", help="per-document limit (default: %(default)g)")
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
    ix.add_argument(
        "--crosslingual", action="store_true",
        help="keep multilingual sentence codes of English documents too, so that `unspun trace` of a text in "
        "another language (Russian, German, Spanish...; not Kazakh) finds English sources; documents in other "
        "languages always get them. Costs about 3 ms a sentence when indexing, and 64 bytes a sentence; remembered by the index",
    )
    ix.add_argument(
        "--vectors", action="store_true",
        help="keep the sentence model's vector of every sentence, so that `unspun trace` embeds only its query "
        "and verifies sources several times faster. Costs some 5 ms a sentence when indexing (the model runs on "
        "every sentence) and 388 bytes a sentence; remembered by the index. Documents indexed before get them "
        "when their PATHs are indexed again",
    )
    ix.add_argument("--stats", action="store_true", help="print the index's counts and size (after adding PATHs, if any)")
    ix.add_argument("--max-size", type=megabytes, default=DEFAULT_MAX_BYTES / MB, metavar="MB", help="per-document limit (default: %(default)g)")
    ix.add_argument(
        "--jobs", type=positive, default=min(4, os.cpu_count() or 1), metavar="N",
        help="worker processes preparing documents while one writes (default: the cores, at most 4)",
    )
    from ..retrieve import VERIFY_CLI
    from .indexing import TRACE_EPILOG  # the table's columns, defined

    tr = sub.add_parser(
        "trace",
        help="find the sources of a document in an index",
        description=(
            "Rank the documents of the index that QUERY may derive from: candidates by shared word "
            "8-grams and similar sentences, then verified with the aligner, best first, until the query "
            "is explained. Prints every source with its verdict and reuse shares, how much of the query "
            "no source explains, then the full compare report of the best one."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=TRACE_EPILOG,
    )
    tr.add_argument("query", metavar="QUERY", help="a file, or - for standard input")
    tr.add_argument("--index", required=True, metavar="DIR", help="the index directory")
    tr.add_argument("--top", type=positive, default=10, metavar="K", help="how many sources to list (default: 10)")
    tr.add_argument("--verify", type=count, default=VERIFY_CLI, metavar="N",
                    help="verify candidates with the aligner, in rank order, until the query is explained or no "
                    "candidate can add to it, at most N of them (default: %(default)s; 0 verifies none)")
    tr.add_argument("--json", action="store_true", help="print the result as JSON")
    tr.add_argument("--html", metavar="FILE", help="write the best source's compare report as HTML")
    tr.add_argument("--max-size", type=megabytes, default=DEFAULT_MAX_BYTES / MB, metavar="MB",
                    help="refuse a QUERY file larger than this many megabytes (default: %(default)g)")
    ev = sub.add_parser("eval", help="score unspun on a labelled corpus")
    ev_sub = ev.add_subparsers(dest="eval_kind", metavar="KIND", required=True)
    pan = ev_sub.add_parser(
        "pan",
        help="PAN text alignment: retrieval recall and plagdet",
        description=(
            "Score source retrieval and text alignment on a PAN corpus (src/, susp/, and either "
            "pairs.tsv + cases.jsonl or PAN's own `pairs` file and XML files): the index (built "
            "from DIR/src if empty) is asked for each suspicious "
            "document's sources (recall@k, MRR), and the passages of the labelled pairs are scored "
            "with PAN's character-level precision, recall, granularity and plagdet. With --trace, the "
            "whole path too: each suspicious document traced as `unspun trace` does, the passages of "
            "every verified source scored against every labelled case of the document (trace_*; "
            "judged_trace_* sets aside passages of unlisted sources sharing 25 words in a row), the "
            "listed sources' recall@20, and the traces' p50 and p95 seconds."
        ),
    )
    pan.add_argument("dir", metavar="DIR", help="the corpus folder (src/, susp/, and pairs.tsv + cases.jsonl, or PAN's pairs + XML files)")
    pan.add_argument("--index", required=True, metavar="IDX", help="an index of DIR/src (built if empty)")
    pan.add_argument("--pairs", type=count, default=0, metavar="N", help="only the first N pairs (default: all)")
    pan.add_argument("--json", action="store_true", help="print the figures as JSON")
    pan.add_argument("--trace", action="store_true",
                     help="also score the whole path: trace each suspicious document and score its verified passages")
    pan.add_argument("--verify", type=count, default=VERIFY_CLI, metavar="N",
                     help="with --trace: at most N candidates verified per trace, as `unspun trace --verify` (default: %(default)s)")
    from .serving import add_serve_parser  # small: uvicorn and the app load only when it runs

    add_serve_parser(sub)
    from .scanning import add_scan_parser  # small: the scan's engines load only when it runs

    add_scan_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        status = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
        return status
    except BrokenPipeError:
        # `unspun compare A B | head`: the reader has what it wanted. Python's advice (the signal
        # module's "Note on SIGPIPE"): point standard output at devnull, so that the flush at exit
        # does not fail again, and leave quietly.
        _discard_stdout()
        return 0


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a file (a test's StringIO): nothing to flush
        pass


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # a usage error (its message printed) or --help: a status like the rest
        return stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    if args.command is None:
        parser.print_help()
        return 0
    _show_read_warnings()
    try:
        return _handler(args.command)(args)
    except UnspunError as exc:
        from ..report.terminal import visible  # the message may name a hostile file

        print(f"unspun: error: {visible(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("unspun: interrupted", file=sys.stderr)
        return 130


def _show_read_warnings() -> None:
    """A document skipped while reading (a ReadWarning from the library) is one line, as the
    command's own warnings are, not Python's two lines naming a source file of unspun's."""
    import warnings

    from ..read.problems import ReadWarning
    from ..report.terminal import visible

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, ReadWarning):
            print(f"unspun: warning: {visible(str(message))}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


def _handler(command: str):
    """The command's function, imported only when it runs (start-up time matters)."""
    if command == "read":
        from .reading import run_read

        return run_read
    if command in ("index", "trace", "eval"):
        from . import indexing

        return {"index": indexing.run_index, "trace": indexing.run_trace, "eval": indexing.run_eval}[command]
    if command == "serve":
        from .serving import run_serve

        return run_serve
    if command == "scan":
        from .scanning import run_scan

        return run_scan
    from .comparing import run_compare

    return run_compare

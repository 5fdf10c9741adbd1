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

exit status: 0 compared (any verdict), 2 bad input, 3 model unavailable, 1 other error."""


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
    cmp.add_argument("source", metavar="SOURCE", help="the original text (a file path)")
    cmp.add_argument("rewrite", metavar="REWRITE", help="the text suspected of reusing it (a file path)")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _compare(args)
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
    from .read import read_path

    max_bytes = int(args.max_size * 1024 * 1024)
    source = read_path(args.source, max_bytes=max_bytes)
    rewrite = read_path(args.rewrite, max_bytes=max_bytes)
    with _progress_bar() as progress:
        report = compare(source, rewrite, model=args.model, keep_chrome=args.keep_chrome, progress=progress)
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

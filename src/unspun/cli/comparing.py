"""`unspun compare`."""

from __future__ import annotations

import argparse
import sys

from ..errors import UnspunError
from .outputs import check_writable, write_html
from .progress import progress_bar


def run_compare(args: argparse.Namespace) -> int:
    from ..pipeline import compare
    from ..read import read_one

    max_bytes = int(args.max_size * 1024 * 1024)
    if args.source == "-" and args.rewrite == "-":
        raise UnspunError("only one of SOURCE and REWRITE can be - (standard input)")
    if args.html:
        check_writable(args.html, "HTML report")
    source = read_one(args.source, max_bytes)
    rewrite = read_one(args.rewrite, max_bytes)
    with progress_bar() as progress:
        report = compare(
            source, rewrite, model=args.model, keep_chrome=args.keep_chrome, progress=progress,
            source_url=args.source_url, source_title=args.source_title, source_publisher=args.source_publisher,
        )
    if args.html:
        write_html(args.html, report)
    if args.json:
        print(report.to_json())
    else:
        from ..report.terminal import render_terminal

        render_terminal(report, width=0 if args.full else 360)
        if args.html:
            print(f"HTML report written to {args.html}", file=sys.stderr)
    return 0


"""What a command says on standard error while it works: warnings, and progress bars (those on a
terminal only, never in pipes or logs)."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


@contextmanager
def count_bar(label: str):
    """A counting progress bar on standard error (a terminal only)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..report.terminal import visible

    bar = Progress(SpinnerColumn(), TextColumn(f"{label} {{task.completed}} documents, last: {{task.description}}"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("", total=None)
    with bar:
        # The description is rich markup: a file name's brackets and controls are escaped.
        yield lambda doc: bar.update(task, advance=1, description=escape(visible(doc.id[-40:])))


LONG_SECONDS = 15  # work expected to take longer than this is announced, terminal or not
_clock = time.monotonic  # its own name, so that a test can set the time


@contextmanager
def progress_bar(min_total: int = 256):
    """A progress callback for the embedding of a comparison's sentences. Work expected to take
    long is announced on standard error in one line (in pipes and logs too); a bar shows only
    for long inputs and only when standard error is a terminal (never in pipes or logs).

    The expectation is the pace of the first batch, not a fixed rate: a sentence's cost grows
    with its length (a text of short lines without full stops makes sentences of 30 lines)."""
    started: float | None = None
    announced = False

    def announce(done: int, total: int) -> None:
        nonlocal started, announced
        now = _clock()
        if started is None or done == 0:
            started = now
            return
        if announced or done >= total:
            return
        announced = True
        left = (now - started) / done * (total - done)
        if left > LONG_SECONDS:
            estimate = f"{left / 60:.0f} min" if left >= 90 else f"{left:.0f} s"
            print(f"unspun: embedding {total:,} sentences; about {estimate} more at this pace", file=sys.stderr)

    if not sys.stderr.isatty():
        yield announce
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
        announce(done, total)
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


class Warnings:
    """Called with a message: prints it as a warning at once and keeps it in ``messages``."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: str) -> None:
        from ..report.terminal import visible  # it names files and records, hostile ones too

        self.messages.append(message)
        print(f"unspun: warning: {visible(message)}", file=sys.stderr)

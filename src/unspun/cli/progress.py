"""What a command says on standard error while it works: warnings, and progress bars (those on a
terminal only, never in pipes or logs)."""

from __future__ import annotations

import sys
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


@contextmanager
def progress_bar(min_total: int = 256):
    """A progress callback for the embedding of a comparison's sentences. Work expected to take
    long is announced on standard error in one line (in pipes and logs too); a bar shows only
    for long inputs and only when standard error is a terminal (never in pipes or logs)."""
    announced = False

    def announce(total: int) -> None:
        nonlocal announced
        from ..pipeline import SENTENCES_PER_SECOND  # the measured rate the estimate uses

        seconds = total / SENTENCES_PER_SECOND
        if not announced and seconds > LONG_SECONDS:
            estimate = f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"
            print(f"unspun: embedding {total:,} sentences; this takes about {estimate} on 2 cores", file=sys.stderr)
        announced = True

    if not sys.stderr.isatty():
        yield lambda done, total: announce(total)
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
        announce(total)
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

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


@contextmanager
def progress_bar(min_total: int = 256):
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


class Warnings:
    """Called with a message: prints it as a warning at once and keeps it in ``messages``."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: str) -> None:
        from ..report.terminal import visible  # it names files and records, hostile ones too

        self.messages.append(message)
        print(f"unspun: warning: {visible(message)}", file=sys.stderr)

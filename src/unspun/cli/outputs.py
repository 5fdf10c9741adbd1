"""Files the commands write (HTML reports): checked before the work starts, so that a path that
cannot be written fails in one line at once, not with a traceback after the comparison."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError


def check_writable(path: str, what: str) -> None:
    """Refuses, before the work, an output file that cannot be written: a directory, one in a
    folder that does not exist or may not be written, a file that may not be replaced."""
    try:
        _check_writable(Path(path), what)
    except PermissionError:  # a folder on the way that may not be entered
        raise InputError(f"{path}: cannot write the {what} there (permission denied); write it elsewhere") from None


def _check_writable(target: Path, what: str) -> None:
    path, folder = str(target), target.parent
    if target.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for the {what}")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it or write the {what} elsewhere")
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(f"{path}: cannot write the {what} there (permission denied); write it elsewhere")


def write_html(path: str, report) -> None:
    """The report as a self-contained HTML page at ``path`` (checked, still it may fail: a full disk)."""
    from ..report.html import render_html

    try:
        Path(path).write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the HTML report ({exc.strerror or exc})") from exc

"""Opening a named file safely, and names fit to print and store.

Only regular files are read: a FIFO would block the open forever and a device (``/dev/zero``)
never ends, so anything else, symlinks resolved, is refused before it is opened. Even a regular
file is read only up to one byte past the limit (its size can change after it is looked at).
Every ``OSError`` (missing, unreadable, a name too long) becomes a one-line ``InputError``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .limits import over_limit

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def cannot(path: Path | str, exc: OSError) -> InputError:
    """An OSError about ``path`` as the one-line InputError to raise."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{path}: no such file")
    return InputError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})")


def regular_size(path: Path) -> int:
    """The size of ``path``, which must be (or link to) a regular file; InputError otherwise."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise cannot(path, exc) from exc
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "a special file")
        raise InputError(f"{path}: is not a regular file ({kind}); give a file")
    return st.st_size


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a missing, unreadable, special or oversized file before anything reads it."""
    size = regular_size(path)
    if size > max_bytes:
        raise InputError(over_limit(str(path), max_bytes, size))


def open_binary(path: Path) -> BinaryIO:
    """Open a regular file for reading bytes, turning the usual failures into InputError."""
    regular_size(path)  # before opening: opening a FIFO blocks
    try:
        return open(path, "rb")
    except OSError as exc:
        raise cannot(path, exc) from exc


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file within the limit; InputError for anything else."""
    check_size(path, max_bytes)
    with open_binary(path) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise cannot(path, exc) from exc
    if len(data) > max_bytes:  # it grew since it was measured
        raise InputError(over_limit(str(path), max_bytes))
    return data


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a directory; a name the system refuses (too long...) is an InputError."""
    try:
        return path.is_dir()
    except OSError as exc:
        raise cannot(path, exc) from exc


def printable(name: str) -> str:
    """``name`` encodable as UTF-8, for ids and origins that are printed, sent as JSON and
    stored in SQLite. A file name that is not UTF-8 comes from the system with its bad bytes as
    lone surrogates ("surrogateescape"): they become ``\\xff`` escapes, which keep two such
    names apart. Any other lone surrogate (JSON allows "\\ud800") becomes U+FFFD."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    raw = name.encode("utf-8", "surrogateescape") if _only_escapes(name) else None
    if raw is not None:
        return raw.decode("utf-8", "backslashreplace")
    return name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _only_escapes(name: str) -> bool:
    # surrogateescape maps each undecodable byte to U+DC80..U+DCFF; any other surrogate is not one.
    return all(not ("\ud800" <= c <= "\udfff") or "\udc80" <= c <= "\udcff" for c in name)

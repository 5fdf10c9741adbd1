"""An index that cannot be used, said in one line: SQLite's errors (a damaged file, a read-only
one, a lock held too long) become ``IndexUnusable`` at the store's boundary, so that neither
the CLI nor the server ever shows a ``sqlite3`` traceback for what is the index's fault."""

from __future__ import annotations

import functools
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ..errors import IndexUnusable

F = TypeVar("F", bound=Callable[..., Any])


def rebuild(path: Path) -> str:
    return f"build it again (remove the directory, then `unspun index ... --index {path}`)"


def read_only(path: Path) -> IndexUnusable:
    return IndexUnusable(
        f"{path}: is read-only; make it writable (chmod -R u+w {path}) to add to it, or index into another directory"
    )


def unreadable(path: Path, why: str) -> IndexUnusable:
    return IndexUnusable(f"{path}: cannot be read ({why}); it may belong to another user: check its permissions")


def describe(path: Path, exc: Exception) -> IndexUnusable:
    """The one line for an error SQLite (or zlib, on a damaged text) raised on this index."""
    message = str(exc)
    if "readonly" in message:
        return read_only(path)
    if "locked" in message or "busy" in message:
        return IndexUnusable(f"{path}: is busy (another process holds its write lock); try again when that one finishes")
    if "unable to open" in message:
        return unreadable(path, message)
    if "disk is full" in message:
        return IndexUnusable(f"{path}: the disk is full ({message}); free some space and run it again")
    return IndexUnusable(f"{path}: not an unspun index, or a damaged one ({message}); {rebuild(path)}")


@contextmanager
def index_errors(path: Path) -> Iterator[None]:
    """Turns what SQLite raises inside the block into IndexUnusable naming ``path``."""
    try:
        yield
    except (sqlite3.DatabaseError, zlib.error) as exc:
        raise describe(path, exc) from exc


def guarded(method: F) -> F:
    """An ``Index`` method whose SQLite errors become IndexUnusable (see ``index_errors``)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with index_errors(self.path):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]

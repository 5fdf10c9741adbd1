"""Limits on what a document may cost to read, and the one wording of "too big".

The size limit (``max_bytes``, ``--max-size`` on the command line) bounds a file on disk and also
what it expands to: the text extracted from a PDF or DOCX, a DOCX's zipped parts. A few formats
can cost far more than their size says in ways no byte count catches, so they have fixed caps of
their own, each raised by an environment variable:

* ``UNSPUN_MAX_PAGES`` (default 10,000): pages read of one PDF;
* ``UNSPUN_READ_SECONDS`` (default 60): CPU seconds spent extracting one PDF's text;
* ``UNSPUN_MAX_PARTS`` (default 5,000): files inside one DOCX (a DOCX is a zip of parts).

A document past any limit is a ``LimitError`` naming the limit and how to raise it; inside a
folder, WARC or JSONL it costs only itself.
"""

from __future__ import annotations

import os
import time

from ..errors import InputError, LimitError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB


def limit_phrase(max_bytes: int) -> str:
    return f"over the {max_bytes / MB:g} MB limit"


def over_limit(subject: str, max_bytes: int, size: int | None = None, hint: bool = True) -> str:
    """The one wording of "too big", for files, records, lines and standard input alike."""
    measured = f"{size / MB:.1f} MB is " if size is not None else ""
    advice = "; raise it with --max-size if you mean it" if hint else ""
    return f"{subject}: {measured}{limit_phrase(max_bytes)}{advice}"


def check_text(name: str, text_bytes: int, max_bytes: int) -> None:
    """Refuse a document whose extracted text is past the size limit (a small compressed file
    can hold far more text than its size)."""
    if text_bytes > max_bytes:
        raise LimitError(over_limit(f"{name}: its text", max_bytes, text_bytes))


def env_cap(variable: str, default: float) -> float:
    """A fixed cap, from its environment variable when set; read at each use so that a server or
    a test can change it without a restart."""
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{variable}={raw!r}: not a number; set it to a positive number or unset it") from None
    if value <= 0:
        raise InputError(f"{variable}={raw!r}: must be positive; set it to a positive number or unset it")
    return value


def max_pages() -> int:
    return int(env_cap("UNSPUN_MAX_PAGES", 10_000))


def max_parts() -> int:
    return int(env_cap("UNSPUN_MAX_PARTS", 5_000))


class Budget:
    """CPU seconds one document may take (``UNSPUN_READ_SECONDS``). CPU time of this thread, not
    wall-clock time, so that a busy machine does not make a sound document fail."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seconds = env_cap("UNSPUN_READ_SECONDS", 60)
        self.start = time.thread_time()

    def check(self) -> None:
        if time.thread_time() - self.start > self.seconds:
            raise LimitError(f"{self.name}: reading it took over {self.seconds:g} s of CPU; "
                             "raise the limit with UNSPUN_READ_SECONDS if you mean it")

"""Standard input as one Document (the path ``-``)."""

from __future__ import annotations

import sys

from ..errors import InputError
from ..types import Document
from .text import over_limit, read_bytes

STDIN_ID = "-"


def read_stdin(max_bytes: int) -> Document:
    """Read standard input as bytes, so decoding goes through the same guesses as a file; HTML
    is told from text by its content (there is no file name to go by)."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    # One byte past the limit is enough to know it is over, without reading a stream of any size.
    data = stream.read(max_bytes + 1)
    if isinstance(data, str):  # a text stream without .buffer (a replaced sys.stdin)
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise InputError(over_limit("standard input", max_bytes))
    if not data.strip():
        raise InputError("standard input: is empty (no text to compare)")
    doc = read_bytes(data, doc_id=STDIN_ID, origin="standard input", max_bytes=max_bytes)
    doc.meta["origin"] = STDIN_ID
    return doc

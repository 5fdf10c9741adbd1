"""Read: the only place that knows formats. Whatever a user gives becomes ``Document``s.

* ``read(obj)``: one document from a path of any format (text, HTML, PDF, DOCX, a one-page WARC,
  a one-line JSONL), ``-`` for standard input, bytes (PDF and DOCX told by their bytes), the text
  itself, or a ``Document``. ``unspun.compare``, the CLI and the web service all read through it,
  so they accept the same inputs.
* ``iter_documents(paths)``: many documents from files, directories and archives (corpus.py).

Hostile input costs only itself. ``max_bytes`` (``--max-size``) bounds a file and also what it
expands to (a PDF's or DOCX's text, a DOCX's zipped parts); fixed caps on PDF pages, CPU seconds
per PDF and parts per DOCX are raised with ``UNSPUN_MAX_PAGES``, ``UNSPUN_READ_SECONDS`` and
``UNSPUN_MAX_PARTS`` (limits.py); past any of them is a one-line ``LimitError``. Only regular
files are opened (a FIFO or ``/dev/zero`` is refused), and ids are always printable UTF-8.

Modules: text.py makes documents of text and web pages (trafilatura), decoding.py tells binary
from text and finds the encoding; pdf.py, word.py (with zip_parts.py) and warc.py parse the
binary formats (the ``[formats]`` extra, imported only when such a file is read); jsonl.py,
stdin.py and files.py read the rest; paths.py opens files safely; limits.py holds the limits and
their wording; problems.py says how a skipped document is told.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .corpus import JSONL_SUFFIXES, WARC_SUFFIXES, iter_documents, read_file
from .files import DEFAULT_EXTENSIONS
from .jsonl import JsonlFields
from .paths import cannot, is_dir
from .problems import ReadWarning, default_warn
from .stdin import STDIN_ID
from .text import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    MB,
    check_size,
    decode,
    open_binary,
    over_limit,
    read_bytes,
    read_path,
    read_text,
)

__all__ = [
    "DEFAULT_EXTENSIONS", "DEFAULT_MAX_BYTES", "JsonlFields", "MB", "ReadWarning", "check_size", "decode",
    "iter_documents", "open_binary", "over_limit", "read", "read_bytes", "read_data", "read_file", "read_one",
    "read_path", "read_text",
]

_ZIP_MAGIC = b"PK\x03\x04"


def read(
    obj: str | os.PathLike[str] | bytes | Document,
    doc_id: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read whatever the API was given: a Document, a path, ``-``, bytes, or the text itself.

    A ``str`` is a path when a file of that name exists; a one-line string that looks like a path
    (it ends in a file suffix) but names no file is an error rather than a one-line text, so a typo
    in a path is not silently compared as text. ``doc_id`` names a document given as bytes or text;
    a file's document keeps its file's name. ``max_bytes`` limits what is read, as ``--max-size`` does on the command line.
    """
    if isinstance(obj, Document):
        return obj
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return read_data(bytes(obj), doc_id or "document", max_bytes)
    if isinstance(obj, os.PathLike):
        return read_one(obj, max_bytes)
    if not isinstance(obj, str):
        raise InputError(f"cannot read a {type(obj).__name__}; give a path, a string or bytes")
    if obj == STDIN_ID:
        return read_one(obj, max_bytes)
    if "\n" not in obj and len(obj) < 4096:
        p = Path(obj)
        problem: OSError | None = None
        try:
            # exists(), not is_file(): a FIFO or device named is refused as one, not taken for text.
            exists = p.exists()
        except OSError as exc:  # a name the system refuses (too long): a text, unless a path was meant
            exists, problem = False, exc
        if exists:
            return read_one(p, max_bytes)
        if " " not in obj and p.suffix and len(p.suffix) <= 6:
            raise cannot(obj, problem) if problem else InputError(f"{obj}: no such file")
    return read_text(obj, doc_id=doc_id or "text")


def read_one(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The single document a file holds (a text, a page, a PDF, a one-record WARC...), or ``-``.

    A directory, or a file of several documents (a WARC of many pages, a JSONL of many lines), is
    an error: the caller wanted one document and ``iter_documents`` reads many.
    """
    given = os.fspath(path)
    if given != STDIN_ID and is_dir(Path(given)):
        raise InputError(f"{given}: is a directory; give one file (`unspun read` lists a directory's documents)")
    warnings: list[str] = []
    docs: list[Document] = []
    for doc in iter_documents([path], max_bytes=max_bytes, warn=warnings.append):
        docs.append(doc)
        if len(docs) > 1:
            raise InputError(f"{given}: holds more than one document; give one on each side "
                             "(`unspun read` lists them)")
    if not docs:
        reason = f" ({warnings[0]})" if warnings else ""
        raise InputError(f"{given}: no document could be read from it{reason}")
    for message in warnings:
        # What was skipped on the way (a damaged WARC record before the page) is still said.
        default_warn(message)
    return docs[0]


def read_data(data: bytes, name: str = "document", max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """One document from bytes, the format told by the bytes and by ``name``'s suffix (an
    upload's file name): PDF, DOCX, HTML or text. ``name`` becomes the id; nothing is opened."""
    suffix = Path(name).suffix.lower()
    lowered = name.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(data, name, max_bytes, origin=name)  # its origin is the name: nothing is opened
    if suffix == ".docx" or (data.startswith(_ZIP_MAGIC) and b"word/" in data[:65536]):
        from .word import read_docx

        return read_docx(data, name, max_bytes, origin=name)
    if lowered.endswith(WARC_SUFFIXES + JSONL_SUFFIXES):
        raise InputError(f"{name}: an archive of many documents; read it from a file with iter_documents")
    return read_bytes(data, doc_id=name, html=True if suffix in HTML_SUFFIXES else None, max_bytes=max_bytes)


"""Many files, and every format, as a stream of Documents.

``iter_documents`` takes what a user names on a command line (files, directories, ``-``) and
yields one Document per text: one per file for text, HTML, PDF and DOCX, one per archived page
for WARC/ARC, one per line for JSON Lines.

Strictness follows who named the thing. A path given directly that cannot be read raises
``InputError``, as ``read_path`` does. Inside a corpus (a file found in a directory, a record of a
WARC, a line of a JSONL file) a problem costs only that document: it is reported through
``warn(message)`` (by default a ``ReadWarning``) and reading goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..extras import require
from ..types import Document
from .files import DEFAULT_EXTENSIONS, corpus_files, normalise_extensions
from .jsonl import JsonlFields, read_jsonl
from .paths import is_dir, printable
from .problems import Warn, default_warn
from .stdin import STDIN_ID, read_stdin
from .text import DEFAULT_MAX_BYTES, read_path

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def iter_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jsonl: JsonlFields = JsonlFields(),
    extensions: Iterable[str] = DEFAULT_EXTENSIONS,
    warn: Warn | None = None,
) -> Iterator[Document]:
    """Documents of every path in ``paths``, in order, read lazily.

    * a directory: its files whose names end in one of ``extensions``, recursively, hidden files
      and directories left out, in sorted order; ids are paths relative to the directory (POSIX);
    * the string ``-``: standard input, id ``-``, HTML or text told by content (``Path("-")``
      is a file of that name);
    * ``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``: one Document per archived HTML page, id and
      url the target URI, published the capture date;
    * ``.jsonl``, ``.ndjson``: one Document per line, fields named by ``jsonl``;
    * ``.pdf``, ``.docx``: one Document per file;
    * anything else: ``read_path`` (text or HTML), id the file name.

    ``max_bytes`` limits each file, each WARC record and each JSONL text, not the whole corpus.
    ``extensions`` applies to directories only: a file named directly is always read.
    """
    given_warn = warn if warn is not None else default_warn

    def report(message: str) -> None:
        given_warn(printable(message))  # a message naming a file whose name is not UTF-8

    wanted = normalise_extensions(extensions)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path, not an iterable of its characters
    for given in paths:
        if isinstance(given, str) and given == STDIN_ID:
            yield read_stdin(max_bytes)
            continue
        path = Path(given)
        if not is_dir(path):
            yield from read_file(path, printable(path.name), max_bytes, jsonl, report)
            continue
        files = corpus_files(path, wanted, report)
        if not files:
            report(f"{path}: no files to read (looked for {' '.join(wanted)})")
        for file, rel in files:
            try:
                yield from read_file(file, rel, max_bytes, jsonl, report)
            except InputError as exc:
                report(f"{exc} (skipped)")


def read_file(path: Path, doc_id: str, max_bytes: int, jsonl: JsonlFields, warn: Warn) -> Iterator[Document]:
    """The documents of one file, by the format its name says. The PDF, Word and WARC parsers
    are imported only when such a file is read: they are the ``[formats]`` extra."""
    for doc in _read_file(path, doc_id, max_bytes, jsonl, warn):
        # A name that is not UTF-8 (or a URL or id that is not) would fail wherever the document
        # goes next: printed, sent as JSON, stored in SQLite.
        doc.id = printable(doc.id)
        origin = doc.meta.get("origin")
        if isinstance(origin, str):
            doc.meta["origin"] = printable(origin)
        doc.title = printable(doc.title) if doc.title else doc.title
        doc.url = printable(doc.url) if doc.url else doc.url
        yield doc


def _read_file(path: Path, doc_id: str, max_bytes: int, jsonl: JsonlFields, warn: Warn) -> Iterator[Document]:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        require("warcio", "formats", f"{path}: reading a WARC")
        from .warc import read_warc

        yield from read_warc(path, max_bytes, warn)
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path, doc_id, jsonl, max_bytes, warn)
    elif name.endswith(".pdf"):
        from .pdf import read_pdf

        yield read_pdf(path, doc_id, max_bytes)
    elif name.endswith(".docx"):
        from .word import read_docx

        yield read_docx(path, doc_id, max_bytes)
    else:
        doc = read_path(path, max_bytes=max_bytes)
        doc.id = doc_id
        yield doc

"""The input of a scan on Spark, read where it is processed: the driver lists files, the
executors read them.

``Inputs(paths)`` is what ``unspun scan PATH... --engine spark`` hands the engine instead of the
documents themselves. Two kinds of path, each read by unspun's own readers (``read_file``, so
every format ``unspun read`` takes: text, HTML, PDF, DOCX, WARC/ARC, JSONL):

* **a local path** (a folder, a file, or a glob the shell did not expand), on storage every
  executor sees at the same path (NFS, a shared disk; the test's own machine). The driver lists
  the files here, as ``iter_documents`` does (``corpus_files`` for a folder: its files with a
  corpus extension, hidden ones left out, ids relative to the folder; a file named directly has
  its name as id), and only that list goes to Spark; each task opens its files and reads them.
* **a URI with a scheme** (``hdfs://``, ``s3a://``, ``gs://``, ``file://``...): Spark lists and
  reads it with its own Hadoop readers (``binaryFiles``), on the executors, and each file's bytes
  are read there by the same readers (written to a temporary file for the reader to open). A
  folder is read recursively, its ids relative to it; a file or a glob's files have their names
  as ids. Hadoop leaves out names starting with ``.`` or ``_``.

Ids are therefore the ones the local engine gives for the same paths, so both engines give the
same pairs. What is read never comes back to the driver: each partition's documents are prepared
where they were read. A document that cannot be read costs only itself: it comes back as one
message, which the driver passes to ``warn`` (the CLI counts them; exit status 4). A path named
directly that cannot be read at all is an ``InputError``, as with the local engine.

The functions given to Spark (``read_local``, ``read_blobs``) are plain functions of their
partitions: they refer to nothing on the driver.
"""

from __future__ import annotations

import glob
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..errors import InputError
from ..read import read_file
from ..read.files import DEFAULT_EXTENSIONS, corpus_files, has_extension, normalise_extensions
from ..read.jsonl import JsonlFields
from ..read.paths import is_dir, printable, regular_size
from ..read.problems import Warn, default_warn
from ..read.stdin import STDIN_ID
from ..read.text import DEFAULT_MAX_BYTES
from ..types import Document

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_GLOB = re.compile(r"[*?\[{]")

# An item a read partition yields: ("doc", order, Document), ("warn", message) or ("error",
# message). ``order`` is (path index, file key, document index in the file): the last document
# read with an id wins, as in the local engine.
Order = tuple[int, str, int]


def is_uri(path: str) -> bool:
    """Whether ``path`` names storage by a scheme (``hdfs://...``) rather than a local path."""
    return bool(_SCHEME.match(path))


@dataclass(frozen=True)
class LocalFile:
    """A file the driver found, for an executor to read: its path, id and place in the order;
    ``named`` when the user named it (a glob's match counts): then a failure is an error."""

    path: str  # absolute: an executor's working folder is not the driver's
    origin: str  # the path as the local engine names it (in messages and the document's meta)
    id: str
    given: int
    key: str
    named: bool


@dataclass(frozen=True)
class RemotePath:
    """A URI for Spark to list and read (whether it is a folder, the engine asks Hadoop)."""

    uri: str
    given: int


@dataclass
class Inputs:
    """The paths of a scan, for the executors to read (module docstring). The local paths are
    listed when this is made (so a missing path is an ``InputError`` before Spark starts); the
    URIs when the engine reads them."""

    paths: list[str]
    max_bytes: int = DEFAULT_MAX_BYTES
    warn: Warn | None = None
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    local: list[LocalFile] = field(init=False)
    remote: list[RemotePath] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.extensions = normalise_extensions(self.extensions)
        self.local = []
        for given, path in enumerate(self.paths):
            path = os.fspath(path)
            if path == STDIN_ID:
                raise InputError("-: Spark's executors cannot read standard input; save it to a file on "
                                 "storage they all see, or scan it with --engine local")
            if is_uri(path):
                self.remote.append(RemotePath(path, given))  # listed by Spark, when the engine reads
            else:
                self.local.extend(self._listed(path, given))

    def __iter__(self) -> Iterator[Document]:
        """The documents of the local paths, read here, in order (for an engine that reads in
        this process); the URIs only Spark reads."""
        if self.remote:
            raise InputError(f"{self.remote[0].uri}: only --engine spark reads a URI")
        for item in read_local(self.local, self.max_bytes):
            if item[0] == "doc":
                yield item[2]
            elif item[0] == "warn":
                self.report(item[1])
            else:
                raise InputError(item[1])

    def report(self, message: str) -> None:
        (self.warn or default_warn)(printable(message))

    def _listed(self, path: str, given: int) -> list[LocalFile]:
        """The files of one local path, as ``iter_documents`` would read them."""
        if not Path(path).exists() and _GLOB.search(path):
            matches = sorted(glob.glob(path))  # a glob the shell left alone (quoted, or too long)
            if not matches:
                raise InputError(f"{path}: no such file (the pattern matches nothing)")
            out = []
            for k, match in enumerate(matches):
                out.extend(self._one(match, given, f"{k:09d}"))
            return out
        return self._one(path, given, "")

    def _one(self, path: str, given: int, prefix: str) -> list[LocalFile]:
        p = Path(path)
        if not is_dir(p):
            regular_size(p)  # a named file that is missing or not a regular file: an InputError now
            return [LocalFile(str(p.resolve()), str(p), printable(p.name), given, prefix, True)]
        files = corpus_files(p, self.extensions, self.report)
        if not files:
            self.report(f"{p}: no files to read (looked for {' '.join(self.extensions)})")
        return [LocalFile(str(f.resolve()), str(f), rel, given, f"{prefix}/{rel}" if prefix else rel, False)
                for f, rel in files]


# -- on the executors -------------------------------------------------------------------------


def read_local(files: Iterable[LocalFile], max_bytes: int) -> Iterator[tuple]:
    """The documents of the files of a partition, in order, with the problems met on the way."""
    for f in files:
        yield from _read(Path(f.path), f.id, (f.given, f.key), f.named, max_bytes, f.origin if f.origin != f.path else None)


def read_blobs(blobs: Iterable[tuple[str, bytes]], given: int, base: str | None, extensions: tuple[str, ...],
               max_bytes: int) -> Iterator[tuple]:
    """The documents of files Spark read (``binaryFiles``: (URI, bytes)) from one given URI;
    ``base`` is that URI's path when it is a folder (ids relative to it), else None (ids are
    file names). Each file's bytes are written to a temporary file with the same name, for the
    reader that tells the format by the name (and streams a WARC) to open."""
    with tempfile.TemporaryDirectory(prefix="unspun-read-") as tmp:
        for uri, data in blobs:
            path = urlsplit(uri).path
            name = PurePosixPath(path).name
            if base is not None:
                doc_id = _relative(path, base)
                if any(part.startswith(".") for part in PurePosixPath(doc_id).parts) or not has_extension(name, extensions):
                    continue  # not a corpus file, as corpus_files would skip it
            else:
                doc_id = name
            local = Path(tmp) / (name or "file")
            local.write_bytes(data)
            del data
            try:
                for item in _read(local, printable(doc_id), (given, uri), base is None, max_bytes, uri):
                    yield item
            finally:
                local.unlink(missing_ok=True)


def _relative(path: str, base: str) -> str:
    base = base.rstrip("/") + "/"
    return path[len(base):] if path.startswith(base) else PurePosixPath(path).name


def _read(path: Path, doc_id: str, where: tuple[int, str], named: bool, max_bytes: int,
          origin: str | None) -> Iterator[tuple]:
    """One file's items (see ``Order``); ``origin`` names a temporary copy's real place."""
    problems: list[str] = []
    shown = str(path)

    def said(message: str) -> str:
        return printable(message.replace(shown, origin) if origin else message)

    try:
        for k, doc in enumerate(read_file(path, doc_id, max_bytes, JsonlFields(), problems.append)):
            if origin and doc.meta.get("origin") == shown:
                doc.meta["origin"] = origin
            yield ("doc", (*where, k), doc)
            yield from (("warn", said(m)) for m in problems)
            problems.clear()
    except InputError as exc:
        yield from (("warn", said(m)) for m in problems)
        yield ("error", said(str(exc))) if named else ("warn", said(f"{exc} (skipped)"))
        return
    yield from (("warn", said(m)) for m in problems)

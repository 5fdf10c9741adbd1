"""The index: one directory, one SQLite file in WAL mode, readable by its owner only.

Tables: ``docs`` (id, content hash, metadata, the zlib-compressed text, and its sentences'
semantic codes) and ``shingles`` (word 8-gram fingerprint -> document postings, a WITHOUT ROWID
B-tree so lookups read only what they need). Everything for one document is written in the same
transaction as the document, and transactions cover a batch of documents: a killed run leaves
every committed batch whole and nothing half-written, and running it again skips what is there
(same id, same text) and adds the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..clean import body_segments, mark_chrome
from ..errors import UnspunError
from ..types import Document
from . import sketches
from .fingerprints import fingerprints

DB_NAME = "index.sqlite"
SCHEMA_VERSION = 1
BATCH = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    sha TEXT NOT NULL,
    title TEXT, url TEXT, published TEXT, lang TEXT,
    meta TEXT NOT NULL,
    chars INTEGER NOT NULL,
    text BLOB NOT NULL,
    codes BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS shingles (
    hash INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
"""


@dataclass
class AddResult:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0


class Index:
    """``Index(path)`` opens (or creates) an index directory; ``.add(docs)``; ``.trace(doc)``."""

    def __init__(self, path: str | os.PathLike[str], create: bool = True) -> None:
        self.path = Path(path)
        db = self.path / DB_NAME
        if not db.exists() and not create:
            raise UnspunError(f"{self.path}: no index here; build one with `unspun index PATH --index {self.path}`")
        if self.path.exists() and not self.path.is_dir():
            raise UnspunError(f"{self.path}: is a file, not an index directory")
        old = os.umask(0o077)  # the index holds full texts: owner only, files SQLite adds too
        try:
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.path, 0o700)
            self.db = sqlite3.connect(db, timeout=30, isolation_level=None)
        finally:
            os.umask(old)
        os.chmod(db, 0o600)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO info VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._codes: tuple[np.ndarray, np.ndarray] | None = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def add(self, docs: Iterable[Document], progress: Callable[[Document], None] | None = None) -> AddResult:
        """Add documents; one already there with the same id and text is left alone, one with
        the same id and another text replaced. Commits every BATCH documents."""
        result = AddResult()
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= BATCH:
                self._write(batch, result, progress)
                batch = []
        if batch:
            self._write(batch, result, progress)
        self._codes = None
        return result

    def _write(self, batch: list[Document], result: AddResult, progress) -> None:
        prepared = [(doc, _sha(doc.text)) for doc in batch]
        known = dict(self.db.execute(
            f"SELECT id, sha FROM docs WHERE id IN ({','.join('?' * len(batch))})", [d.id for d in batch]
        ).fetchall())
        # Everything slow happens before the transaction, for the whole batch at once: chrome,
        # sentences, and one call of the candidate model (it is far faster on many sentences).
        seen = Counter(doc.id for doc in batch)
        todo = [k for k, (doc, sha) in enumerate(prepared) if known.get(doc.id) != sha or seen[doc.id] > 1]
        bodies: dict[int, list[str]] = {}
        for k in todo:  # by position: a batch may hold one id twice (a page captured twice)
            mark_chrome(prepared[k][0])
            bodies[k] = _body_sentences(prepared[k][0])
        all_codes = sketches.codes([s for k in todo for s in bodies[k]])
        codes, at = {}, 0
        for k in todo:
            codes[k] = all_codes[at : at + len(bodies[k])]
            at += len(bodies[k])
        with self._transaction():
            for k, (doc, sha) in enumerate(prepared):
                row = self.db.execute("SELECT rowid, sha FROM docs WHERE id = ?", (doc.id,)).fetchone()
                if row and row[1] == sha:
                    result.unchanged += 1
                elif row:
                    self.db.execute("DELETE FROM shingles WHERE doc = ?", (row[0],))
                    self.db.execute("DELETE FROM docs WHERE rowid = ?", (row[0],))
                    self._insert(doc, sha, bodies[k], codes[k])
                    result.replaced += 1
                else:
                    self._insert(doc, sha, bodies[k], codes[k])
                    result.added += 1
                if progress:
                    progress(doc)

    def _insert(self, doc: Document, sha: str, body: list[str], codes: np.ndarray) -> None:
        meta = {k: v for k, v in doc.meta.items() if k != "metadata" and _jsonable(v)}
        cur = self.db.execute(
            "INSERT INTO docs (id, sha, title, url, published, lang, meta, chars, text, codes) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.id, sha, doc.title, doc.url, doc.published, doc.lang, json.dumps(meta), len(doc.text),
             zlib.compress(doc.text.encode("utf-8"), 6), codes.tobytes()),
        )
        rowid = cur.lastrowid
        prints = fingerprints(" ".join(body))
        self.db.executemany("INSERT OR IGNORE INTO shingles VALUES (?, ?)", ((int(h), rowid) for h in prints))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM docs ORDER BY rowid")]

    def get(self, doc_id: str) -> Document:
        row = self.db.execute(
            "SELECT id, title, url, published, lang, meta, text FROM docs WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return _document(row)

    def get_rows(self, rowids: list[int]) -> dict[int, Document]:
        out = {}
        for rowid in rowids:
            row = self.db.execute(
                "SELECT id, title, url, published, lang, meta, text FROM docs WHERE rowid = ?", (rowid,)
            ).fetchone()
            if row:
                out[rowid] = _document(row)
        return out

    def stats(self) -> dict[str, object]:
        docs, chars = self.db.execute("SELECT COUNT(*), COALESCE(SUM(chars), 0) FROM docs").fetchone()
        shingles = self.db.execute("SELECT COUNT(*) FROM shingles").fetchone()[0]
        sentences = self.db.execute(f"SELECT COALESCE(SUM(LENGTH(codes)), 0) / {sketches.BYTES} FROM docs").fetchone()[0]
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return {
            "path": str(self.path),
            "documents": docs,
            "characters": chars,
            "sentences": sentences,
            "fingerprints": shingles,
            "bytes": size,
            "bytes_per_document": round(size / docs) if docs else 0,
        }

    def lexical_candidates(self, prints: np.ndarray, limit: int) -> dict[int, int]:
        """Documents sharing fingerprints with the query: rowid -> number shared."""
        counts: dict[int, int] = {}
        values = [int(h) for h in prints]
        for k in range(0, len(values), 500):  # SQLite's bound on parameters
            chunk = values[k : k + 500]
            marks = ",".join("?" * len(chunk))
            for doc, n in self.db.execute(
                f"SELECT doc, COUNT(*) FROM shingles WHERE hash IN ({marks}) GROUP BY doc", chunk
            ):
                counts[doc] = counts.get(doc, 0) + n
        return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:limit])

    def all_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Every indexed sentence code as ±1 rows, and the rowid of its document (loaded once,
        then kept: 1 KB of memory per sentence; a corpus of millions wants an ANN index here)."""
        if self._codes is None:
            parts, owners = [], []
            for rowid, blob in self.db.execute("SELECT rowid, codes FROM docs"):
                codes = np.frombuffer(blob, dtype=np.uint8).reshape(-1, sketches.BYTES)
                parts.append(codes)
                owners.append(np.full(len(codes), rowid, dtype=np.int64))
            self._codes = (
                sketches.signs(np.concatenate(parts)) if parts else np.zeros((0, sketches.BITS), dtype=np.float32),
                np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64),
            )
        return self._codes

    def trace(self, doc, top: int = 10, verify: int | None = None, **kwargs):
        """The ranked sources of ``doc`` in this index (see trace.py)."""
        from .trace import trace

        return trace(self, doc, top=top, verify=verify, **kwargs)


def _body_sentences(doc: Document) -> list[str]:
    return [s.text(doc.text) for s in body_segments(doc)]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _document(row) -> Document:
    doc_id, title, url, published, lang, meta, text = row
    return Document(
        id=doc_id, text=zlib.decompress(text).decode("utf-8"), title=title, url=url, published=published,
        lang=lang, meta=json.loads(meta),
    )

"""The index: one directory, one SQLite file in WAL mode, readable by its owner only.

Tables: ``docs`` (id, content hash, metadata, the zlib-compressed text, and its sentences'
semantic codes), ``shingles`` (word 8-gram fingerprint -> document postings, a WITHOUT ROWID
B-tree so lookups read only what they need) and ``xcodes`` (a document's sentences' codes from
a multilingual model, 48 or 64 bytes each (see xcodes.py), for finding sources across languages:
written for every document not in English, and for English ones too in an index built
``crosslingual``; an English archive without them costs what it did before languages mattered) and
``vectors`` (a document's sentences' vectors from the sentence model, int8, for an index built
``--vectors``: a trace then embeds only its query; see represent/stored.py). Everything for one document is written in the same
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
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from ..clean import mark_chrome
from ..errors import IndexUnusable, ModelError
from ..language import detect
from ..represent import sketches, stored, xcodes
from ..represent.fingerprints import fingerprints
from ..segment import body_texts
from ..types import Document
from .unusable import guarded, index_errors, read_only, rebuild, unreadable
from .workers import worker_pool

DB_NAME = "index.sqlite"
LAYOUT_VERSION = 2  # the SQLite layout (2: 32-bit fingerprints); the JSON schema is types.JSON_SCHEMA_VERSION
SCHEMA_VERSION = LAYOUT_VERSION  # the old name
INDEX_BATCH = 64
UNPACKED = 1 << 18  # sentences whose codes are kept unpacked for search (1 KB each)

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
CREATE TABLE IF NOT EXISTS xcodes (
    doc INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    lang TEXT,
    codes BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS shingles (
    hash INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (hash, doc)
) WITHOUT ROWID;
"""
# Made when an index first keeps vectors (``--vectors``): an index without them has no such table.
# ``model`` is the version of the model that made them (Embedder.version: its name and weights);
# an index written before 2026-12-07 has the bare name there, which no model's version is now.
_VECTORS_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    doc INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    digest TEXT NOT NULL,
    vectors BLOB NOT NULL
);
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
        # Set when a document's stored vectors were of another version of the model than this
        # process runs (stored_vectors): a trace embedded that source itself.
        self.met_stale_vectors = False
        db = self.path / DB_NAME
        try:
            found = db.exists()  # PermissionError where the directory may not be entered
            not_a_dir = self.path.exists() and not self.path.is_dir()
        except PermissionError as exc:
            raise unreadable(self.path, exc.strerror or "permission denied") from exc
        if not_a_dir:
            raise IndexUnusable(f"{self.path}: is a file, not an index directory")
        if not found and not create:
            raise IndexUnusable(f"{self.path}: no index here; build one with `unspun index PATH --index {self.path}`")
        if found and not (os.access(db, os.R_OK) and os.access(self.path, os.X_OK)):
            raise unreadable(self.path, "permission denied")
        # An existing index that may not be written is opened to read (trace, stats), and never
        # made writable behind its owner's back; adding to it is refused (``add``).
        self.read_only = found and not (os.access(db, os.W_OK) and os.access(self.path, os.W_OK))
        if create and self.read_only:
            raise read_only(self.path)
        with index_errors(self.path):
            self.db = self._connect(db, fresh=not found) if not self.read_only else _connect_read_only(db)
            try:
                self._setup(create)
                row = self.db.execute("SELECT value FROM info WHERE key = 'schema_version'").fetchone()
            except BaseException:
                self.db.close()
                raise
        version = row[0] if row else "none"
        if version != str(LAYOUT_VERSION):
            self.db.close()
            raise IndexUnusable(
                f"{self.path}: this index has layout {version}, and this unspun reads layout {LAYOUT_VERSION}; "
                f"{rebuild(self.path)}"
            )
        self._codes: tuple[np.ndarray, np.ndarray, np.ndarray | None] | None = None
        self._xcodes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def _connect(self, db: Path, fresh: bool) -> sqlite3.Connection:
        if not fresh:
            return sqlite3.connect(db, timeout=30, isolation_level=None)
        old = os.umask(0o077)  # the index holds full texts: owner only, files SQLite adds too
        try:
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.path, 0o700)  # a directory made empty beforehand, made private
            conn = sqlite3.connect(db, timeout=30, isolation_level=None)
            os.chmod(db, 0o600)
        except OSError as exc:
            raise IndexUnusable(f"{self.path}: cannot create an index here ({exc.strerror}); "
                                "choose a directory you may write") from exc
        finally:
            os.umask(old)
        return conn

    def _setup(self, create: bool) -> None:
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: the postings B-tree stays hot
        self.db.execute("PRAGMA synchronous=NORMAL")
        if create:
            # Before the first table, so only for a new file: a document's row (text and codes,
            # 3 KB or so) fills most of a 4 KB page and wastes the rest; 16 KB pages hold several.
            self.db.execute("PRAGMA page_size=16384")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO info VALUES ('schema_version', ?)", (str(LAYOUT_VERSION),))
        # Else only read: opening must not wait for the write lock of an indexing run going on
        # (WAL lets readers in while it writes).

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    @guarded
    def add(
        self,
        docs: Iterable[Document],
        progress: Callable[[Document], None] | None = None,
        jobs: int = 1,
        crosslingual: bool = False,
        vectors: bool = False,
    ) -> AddResult:
        """Add documents; one already there with the same id and text is left alone, one with
        the same id and another text replaced. Commits every INDEX_BATCH documents.

        ``jobs`` > 1 prepares batches (chrome, sentences, codes, fingerprints) in that many worker
        processes while this one reads the input and writes.

        ``crosslingual`` makes this index keep multilingual codes of English documents too (from
        then on, for every document added), so that a query in another language finds them.

        ``vectors`` makes this index keep the default sentence model's vectors of every document
        (from then on, for every document added; one already there without them gets them when
        it is added again), so that a trace embeds only its query."""
        if self.read_only:
            raise read_only(self.path)
        if crosslingual and not self.crosslingual:
            self.db.execute("INSERT OR REPLACE INTO info VALUES ('crosslingual', '1')")
        if vectors and not self.vectors_model:
            from ..represent.embedder import DEFAULT_MODEL

            self.db.executescript(_VECTORS_SCHEMA)
            self.db.execute("INSERT OR REPLACE INTO info VALUES ('vectors', ?)", (DEFAULT_MODEL,))
        every, model = self.crosslingual, self.vectors_model
        result = AddResult()
        pending: deque[tuple[list[Document], list[int], Future | list]] = deque()
        pool: ProcessPoolExecutor | None = None
        try:
            for batch in batches(docs, INDEX_BATCH):
                todo = self._todo(batch)
                work = [batch[k] for k in todo]
                if jobs > 1 and pool is None:
                    pool = worker_pool(jobs)
                if pool is not None:
                    pending.append((batch, todo, pool.submit(prepare, work, every, model)))
                else:
                    pending.append((batch, todo, prepare(work, every, model)))
                while pending and (len(pending) > jobs or not isinstance(pending[0][2], Future)):
                    self._write(*pending.popleft(), result, progress)
            while pending:
                self._write(*pending.popleft(), result, progress)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            self._codes = self._xcodes = None
        return result

    @property
    @guarded
    def crosslingual(self) -> bool:
        row = self.db.execute("SELECT value FROM info WHERE key = 'crosslingual'").fetchone()
        return bool(row and row[0] == "1")

    @property
    @guarded
    def vectors_model(self) -> str | None:
        """The sentence model whose vectors this index keeps (``--vectors``), or None."""
        row = self.db.execute("SELECT value FROM info WHERE key = 'vectors'").fetchone()
        return row[0] if row else None

    def _todo(self, batch: list[Document]) -> list[int]:
        """Positions in the batch of documents that are new or changed (a batch may hold one id
        twice, a page captured twice: both are prepared, the last one written wins)."""
        known = dict(self.db.execute(
            f"SELECT id, sha FROM docs WHERE id IN ({','.join('?' * len(batch))})", [d.id for d in batch]
        ).fetchall())
        if self.vectors_model:  # a document indexed before --vectors, or by another model, gets them now
            lacking = self._without_vectors(list(known))
            known = {d: sha for d, sha in known.items() if d not in lacking}
        seen = Counter(doc.id for doc in batch)
        return [k for k, doc in enumerate(batch) if known.get(doc.id) != _sha(doc.text) or seen[doc.id] > 1]

    def _without_vectors(self, ids: list[str]) -> set[str]:
        """Those of ``ids`` without vectors of the index's model as it is now (none, or another
        version's)."""
        if not ids:
            return set()
        return {r[0] for r in self.db.execute(
            f"SELECT id FROM docs WHERE id IN ({','.join('?' * len(ids))}) "
            "AND rowid NOT IN (SELECT doc FROM vectors WHERE model = ?)", [*ids, self._vectors_version()]
        )}

    def _vectors_version(self) -> str | None:
        """The version of the index's vector model (``--vectors``) that this process runs."""
        from ..represent.embedder import get_embedder

        model = self.vectors_model
        return get_embedder(model).version if model else None

    def _write(self, batch: list[Document], todo: list[int], work, result: AddResult, progress) -> None:
        ready = dict(zip(todo, work.result() if isinstance(work, Future) else work))
        postings: list[np.ndarray] = []
        with self._transaction():
            for k, doc in enumerate(batch):
                sha = _sha(doc.text)
                row = self.db.execute("SELECT rowid, sha FROM docs WHERE id = ?", (doc.id,)).fetchone()
                if row and row[1] == sha:
                    result.unchanged += 1
                    if k in ready and ready[k].vectors is not None:  # indexed before --vectors, or stale
                        self._insert_vectors(row[0], ready[k])
                elif row:
                    self.db.execute("DELETE FROM shingles WHERE doc = ?", (row[0],))
                    self.db.execute("DELETE FROM xcodes WHERE doc = ?", (row[0],))
                    if self.vectors_model:
                        self.db.execute("DELETE FROM vectors WHERE doc = ?", (row[0],))
                    self.db.execute("DELETE FROM docs WHERE rowid = ?", (row[0],))
                    postings.append(self._insert(doc, sha, ready[k]))
                    result.replaced += 1
                else:
                    postings.append(self._insert(doc, sha, ready[k]))
                    result.added += 1
                if progress:
                    progress(doc)
            if postings:
                # In hash order: the B-tree takes them as a run of appends, not random inserts.
                rows = np.concatenate(postings)
                rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
                self.db.executemany("INSERT OR IGNORE INTO shingles VALUES (?, ?)", rows.tolist())

    def _insert(self, doc: Document, sha: str, prepared: Prepared) -> np.ndarray:
        """Writes the document's row; returns its (fingerprint, rowid) postings, to be written
        with the batch's."""
        meta = {k: v for k, v in doc.meta.items() if k != "metadata" and _jsonable(v)}
        cur = self.db.execute(
            "INSERT INTO docs (id, sha, title, url, published, lang, meta, chars, text, codes) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.id, sha, doc.title, doc.url, doc.published, doc.lang or prepared.lang, json.dumps(meta),
             len(doc.text), prepared.text, prepared.codes),
        )
        if prepared.xcodes is not None:
            self.db.execute(
                "INSERT INTO xcodes VALUES (?, ?, ?, ?)",
                (cur.lastrowid, xcodes.model_for(prepared.lang), prepared.lang, prepared.xcodes),
            )
        if prepared.vectors is not None:
            self._insert_vectors(cur.lastrowid, prepared)
        return np.stack([prepared.prints, np.full(len(prepared.prints), cur.lastrowid, dtype=np.int64)], axis=1)

    def _insert_vectors(self, rowid: int | None, prepared: Prepared) -> None:
        self.db.execute("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                        (rowid, prepared.vectors_model, prepared.digest, prepared.vectors))

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

    @guarded
    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    @guarded
    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM docs ORDER BY rowid")]

    @guarded
    def get(self, doc_id: str) -> Document:
        row = self.db.execute(
            "SELECT id, title, url, published, lang, meta, text FROM docs WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return _document(row)

    @guarded
    def get_rows(self, rowids: list[int]) -> dict[int, Document]:
        out = {}
        for rowid in rowids:
            row = self.db.execute(
                "SELECT id, title, url, published, lang, meta, text FROM docs WHERE rowid = ?", (rowid,)
            ).fetchone()
            if row:
                out[rowid] = _document(row)
        return out

    @guarded
    def stored_vectors(self, rowid: int, model: str) -> tuple[str, np.ndarray] | None:
        """The stored vectors of a document's body sentences (``prepare``'s order) with the digest
        of those sentences (represent/stored.py), if this index keeps them for ``model`` as this
        process runs it (the same version: weights, quantisation); else None."""
        try:
            row = self.db.execute("SELECT model, digest, vectors FROM vectors WHERE doc = ?", (rowid,)).fetchone()
        except sqlite3.OperationalError:  # an index written before the table existed
            return None
        from ..represent.embedder import get_embedder

        embedder = get_embedder(model)
        if row is None:
            return None
        if row[0] != embedder.version:
            self.met_stale_vectors = True
            return None
        try:
            return row[1], stored.unpack(row[2], embedder.dimension)
        except ValueError as exc:
            raise sqlite3.DatabaseError(f"the stored vectors of document {rowid} cannot be read ({exc})") from exc

    @guarded
    def stats(self) -> dict[str, object]:
        docs, chars = self.db.execute("SELECT COUNT(*), COALESCE(SUM(chars), 0) FROM docs").fetchone()
        shingles = self.db.execute("SELECT COUNT(*) FROM shingles").fetchone()[0]
        sentences, texts = self.db.execute(
            f"SELECT COALESCE(SUM(LENGTH(codes)), 0) / {sketches.BYTES}, COALESCE(SUM(LENGTH(text)), 0) FROM docs"
        ).fetchone()
        try:
            version = self._vectors_version()
        except ModelError:  # kept by a model this unspun does not have: none is current
            version = None
        try:
            with_vectors, stale = self.db.execute(
                "SELECT COALESCE(SUM(model IS ?), 0), COALESCE(SUM(model IS NOT ?), 0) FROM vectors", (version, version)
            ).fetchone()
        except sqlite3.OperationalError:  # written before the table existed
            with_vectors = stale = 0
        try:
            translatable = sum(
                n // xcodes.BYTES[model]
                for model, n in self.db.execute("SELECT model, COALESCE(SUM(LENGTH(codes)), 0) FROM xcodes GROUP BY model")
            )
        except sqlite3.OperationalError:  # written before the table existed
            translatable = 0
        # Fold the write-ahead log into the file first, so the size is the index's, not the log's
        # (a read-only index has no log of its own to fold).
        if not self.read_only:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        except OSError:  # a directory that may be entered, not listed: the file itself
            size = (self.path / DB_NAME).stat().st_size
        return {
            "path": str(self.path),
            "documents": docs,
            "characters": chars,
            "sentences": sentences,
            "fingerprints": shingles,
            "bytes": size,
            "bytes_per_document": round(size / docs) if docs else 0,
            "stored_text_bytes": texts,  # the compressed texts, kept for verification and reports
            "crosslingual": self.crosslingual,  # English documents keep multilingual codes too
            "multilingual_sentences": translatable,  # sentences with multilingual codes
            "vectors": self.vectors_model,  # the sentence model whose vectors are kept, or None
            "documents_with_vectors": with_vectors,  # made by the model as this process runs it
            "vectors_version": version,  # that model's version (Embedder.version)
            # Vectors of another version (other weights, or quantised otherwise): a trace does
            # not use them; indexing the documents again replaces them.
            "documents_with_stale_vectors": stale,
        }

    @guarded
    def lexical_candidates(self, prints: np.ndarray, top: int) -> dict[int, int]:
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
        return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:top])

    @guarded
    def all_codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Every indexed sentence code, packed (32 bytes each), the rowid of its document, and,
        for an index of up to UNPACKED sentences, the codes unpacked for search (1 KB each:
        256 MB at most; a larger index unpacks a chunk at a time per query). Loaded once."""
        if self._codes is None:
            parts, owners = [], []
            for rowid, blob in self.db.execute("SELECT rowid, codes FROM docs"):
                codes = _codes(blob, sketches.BYTES)
                parts.append(codes)
                owners.append(np.full(len(codes), rowid, dtype=np.int64))
            packed = np.concatenate(parts) if parts else np.zeros((0, sketches.BYTES), dtype=np.uint8)
            self._codes = (
                packed,
                np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64),
                sketches.signs(packed) if len(packed) <= UNPACKED else None,
            )
        return self._codes

    @guarded
    def all_xcodes(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """By multilingual model: every sentence code (packed), the rowid of its document, and
        that document's language per code. Empty for an English archive. Loaded once."""
        if self._xcodes is None:
            try:
                rows = self.db.execute("SELECT doc, model, lang, codes FROM xcodes").fetchall()
            except sqlite3.OperationalError:  # an index written before the table existed
                rows = []
            found: dict[str, tuple[list, list, list]] = {}
            for rowid, model, lang, blob in rows:
                codes = _codes(blob, xcodes.BYTES[model])
                parts, owners, langs = found.setdefault(model, ([], [], []))
                parts.append(codes)
                owners.append(np.full(len(codes), rowid, dtype=np.int64))
                langs.extend([lang] * len(codes))
            self._xcodes = {
                model: (np.concatenate(parts), np.concatenate(owners), np.array(langs, dtype=object))
                for model, (parts, owners, langs) in found.items()
            }
        return self._xcodes

    @guarded
    def trace(self, doc, top: int = 10, verify: int | None = None, **kwargs):
        """The ranked sources of ``doc`` in this index (see trace.py)."""
        from ..retrieve import trace

        return trace(self, doc, top=top, verify=verify, **kwargs)


@dataclass
class Prepared:
    """What the index stores for one document, computed outside the write transaction."""

    text: bytes  # zlib-compressed UTF-8
    codes: bytes  # packed sentence codes
    prints: np.ndarray  # fingerprints
    lang: str | None = None
    xcodes: bytes | None = None  # packed multilingual sentence codes, where kept
    vectors: bytes | None = None  # the sentence model's vectors (represent/stored.py), where kept
    vectors_model: str | None = None  # the version of the model that made them (Embedder.version)
    digest: str | None = None  # of the sentences the vectors were made of


def prepare(docs: list[Document], crosslingual: bool = False, vectors: str | None = None) -> list[Prepared]:
    """Language, chrome, body sentences, their codes (one call of the candidate model for all:
    it is far faster on many sentences) and fingerprints, and multilingual codes for documents
    not in English (for all with ``crosslingual``), and with ``vectors`` (a model's name) that
    model's vectors of every body sentence. A plain function of its input, so that worker
    processes can run it."""
    langs = [doc.lang or detect(doc.text) for doc in docs]
    bodies = [body_texts(mark_chrome(doc)) for doc in docs]
    codes = sketches.codes([s for body in bodies for s in body])
    multi = [crosslingual or xcodes.wanted(lang) for lang in langs]
    # One call of each multilingual model for the batch, as for the candidate model.
    found: dict[str, np.ndarray] = {}
    for model in {xcodes.model_for(lang) for lang, m in zip(langs, multi) if m}:
        found[model] = xcodes.codes(
            [s for body, lang, m in zip(bodies, langs, multi) if m and xcodes.model_for(lang) == model for s in body], model
        )
    vecs, version = None, None
    if vectors:
        from ..represent.embedder import get_embedder

        embedder = get_embedder(vectors)
        vecs, version = embedder.embed([s for body in bodies for s in body]), embedder.version
    out, at = [], 0
    xat = dict.fromkeys(found, 0)
    for doc, body, lang, m in zip(docs, bodies, langs, multi):
        model = xcodes.model_for(lang)
        out.append(Prepared(
            text=zlib.compress(doc.text.encode("utf-8"), 6),
            codes=codes[at : at + len(body)].tobytes(),
            prints=fingerprints(" ".join(body)),
            lang=lang,
            xcodes=found[model][xat[model] : xat[model] + len(body)].tobytes() if m else None,
            vectors=stored.pack(vecs[at : at + len(body)]) if vecs is not None else None,
            vectors_model=version,
            digest=stored.digest(body) if vecs is not None else None,
        ))
        at += len(body)
        if m:
            xat[model] += len(body)
    return out


T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """A stream cut into lists of ``size`` (the last may be shorter), read lazily."""
    batch: list[T] = []
    for doc in items:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _connect_read_only(db: Path) -> sqlite3.Connection:
    """A connection that only reads. SQLite reads a WAL index through its -shm file, which it
    cannot create in a directory it may not write: then the file is read as immutable (nothing
    can change it while this process may not write it)."""
    uri = db.absolute().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=30, isolation_level=None)


def _codes(blob: bytes, width: int) -> np.ndarray:
    if len(blob) % width:
        raise sqlite3.DatabaseError(f"a stored code of {len(blob)} bytes is not a multiple of {width}")
    return np.frombuffer(blob, dtype=np.uint8).reshape(-1, width)


def _document(row) -> Document:
    doc_id, title, url, published, lang, meta, text = row
    try:
        body, fields = zlib.decompress(text).decode("utf-8"), json.loads(meta)
    except (zlib.error, TypeError, ValueError) as exc:  # a damaged row SQLite itself did not notice
        raise sqlite3.DatabaseError(f"the stored document {doc_id!r} cannot be decoded ({exc})") from exc
    return Document(id=doc_id, text=body, title=title, url=url, published=published, lang=lang, meta=fields)

"""The scan's stages in this process: ``LocalEngine``.

Streams where it can: documents are read and prepared a batch at a time (in forked worker
processes for ``jobs`` > 1, a few batches in flight), and only compact records are kept (the
text zlib-compressed, fingerprints and packed codes). Candidates group the fingerprint postings
with a plain dict and run the functions of candidates.py on each group, as the Spark engine does
on its groups; the bands' buckets are found with array operations over all sentence codes at
once (``candidates.near_in_band``: the same buckets and rules as Spark's ``groupByKey``).
Verification takes the pairs a document at a time (``stages.by_document``: its sentences are
embedded once and then found in the model's cache) and sends each chunk of pairs to a worker with
its two compressed documents.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sized
from typing import Any

import numpy as np

from ..represent import sketches
from ..store.index import batches as _chunks  # the index's batching of a stream
from ..store.index import worker_pool
from ..types import Document
from . import candidates as cand
from . import stages
from .base import Engine, Progress
from .stages import Packed, Record

VERIFY_CHUNK = 8  # pairs sent to a worker at a time


class LocalEngine(Engine):
    """The stages in this process; ``jobs`` > 1 runs preparation and verification in that many
    forked worker processes, a chunk at a time."""

    name = "local"

    def __init__(self, jobs: int = 1, progress: Progress | None = None) -> None:
        super().__init__(progress)
        self.jobs = max(1, jobs)

    def _run(self, stage: str, fn, chunks: Iterable[list], total: int | None) -> Iterator:
        """``fn`` over each chunk, in order, results flattened; in worker processes for jobs > 1,
        at most 2 * jobs chunks in flight (so a long input is never all pickled at once)."""
        done = 0
        self.progress(stage, 0, total)
        if self.jobs == 1:
            for chunk in chunks:
                yield from fn(chunk)
                done += len(chunk)
                self.progress(stage, done, total)
            return
        with worker_pool(self.jobs) as pool:  # the index's forked workers, the same way
            pending: deque = deque()
            for chunk in chunks:
                pending.append((len(chunk), pool.submit(fn, chunk)))
                while len(pending) > 2 * self.jobs:
                    n, future = pending.popleft()
                    yield from future.result()
                    done += n
                    self.progress(stage, done, total)
            while pending:
                n, future = pending.popleft()
                yield from future.result()
                done += n
                self.progress(stage, done, total)

    def prepare(self, docs: Iterable[Document]) -> dict[str, Record]:
        """Records by id; the last document read with an id wins, as in the index."""
        total = len(docs) if isinstance(docs, Sized) else None
        records: dict[str, Record] = {}
        for rec in self._run("preparing", _prepare_chunk, _chunks(docs, stages.PREPARE_BATCH), total):
            records[rec.id] = rec
        return records

    def candidates(self, records: dict[str, Record], top: int) -> list[tuple[str, str, float]]:
        steps = cand.BANDS + 2
        self.progress("candidates", 0, steps)
        by_print = _group(kv for rec in records.values() for kv in cand.postings(rec))
        shared = Counter(pair for docs in by_print.values() for pair in cand.shared_pairs(docs))
        del by_print
        self.progress("candidates", 1, steps)
        # Every sentence code in one array, numbered by document: the bands' buckets are found
        # with array operations (cand.near_in_band), the same buckets Spark groups by key.
        ids = list(records)
        codes = np.frombuffer(b"".join(records[d].codes for d in ids), dtype=np.uint8).reshape(-1, sketches.BYTES)
        owner = np.repeat(np.arange(len(ids)), [len(records[d].codes) // sketches.BYTES for d in ids])
        matched: set[tuple[int, int, int]] = set()
        for band in range(cand.BANDS):
            matched |= cand.near_in_band(owner, codes, band)
            self.progress("candidates", 2 + band, steps)
        votes = Counter((ids[a], ids[b]) for a, _, b in matched)
        del matched, codes, owner
        rows = _group(kv for item in shared.items() for kv in cand.lexical_rows(item))
        for item in votes.items():
            for doc, row in cand.semantic_rows(item):
                rows[doc].append(row)
        out = cand.merge_candidates(
            c for doc in sorted(rows) for c in cand.choose(doc, cand.sizes(records[doc]), rows[doc], top))
        self.progress("candidates", steps, steps)
        return out

    def merge(self, candidates: list[tuple[str, str, float]], rows: list[tuple[str, str, float]]):
        return cand.merge_candidates([*candidates, *rows])

    def verify(self, candidates: list[tuple[str, str, float]], records: dict[str, Record],
               extra: dict[str, Packed] | None = None) -> list[dict[str, Any]]:
        extra = extra or {}

        def doc(d: str) -> Packed:
            return records[d].doc if d in records else extra[d]

        rows = ((a, b, s, doc(a), doc(b)) for a, b, s in stages.by_document(candidates))
        return stages.sort_pairs(self._run("verifying", _verify_chunk, _chunks(rows, VERIFY_CHUNK), len(candidates)))

    def documents(self, records: dict[str, Record]) -> Iterator[Packed]:
        return (rec.doc for rec in records.values())

    def ids(self, records: dict[str, Record]) -> set[str]:
        return set(records)

    def packed(self, records: dict[str, Record], ids: set[str]) -> dict[str, Packed]:
        """The documents of ``ids`` that are records (for reports of some pairs after a scan)."""
        return {d: records[d].doc for d in ids if d in records}

    def size(self, items) -> int:
        return len(items)


def _prepare_chunk(chunk: list[Document]) -> list[Record]:
    return list(stages.prepare_partition(chunk))


def _verify_chunk(chunk: list) -> list[dict[str, Any]]:
    return list(stages.verify_rows(chunk))


def _group(pairs: Iterable[tuple[Any, Any]]) -> defaultdict:
    """key -> [values]: what groupByKey does on Spark."""
    out: defaultdict = defaultdict(list)
    for key, value in pairs:
        out[key].append(value)
    return out

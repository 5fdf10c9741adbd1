"""The stages of a corpus scan, as plain functions over iterables (a partition of the corpus).

No engine code here: the local engine calls them in this process, the Spark engine calls the very
same functions inside ``mapPartitions`` (see engines.py), so both give the same output.

1. ``prepare_partition(docs)``: per document, what the index stores (``store.index.prepare``):
   word 8-gram fingerprints and packed sentence codes, with the id, the published date and the
   document itself (kept for verification).
2. ``Lookup(records)``, built once from all prepared records (on the driver; broadcast on Spark):
   fingerprint -> documents (fingerprints held by more than MAX_POSTINGS documents are boilerplate
   and left out), and every sentence code with its document. ``candidates_partition(records,
   lookup)`` scores each document's neighbours as ``unspun trace`` does (the share of its
   fingerprints another document shares; the share of its sentences with a near code, within
   ``trace.CODE_AGREEMENT``, among the ``trace.NEIGHBOURS`` nearest, in another document; the larger
   of the two), keeps its best ``top`` above MIN_SCORE, and yields ``(a, b, score)`` with a < b.
   Besides these, every document sharing MIN_SHARED fingerprints or more (a copied passage of
   some 20 words: one fingerprint per 4 word 8-grams) is a candidate whatever its share: a
   document that copies a paragraph from each of 20 sources shares a small part with each (on
   pan13-verbatim, 47 of the 311 known pairs score below 0.1, but all but 19 share 3 or more).
   ``merge_candidates`` keeps one row per pair (its best score).
3. ``verify_partition(pairs, texts)``: ``compare`` once per candidate pair (the longer document as
   the source, the shorter as the rewrite); pairs judged non-derived are dropped. Direction:

   * ``dated``: both documents have ``published`` dates and they differ: the earlier is the
     original;
   * ``evidence``: otherwise, when one document is mostly made of the other's text (its share
     found in the other >= ``judge.WHOLLY``, 0.7) and the other's share is below that, the
     contained one is the derived one;
   * ``unknown``: otherwise; ``original`` is then the smaller id (an arbitrary, stable order).

   ``rewrite_share`` is always the share of ``derived`` found in ``original``, ``source_share``
   the share of ``original`` found in ``derived``.
4. ``clusters(pairs)``: star clusters, never transitive. Every document that is the derived side
   of a verified pair picks one parent: its strongest original (directed pairs, ``dated`` or
   ``evidence``, before ``unknown`` ones, whose ``original`` is the smaller id; then the larger
   ``rewrite_share``; then the smaller id). Each parent is the centre of a cluster named by its
   id; each document that picked it, and is not itself a centre, is a member. So every member
   has a verified pair with its centre: A~B and B~C never put A and C together unless one of
   them is the centre the other was verified against. A document is in one cluster at most.

Every output is sorted, so two runs over the same corpus, on either engine, compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from ..judge import WHOLLY
from ..store import sketches
from ..store.index import prepare
from ..store.trace import CODE_AGREEMENT, NEIGHBOURS
from ..types import Document

TOP = 10  # candidates kept per document
MIN_SCORE = 0.15  # a candidate's least score (share of the document matched by a cheap channel)
MIN_SHARED = 3  # fingerprints shared: a verbatim copy of a passage, however long the documents
MAX_SHARED = 50  # candidates by shared fingerprints kept per document
MAX_POSTINGS = 50  # a fingerprint in more documents than this is boilerplate
BATCH = 32  # documents prepared at a time (the candidate model is faster on many sentences)

PAIR_COLUMNS = ("original", "derived", "direction", "verdict", "rewrite_share", "source_share", "passages", "score")
CLUSTER_COLUMNS = ("cluster", "id", "role")


@dataclass
class Record:
    """A prepared document."""

    id: str
    prints: np.ndarray  # sorted unique fingerprints, int64
    codes: bytes  # packed sentence codes, sketches.BYTES each
    published: str | None
    doc: Document


# -- 1. prepare -----------------------------------------------------------------------------


def prepare_partition(docs: Iterable[Document]) -> Iterator[Record]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= BATCH:
            yield from _prepare(batch)
            batch = []
    if batch:
        yield from _prepare(batch)


def _prepare(batch: list[Document]) -> Iterator[Record]:
    for doc, prepared in zip(batch, prepare(batch)):
        yield Record(id=doc.id, prints=prepared.prints, codes=prepared.codes, published=doc.published, doc=doc)


# -- 2. candidates ----------------------------------------------------------------------------


class Lookup:
    """Fingerprint postings and sentence codes of a whole corpus, for candidate generation.

    Numpy arrays only (it is pickled once to be broadcast): postings as (fingerprint, document)
    rows sorted by fingerprint, found with binary search."""

    def __init__(self, records: Iterable[Record]) -> None:
        ids, prints, owners, codes, code_owners = [], [], [], [], []
        for k, rec in enumerate(sorted(records, key=lambda r: r.id)):
            ids.append(rec.id)
            prints.append(rec.prints)
            owners.append(np.full(len(rec.prints), k, dtype=np.int32))
            c = np.frombuffer(rec.codes, dtype=np.uint8).reshape(-1, sketches.BYTES)
            codes.append(c)
            code_owners.append(np.full(len(c), k, dtype=np.int32))
        self.ids = ids
        self.number = {d: k for k, d in enumerate(ids)}
        fp = np.concatenate(prints) if prints else np.zeros(0, dtype=np.int64)
        own = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int32)
        order = np.lexsort((own, fp))
        fp, own = fp[order], own[order]
        if len(fp):
            _, start, counts = np.unique(fp, return_index=True, return_counts=True)
            keep = np.repeat(counts <= MAX_POSTINGS, counts)
            fp, own = fp[keep], own[keep]
        self.prints, self.owners = fp, own
        self.codes = np.concatenate(codes) if codes else np.zeros((0, sketches.BYTES), dtype=np.uint8)
        self.code_owners = np.concatenate(code_owners) if code_owners else np.zeros(0, dtype=np.int32)
        self._signs: np.ndarray | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_signs"] = None  # unpacked again where it is used, not shipped
        return state

    def __len__(self) -> int:
        return len(self.ids)

    def signs(self) -> np.ndarray | None:
        from ..store.index import UNPACKED

        if self._signs is None and len(self.codes) <= UNPACKED:
            self._signs = sketches.signs(self.codes)
        return self._signs

    def lexical(self, prints: np.ndarray) -> dict[int, int]:
        """Documents sharing fingerprints with ``prints``: number -> count shared."""
        if not len(prints) or not len(self.prints):
            return {}
        lo = np.searchsorted(self.prints, prints, "left")
        hi = np.searchsorted(self.prints, prints, "right")
        lens = hi - lo
        total = int(lens.sum())
        if not total:
            return {}
        idx = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens) + np.repeat(lo, lens)
        counts = np.bincount(self.owners[idx])
        found = np.nonzero(counts)[0]
        return dict(zip(found.tolist(), counts[found].tolist()))

    def semantic(self, codes: bytes, me: int) -> dict[int, int]:
        """Documents other than ``me`` with a near code for the query's sentences: number ->
        sentences matched."""
        query = np.frombuffer(codes, dtype=np.uint8).reshape(-1, sketches.BYTES)
        if not len(query) or not len(self.codes):
            return {}
        # The document's own sentences are among their own nearest: ask for that many more.
        own = int(np.count_nonzero(self.code_owners == me))
        nearest, distances = sketches.nearest(query, self.codes, NEIGHBOURS + min(own, 20), self.signs())
        limit = (1 - CODE_AGREEMENT) * sketches.BITS
        votes: dict[int, int] = {}
        for cols, dists in zip(nearest, distances):
            others = [int(self.code_owners[c]) for c, dist in zip(cols, dists) if dist <= limit]
            for d in set(o for o in others if o != me):
                votes[d] = votes.get(d, 0) + 1
        return votes


def candidates_partition(records: Iterable[Record], lookup: Lookup, top: int = TOP,
                         min_score: float = MIN_SCORE) -> Iterator[tuple[str, str, float]]:
    """Each document's candidates, as (a, b, score) with a < b: every document sharing at least
    MIN_SHARED fingerprints with it (a copied stretch of some 20 words or more; at most
    MAX_SHARED of them, the most shared first), then its best ``top`` others whose score is at
    least ``min_score``."""
    for rec in records:
        me = lookup.number.get(rec.id, -1)
        n_prints = max(1, len(rec.prints))
        n_sentences = max(1, len(rec.codes) // sketches.BYTES)
        shared = {d: n for d, n in lookup.lexical(rec.prints).items() if d != me}
        lexical = {d: n / n_prints for d, n in shared.items()}
        semantic = {d: n / n_sentences for d, n in lookup.semantic(rec.codes, me).items()}
        scores = {d: max(lexical.get(d, 0.0), semantic.get(d, 0.0)) for d in set(lexical) | set(semantic)}
        copied = sorted((d for d, n in shared.items() if n >= MIN_SHARED), key=lambda d: (-shared[d], lookup.ids[d]))
        chosen = copied[:MAX_SHARED]
        taken = set(chosen)
        best = sorted((d for d in scores if scores[d] >= min_score and d not in taken),
                      key=lambda d: (-scores[d], lookup.ids[d]))
        for d in chosen + best[:top]:
            other = lookup.ids[d]
            if other == rec.id:
                continue
            a, b = sorted((rec.id, other))
            yield a, b, round(scores[d], 6)


def merge_candidates(rows: Iterable[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """One row per pair, its best score, sorted by pair."""
    best: dict[tuple[str, str], float] = {}
    for a, b, score in rows:
        best[(a, b)] = max(score, best.get((a, b), 0.0))
    return [(a, b, s) for (a, b), s in sorted(best.items())]


# -- 3. verify ------------------------------------------------------------------------------


def verify_partition(pairs: Iterable[tuple[str, str, float]], texts, model=None) -> Iterator[dict[str, Any]]:
    """``compare`` each candidate pair; yield a pair row for each one judged derived.

    ``texts`` maps a document id to its Document (a dict, or anything with ``[]``)."""
    from ..pipeline import compare

    for a, b, score in pairs:
        da, db = texts[a], texts[b]
        # The longer text as the source, the shorter as the rewrite (ties: the smaller id first).
        if (_length(db), a) > (_length(da), b):
            da, db = db, da
        report = compare(_copy(da), _copy(db), model=model)
        if report.verdict == "non-derived":
            continue
        cov = report.judgement.coverage
        share = {da.id: cov["source_share"], db.id: cov["rewrite_share"]}  # each one's share found in the other
        original, derived, direction = orient(da.id, da.published, db.id, db.published, share)
        yield {
            "original": original,
            "derived": derived,
            "direction": direction,
            "verdict": report.verdict,
            "rewrite_share": round(float(share[derived]), 6),
            "source_share": round(float(share[original]), 6),
            "passages": len(report.passages),
            "score": float(score),
        }


def orient(a: str, a_published: str | None, b: str, b_published: str | None,
           share: dict[str, float]) -> tuple[str, str, str]:
    """(original, derived, direction) of a verified pair; ``share[x]`` is the share of x found in
    the other document."""
    da, db = _date(a_published), _date(b_published)
    if da is not None and db is not None and da != db:
        return (a, b, "dated") if da < db else (b, a, "dated")
    if share[b] >= WHOLLY and share[a] < WHOLLY:
        return a, b, "evidence"
    if share[a] >= WHOLLY and share[b] < WHOLLY:
        return b, a, "evidence"
    x, y = sorted((a, b))
    return x, y, "unknown"


def _date(value: str | None):
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            parsed = parsed.replace(tzinfo=None) - parsed.utcoffset()
        return parsed.isoformat()
    except ValueError:
        return text


def _length(doc: Document) -> int:
    return len(doc.text)


def _copy(doc: Document) -> Document:
    """A fresh Document (compare marks chrome on what it is given)."""
    return Document(id=doc.id, text=doc.text, title=doc.title, url=doc.url, published=doc.published,
                    lang=doc.lang, meta=dict(doc.meta))


def sort_pairs(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["original"], r["derived"]))


# -- 4. clusters ----------------------------------------------------------------------------


def clusters(pairs: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Star clusters of verified pairs (rule in the module docstring): rows of cluster, id,
    role (``centre`` or ``member``), sorted."""
    parent: dict[str, tuple[tuple, str]] = {}
    for row in pairs:
        key = (row["direction"] == "unknown", -row["rewrite_share"], row["original"])
        d = row["derived"]
        if d not in parent or key < parent[d][0]:
            parent[d] = (key, row["original"])
    centres = {p for _, p in parent.values()}
    out = [{"cluster": c, "id": c, "role": "centre"} for c in centres]
    out += [{"cluster": p, "id": d, "role": "member"} for d, (_, p) in parent.items() if d not in centres]
    return sorted(out, key=lambda r: (r["cluster"], r["role"] != "centre", r["id"]))

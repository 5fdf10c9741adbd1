"""The stages of a corpus scan, as plain functions over iterables (a partition of the corpus).

No engine code here: the local engine calls them in this process (or its worker processes), the
Spark engine calls the very same functions inside ``mapPartitions``/``flatMap`` (see engines.py),
so both give the same output.

1. ``prepare_partition(docs)``: per document, what the index stores (``store.index.prepare``):
   word 8-gram fingerprints and packed sentence codes, with the document, its text
   zlib-compressed (``Packed``: what verification needs, a third of the size).
2. Candidates (candidates.py): joins on fingerprints and on LSH bands of the sentence codes, then
   per document its best neighbours (``choose``), one row per pair (``merge_candidates``).
3. ``verify_rows(rows)``: each row carries its pair's two documents (on Spark, the pairs are
   joined to the documents by id twice; nothing is broadcast). ``compare`` once per pair (the
   longer document as the source, the shorter as the rewrite); pairs judged non-derived are
   dropped. Direction (``orient``):

   * ``dated``: both documents have ``published`` dates and they differ: the earlier is the
     original;
   * ``evidence``: otherwise, one document is derived when all of these hold: it is mostly inside
     the other (its share found there >= ``judge.WHOLLY``, 0.7); it is more inside the other than
     the other is inside it, by MARGIN or more (a rewrite drops more of its source than it adds);
     it is not the longer of the two (a text can only lie mostly inside a shorter one through
     loose paraphrase passages); and it is not both whole inside the other (WHOLE or more) and
     most of it (the other's share CONTAINER or more), since then the other may as well be this
     text copied whole with additions (Clough answers that paste the source and add to it) as
     this one an excerpt of it;
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

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ..judge import WHOLLY
from ..store.index import batches, prepare
from ..types import Document

MARGIN = 0.05  # direction by evidence: how much more inside the other the derived one must be
WHOLE = 0.9  # ... and a text this much inside the other is "whole" there
CONTAINER = 0.6  # ... which, with the other this much inside it, leaves the direction open
PREPARE_BATCH = 32  # documents prepared at a time (the candidate model is faster on many sentences)

CLUSTER_COLUMNS = ("cluster", "id", "role")


@dataclass
class Packed:
    """A document with its text zlib-compressed: what verification needs, kept or shipped
    compact. ``meta`` leaves out what marking chrome adds (compare marks it again)."""

    id: str
    text: bytes
    title: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document, text: bytes | None = None) -> Packed:
        return cls(id=doc.id, text=text if text is not None else zlib.compress(doc.text.encode("utf-8"), 6),
                   title=doc.title, url=doc.url, published=doc.published, lang=doc.lang,
                   meta={k: v for k, v in doc.meta.items() if k != "metadata"})

    def document(self) -> Document:
        """A fresh Document (compare marks chrome on what it is given)."""
        return Document(id=self.id, text=zlib.decompress(self.text).decode("utf-8"), title=self.title, url=self.url,
                        published=self.published, lang=self.lang, meta=dict(self.meta))


@dataclass
class Record:
    """A prepared document."""

    id: str
    prints: np.ndarray  # sorted unique fingerprints, int64
    codes: bytes  # packed sentence codes, sketches.BYTES each
    doc: Packed


# -- 1. prepare -----------------------------------------------------------------------------


def prepare_partition(docs: Iterable[Document]) -> Iterator[Record]:
    for batch in batches(docs, PREPARE_BATCH):
        for doc, prepared in zip(batch, prepare(batch)):
            yield Record(id=doc.id, prints=prepared.prints, codes=prepared.codes, doc=Packed.of(doc, prepared.text))


# -- 2. candidates: candidates.py ------------------------------------------------------------


# -- 3. verify ------------------------------------------------------------------------------


def verify_rows(rows: Iterable[tuple[str, str, float, Packed, Packed]], model=None) -> Iterator[dict[str, Any]]:
    """``compare`` each candidate pair (a, b, score, a's document, b's document); yield a pair
    row for each one judged derived."""
    from ..pipeline import compare

    for a, b, score, pa, pb in rows:
        da, db = pa.document(), pb.document()
        # The longer text as the source, the shorter as the rewrite (ties: the smaller id first).
        if (len(db.text), a) > (len(da.text), b):
            da, db = db, da
        report = compare(da, db, model=model)
        if report.verdict == "non-derived":
            continue
        cov = report.judgement.coverage
        share = {da.id: cov["source_share"], db.id: cov["rewrite_share"]}  # each one's share found in the other
        length = {da.id: len(da.text), db.id: len(db.text)}
        original, derived, direction = orient(da.id, da.published, db.id, db.published, share, length)
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
           share: dict[str, float], length: dict[str, int] | None = None) -> tuple[str, str, str]:
    """(original, derived, direction) of a verified pair; ``share[x]`` is the share of x found in
    the other document, ``length[x]`` its length (rule in the module docstring)."""
    da, db = _date(a_published), _date(b_published)
    if da is not None and db is not None and da != db:
        return (a, b, "dated") if da < db else (b, a, "dated")
    length = length or {a: 0, b: 0}
    for x, y in ((a, b), (b, a)):
        if (share[x] >= WHOLLY and round(share[x] - share[y], 6) >= MARGIN and length[x] <= length[y]
                and not (share[x] >= WHOLE and share[y] >= CONTAINER)):
            return y, x, "evidence"
    x, y = sorted((a, b))
    return x, y, "unknown"


def _date(value: str | None):
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            parsed = parsed.replace(tzinfo=None) - (parsed.utcoffset() or timedelta(0))
        return parsed.isoformat()
    except ValueError:
        return text


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

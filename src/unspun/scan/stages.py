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
   dropped. Direction (direction.py, ``orient_pair``): by dates (published, a ``Date:`` line, a
   WARC capture as a bound), else by the marks a derived text leaves (containment, dropped
   details, added chrome, damaged sentences, misspellings), weighed as log-odds; else undirected.
   Each row says ``direction`` (``dated``, ``evidence`` or ``unknown``), ``directed`` (False
   exactly when unknown: ``original`` is then only the smaller id, an arbitrary, stable order)
   and ``direction_evidence`` (what decided it, one line; "" when undirected for want of
   evidence). Then ``undirect_siblings``: a pair directed by marks alone whose two texts both
   derive from a third is made undirected ("both derive from X"): neither copied the other.

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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store.index import batches, prepare
from ..types import Document
from .direction import CONTAINER, MARGIN, WHOLE, Dated, Orientation, document_date, orient_pair, parse_date, report_marks

__all__ = ["CONTAINER", "MARGIN", "WHOLE", "Orientation", "orient", "orient_pair", "verify_rows"]

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
        # The rows carry no changed facts, additions or credit: the report leaves them out, and
        # embeds only the sentences worth it (align/cascade.py).
        report = compare(da, db, model=model, details=False, exhaustive=False)
        if report.verdict == "non-derived":
            continue
        cov = report.judgement.coverage
        share = {da.id: cov["source_share"], db.id: cov["rewrite_share"]}  # each one's share found in the other
        length = {da.id: len(da.text), db.id: len(db.text)}
        o = orient_pair(da.id, db.id, share, length, dates={d.id: document_date(d) for d in (da, db)},
                        marks=report_marks(report))
        original, derived = o.original, o.derived
        yield {
            "original": original,
            "derived": derived,
            "direction": o.direction,
            "directed": o.directed,
            "direction_evidence": o.evidence,
            "verdict": report.verdict,
            "rewrite_share": round(float(share[derived]), 6),
            "source_share": round(float(share[original]), 6),
            "passages": len(report.passages),
            "passage_spans": passage_spans(report, original == da.id),
            "score": float(score),
        }


def by_document(candidates: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """The candidate pairs ordered so that each document's pairs come together: by the pair's
    busier document (more candidate pairs; ties, the smaller id), then the other. Verified a chunk
    at a time in that order, a document's sentences are embedded once and then found in the
    embedder's cache by its other pairs (a Clough answer is in some 18 pairs, a pan13 suspicious
    document in 4), instead of once per pair."""
    degree: Counter[str] = Counter()
    for a, b, _ in candidates:
        degree[a] += 1
        degree[b] += 1

    def key(pair: tuple[str, str, float]) -> tuple:
        a, b, _ = pair
        hub, other = (a, b) if (-degree[a], a) <= (-degree[b], b) else (b, a)
        return (-degree[hub], hub, other)

    return sorted(candidates, key=key)


def undirect_siblings(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pairs whose two texts both derive from a third: neither copied the other, whatever the
    marks between them say (two students' answers to one article share its details, one keeping
    more of them). A pair directed by its marks alone is made undirected when both its texts are
    the derived side of directed pairs with one other text; a dated pair keeps its dates' order."""
    parents: dict[str, set[str]] = {}
    for row in pairs:
        if row["directed"]:
            parents.setdefault(row["derived"], set()).add(row["original"])
    out = []
    for row in pairs:
        a, b = row["original"], row["derived"]
        common = sorted((parents.get(a, set()) & parents.get(b, set())) - {a, b})
        if row["directed"] and row["direction"] == "evidence" and common:
            row = _undirected(row, f"both derive from {common[0]}")
        out.append(row)
    return out


def _undirected(row: dict[str, Any], why: str) -> dict[str, Any]:
    """The row as an undirected pair: its ids in sorted order (the rule for unknown direction),
    shares and spans following them."""
    row = dict(row, direction="unknown", directed=False, direction_evidence=why)
    if row["original"] > row["derived"]:
        row["original"], row["derived"] = row["derived"], row["original"]
        row["rewrite_share"], row["source_share"] = row["source_share"], row["rewrite_share"]
        if row.get("passage_spans"):
            row["passage_spans"] = [
                dict(s, original_start=s["derived_start"], original_end=s["derived_end"],
                     derived_start=s["original_start"], derived_end=s["original_end"])
                for s in row["passage_spans"]
            ]
    return row


def passage_spans(report, original_is_source: bool) -> list[dict[str, Any]]:
    """The pair's passages as character offsets in the original's and the derived's text."""
    out = []
    for p in report.passages:
        o, d = (p.source_span, p.query_span) if original_is_source else (p.query_span, p.source_span)
        out.append({"original_start": o.start, "original_end": o.end, "derived_start": d.start,
                    "derived_end": d.end, "kind": p.kind, "score": round(float(p.score), 4)})
    return out


def orient(a: str, a_published: str | None, b: str, b_published: str | None,
           share: dict[str, float], length: dict[str, int] | None = None) -> tuple[str, str, str]:
    """(original, derived, direction) of a verified pair from its published dates and shares
    alone; ``share[x]`` is the share of x found in the other document, ``length[x]`` its length.
    ``direction.orient_pair`` takes all the evidence and says what decided."""
    dates = {x: Dated(v, "published") if (v := parse_date(p)) is not None else None
             for x, p in ((a, a_published), (b, b_published))}
    return orient_pair(a, b, share, length, dates=dates).astuple()


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

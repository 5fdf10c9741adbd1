"""Retrieve: the sources of a document in an index (what ``Index.trace`` and ``unspun trace`` do).

1. Candidates, cheaply: documents sharing word 8-gram fingerprints with the query (copies), and
   documents holding sentences whose semantic codes lie near the query's (paraphrases), and
   documents in another language holding sentences whose multilingual codes lie near the
   query's (translations; see xcodes.py). Each channel gives a share of the query (fingerprints
   shared, sentences matched); a candidate's score is the largest share.
2. Verification of the best candidates with the aligner and the best model (``compare``): their
   verdict, reuse shares and passages. Verified derived sources rank first, by the share of the
   query they account for; then the other candidates by their candidate score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from .clean import mark_chrome
from .language import detect
from .pipeline import compare
from .read import read
from .represent import sketches, xcodes
from .represent.fingerprints import fingerprints
from .segment import body_texts
from .timing import Timer
from .types import JSON_SCHEMA_VERSION, Document, Report

CANDIDATES = 50  # from each channel
VERIFY = 5  # candidates checked with the aligner
NEAREST = 5  # nearest indexed sentences looked at per query sentence
CODE_AGREEMENT = 0.78  # share of equal sign bits for a sentence to count as a match
# A document in another language is a candidate only when this many query sentences found a near
# multilingual code in it: one chance match would otherwise send an English query's verification
# to e5, 4 to 5 times slower than MiniLM, for nothing (compare wants 1.5 translated sentences too).
MIN_TRANSLATED = 2
# Only query sentences of this many words vote there, each once: fragments ("Ca.", "N.I.") and
# repeated lines match across languages by chance.
MIN_WORDS = 4


class Searchable(Protocol):
    """What retrieval needs of an index: ``store.Index`` is one. Retrieval reads through these and
    nothing else, so the store can change its layout without touching how sources are found."""

    def lexical_candidates(self, prints: np.ndarray, top: int) -> dict[int, int]: ...
    def all_codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]: ...
    def all_xcodes(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]: ...
    def get_rows(self, rowids: list[int]) -> dict[int, Document]: ...


def candidate_score(*shares: float) -> float:
    """A candidate's score from its cheap channels' shares (fingerprints shared, sentences matched,
    sentences translated): the largest. One channel that accounts for much of a document is
    enough; trace and scan rank candidates by this same rule."""
    return max(shares, default=0.0)


@dataclass
class Source:
    id: str
    score: float  # candidate score: share of the query the cheap channels matched, 0..1
    report: Report | None = None  # set for verified sources
    evidence: dict[str, float] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return self.report.verdict if self.report else "unverified"

    @property
    def verified(self) -> bool:
        return self.report is not None

    def to_dict(self, verify: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "score": round(self.score, 4), "verdict": self.verdict,
                               "verified": self.verified}
        if self.report is None and verify is not None:
            out["unverified_reason"] = unverified_reason(verify)
        out["evidence"] = {k: round(v, 4) for k, v in self.evidence.items()}
        if self.report:
            full = self.report.to_dict()
            out["reuse"] = full["reuse"]
            out["passages"] = full["passages"]
            out["fidelity"] = full["fidelity"]
        else:
            out["reuse"] = None
            out["passages"] = []
        return out


def unverified_reason(verify: int) -> str:
    """Why a listed source has no verdict: only the best ``verify`` candidates are compared."""
    if verify == 0:
        return "not verified: no candidate is verified (verify 0)"
    return f"not verified: ranked below the {verify} best candidate{'s' if verify != 1 else ''}, which alone are verified"


@dataclass
class TraceResult:
    query: Document
    sources: list[Source]
    timings: dict[str, float] = field(default_factory=dict)
    # Why fewer sources than asked may be listed: how many documents any cheap channel found
    # (a source is listed only if one did), and whether a channel stopped at its CANDIDATES.
    candidates: int = 0
    capped: bool = False
    verify: int = VERIFY  # how many of the best candidates were to be verified

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "query": {
                "id": self.query.id, "title": self.query.title, "url": self.query.url,
                "length": len(self.query.text), "lang": self.query.lang,
            },
            "candidates": self.candidates,
            "candidates_capped": self.capped,
            "verify": self.verify,
            "sources": [s.to_dict(self.verify) for s in self.sources],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def trace(index: Searchable, doc, top: int = 10, verify: int | None = None, model=None) -> TraceResult:
    """The ranked sources of ``doc`` (anything ``unspun.read`` takes) in ``index``: the ``top``
    best candidates, of which the first ``verify`` (default VERIFY) are compared with it."""
    timer = Timer()
    verify = VERIFY if verify is None else verify
    with timer("candidates"):
        query, evidence, capped = _candidates(index, doc)
        scores = {d: candidate_score(*shares.values()) for d, shares in evidence.items()}
        ranked = sorted(scores, key=lambda d: -scores[d])[: max(top, verify)]
    with timer("verify"):
        docs = index.get_rows(ranked)
        present = [d for d in ranked if d in docs]
        sources = [Source(id=docs[d].id, score=scores[d], evidence=evidence[d]) for d in present]
        for source, d in list(zip(sources, present))[:verify]:
            source.report = compare(docs[d], query, model=model)

    def rank(s: Source) -> tuple:
        if s.report is None or s.report.verdict == "non-derived":
            return (True, 0.0, -s.score)
        return (False, -s.report.judgement.coverage["rewrite_share"], -s.score)

    sources.sort(key=rank)
    return TraceResult(query=query, sources=sources[:top], timings=timer.times, candidates=len(evidence),
                       capped=capped, verify=verify)


def _candidates(index: Searchable, doc) -> tuple[Document, dict[int, dict[str, float]], bool]:
    """The query, read and cleaned, each candidate's share of it by every cheap channel, and
    whether a channel found as many as CANDIDATES (and so may have left more out)."""
    query = read(doc, doc_id="query")
    mark_chrome(query)
    body = body_texts(query)
    prints = fingerprints(" ".join(body))
    lexical = {d: n / max(1, len(prints)) for d, n in index.lexical_candidates(prints, CANDIDATES).items()}
    semantic = _semantic(index, body)
    query.lang = query.lang or detect(query.text)
    translated = _translated(index, body, query.lang)
    evidence = {
        d: {"fingerprints": lexical.get(d, 0.0), "sentences": semantic.get(d, 0.0), "translations": translated.get(d, 0.0)}
        for d in set(lexical) | set(semantic) | set(translated)
    }
    capped = max(len(lexical), len(semantic), len(translated)) >= CANDIDATES
    return query, evidence, capped


def _translated(index: Searchable, body: list[str], lang: str | None) -> dict[int, float]:
    """Share of the query's sentences with a near multilingual code in each document in another
    language. Nothing to do, and nothing embedded, for an index without such documents."""
    shares: dict[int, float] = {}
    voters = [s for s in dict.fromkeys(body) if len(s.split()) >= MIN_WORDS]
    for model, (base, owners, langs) in index.all_xcodes().items():
        other = langs != lang
        if not voters or not other.any():
            continue
        mine = voters
        if model == "e5" and len(voters) > xcodes.E5_QUERY_SENTENCES:
            step = len(voters) / xcodes.E5_QUERY_SENTENCES  # e5 is slow: a long query is sampled
            mine = [voters[int(k * step)] for k in range(xcodes.E5_QUERY_SENTENCES)]
        nearest, distances = sketches.nearest(xcodes.codes(mine, model), base[other], NEAREST)
        max_distance = (1 - xcodes.AGREEMENT[model]) * 8 * xcodes.BYTES[model]
        for d, share in _votes(nearest, distances, owners[other], max_distance, len(body)).items():
            if share * len(body) >= MIN_TRANSLATED:
                shares[d] = max(shares.get(d, 0.0), share)
    return shares


def _votes(nearest, distances, owners, max_distance: float, n: int) -> dict[int, float]:
    """Each query sentence votes once for every document holding one of its near codes."""
    votes: dict[int, int] = {}
    for cols, dists in zip(nearest, distances):
        for d in {int(owners[c]) for c, dist in zip(cols, dists) if dist <= max_distance}:
            votes[d] = votes.get(d, 0) + 1
    top = sorted(votes.items(), key=lambda kv: -kv[1])[:CANDIDATES]
    return {d: v / n for d, v in top}


def _semantic(index: Searchable, body: list[str]) -> dict[int, float]:
    """Share of the query's sentences with a near code in each document."""
    base, owners, unpacked = index.all_codes()
    if not body or not len(base):
        return {}
    nearest, distances = sketches.nearest(sketches.codes(body), base, NEAREST, unpacked)
    return _votes(nearest, distances, owners, (1 - CODE_AGREEMENT) * sketches.BITS, len(body))

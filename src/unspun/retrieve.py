"""Retrieve: the sources of a document in an index (what ``Index.trace`` and ``unspun trace`` do).

1. Candidates, cheaply: documents sharing word 8-gram fingerprints with the query (copies), and
   documents holding sentences whose semantic codes lie near the query's (paraphrases), and
   documents in another language holding sentences whose multilingual codes lie near the
   query's (translations; see xcodes.py). Each channel gives a share of the query (fingerprints
   shared, sentences matched); a candidate's score is the largest share.
2. Verification, in candidate order, until the query is explained: a candidate is compared with
   the aligner and the best model (``compare``: verdict, reuse shares, passages; cheap evidence
   first, align/cascade.py, so the model embeds only the sentences worth it) while some of the
   query's body is outside every passage found so far (more than UNEXPLAINED of it) and the
   candidate's own evidence (8-grams it shares with the query, query sentences with a near code
   in it) lies in that unexplained text; at most ``verify`` candidates are compared. Verified
   derived sources rank first, by the share of the query they account for; then the other
   candidates by their candidate score. Every unverified row says why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from .clean import mark_chrome
from .judge.shares import _countable
from .language import detect
from .pipeline import compare
from .read import read
from .represent import Embedder, get_embedder, sketches, stored, xcodes
from .represent.fingerprints import fingerprints
from .segment import body_segments, body_texts
from .timing import Timer
from .types import JSON_SCHEMA_VERSION, Document, Report, Segment

CANDIDATES = 50  # from each channel
VERIFY = 5  # at most this many candidates checked with the aligner by the library (and the server)
VERIFY_CLI = 20  # `unspun trace --verify`'s default: enough for a query that copies from many sources
# The query is explained when at most this share of its body (non-space characters outside chrome)
# lies outside every passage of the sources verified so far: verification stops there.
UNEXPLAINED = 0.05
# A candidate can add to what is explained when its evidence (a shared 8-gram, a near sentence
# code) touches query sentences holding at least this many unexplained non-space characters.
ADD_CHARS = 40
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
    # Optional, an index built --vectors: the model whose vectors it keeps (else None), and a
    # document's: (digest of its body sentences, their vectors) or None.
    @property
    def vectors_model(self) -> str | None: ...
    def stored_vectors(self, rowid: int, model: str) -> tuple[str, np.ndarray] | None: ...


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
    reason: str | None = None  # why an unverified source was not compared (None: beyond --verify)

    @property
    def verdict(self) -> str:
        return self.report.verdict if self.report else "unverified"

    @property
    def verified(self) -> bool:
        return self.report is not None

    def to_dict(self, verify: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "score": round(self.score, 4), "verdict": self.verdict,
                               "verified": self.verified}
        if self.report is None and (verify is not None or self.reason):
            out["unverified_reason"] = self.reason or unverified_reason(verify or 0)
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
    """Why a listed source has no verdict when ``verify`` bounded it: at most ``verify`` candidates
    are compared, and this one ranked below them."""
    if verify == 0:
        return "not verified: no candidate is verified (verify 0)"
    return f"not verified: ranked below the {verify} best candidate{'s' if verify != 1 else ''}, which alone are verified"


# The other reasons a candidate is not compared (Source.reason), and the table's short forms.
EXPLAINED_REASON = ("not verified: the query was already explained (at most {:.0%} of it lies outside the "
                    "passages of the sources verified before)").format(UNEXPLAINED)
NOTHING_TO_ADD_REASON = ("not verified: its evidence lies only in text of the query that the sources verified "
                         "before already explain")


def short_reason(source: Source, verify: int) -> str:
    """The table's verdict cell of an unverified source."""
    if source.reason == EXPLAINED_REASON:
        return "unverified: query explained"
    if source.reason == NOTHING_TO_ADD_REASON:
        return "unverified: adds nothing"
    return f"unverified: beyond --verify {verify}"


@dataclass
class TraceResult:
    query: Document
    sources: list[Source]
    timings: dict[str, float] = field(default_factory=dict)
    # Why fewer sources than asked may be listed: how many documents any cheap channel found
    # (a source is listed only if one did), and whether a channel stopped at its CANDIDATES.
    candidates: int = 0
    capped: bool = False
    verify: int = VERIFY  # at most this many candidates were to be verified
    # Share of the query's body (non-space characters outside chrome) outside every passage of the
    # verified sources; None when nothing was to be verified (verify 0).
    unexplained_share: float | None = None
    verified: int = 0  # how many candidates were compared (listed or not)

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
            "verified": self.verified,
            "unexplained_share": None if self.unexplained_share is None else round(self.unexplained_share, 4),
            "sources": [s.to_dict(self.verify) for s in self.sources],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def trace(index: Searchable, doc, top: int = 10, verify: int | None = None, model=None,
          keep_chrome: bool = False, until_explained: bool = True) -> TraceResult:
    """The ranked sources of ``doc`` (anything ``unspun.read`` takes) in ``index``: the ``top``
    best, and every source verified as derived. Candidates are verified in rank order until the
    query is explained or no candidate can add to it, at most ``verify`` (default VERIFY) of
    them. ``keep_chrome``: nothing of the query is set aside as site chrome (PAN's documents).
    ``until_explained=False`` is the trace before issue 15, for comparison: the ``verify`` best
    candidates verified, whatever they explain, and only ``top`` sources listed."""
    timer = Timer()
    verify = VERIFY if verify is None else verify
    with timer("candidates"):
        query, evidence, capped, located = _candidates(index, doc, keep_chrome)
        scores = {d: candidate_score(*shares.values()) for d, shares in evidence.items()}
        ranked = sorted(scores, key=lambda d: -scores[d])
    with timer("verify"):
        # Any candidate may be verified (it may explain what the better ones left): all are read
        # when some are to be verified, the listed ones only when none is.
        docs = index.get_rows(ranked if verify and until_explained else ranked[: max(top, verify)])
        present = [d for d in ranked if d in docs]
        sources = [Source(id=docs[d].id, score=scores[d], evidence=evidence[d]) for d in present]
        coverage = _Coverage(query, located.segments) if verify else None
        # Against an index that keeps the model's vectors, the sources' come from it, the query
        # is embedded once, and every sentence pair gets the model's cosine (exhaustive).
        embedder = _vectors_kept(index, model) if coverage is not None and sources else None
    exhaustive = False
    if embedder is not None:
        with timer("embed"):  # apart from "verify": the model's share of a trace, shown to the user
            exhaustive = _embed_query(embedder, query, located.segments)
    with timer("verify"):
        compared = 0

        def verify_one(source: Source, d: int, coverage: _Coverage) -> None:
            nonlocal compared
            if embedder is not None:
                _remember_vectors(index, embedder, d, docs[d])
            source.report = compare(docs[d], query, model=model, keep_chrome=keep_chrome, exhaustive=exhaustive)
            compared += 1
            coverage.add(source.report)

        for source, d in zip(sources, present):
            if coverage is None or (not until_explained and compared >= verify):
                break
            if not until_explained:
                verify_one(source, d, coverage)
                continue
            if coverage.unexplained() <= UNEXPLAINED:
                source.reason = EXPLAINED_REASON
                continue
            if compared >= verify:
                break  # the rest: beyond --verify (reason None)
            if not coverage.can_add(located.touched(d, docs[d])):
                source.reason = NOTHING_TO_ADD_REASON
                continue
            verify_one(source, d, coverage)

    def rank(s: Source) -> tuple:
        if s.report is None or s.report.verdict == "non-derived":
            return (True, 0.0, -s.score)
        return (False, -s.report.judgement.coverage["rewrite_share"], -s.score)

    sources.sort(key=rank)
    derived = sum(1 for s in sources if s.report is not None and s.report.verdict != "non-derived") if until_explained else 0
    return TraceResult(query=query, sources=sources[: max(top, derived)], timings=timer.times,
                       candidates=len(evidence), capped=capped, verify=verify, verified=compared,
                       unexplained_share=coverage.unexplained() if coverage else None)


def _vectors_kept(index: Searchable, model) -> Embedder | None:
    """The model's embedder, where the index keeps that model's vectors (built ``--vectors``) and
    the embedder can be given them (it has a cache, or wraps one: the web service's)."""
    embedder = get_embedder(model)
    if embedder.keeps_vectors and getattr(index, "vectors_model", None) == embedder.name:
        return embedder
    return None


def _embed_query(embedder: Embedder, query: Document, segments: list[Segment]) -> bool:
    """The query's sentences embedded now, in one call, and True: each comparison then finds every
    vector in the cache, the query's and the source's (_remember_vectors). False, with nothing
    embedded, for a query in another language (compared with e5: align/languages.py)."""
    if (query.lang or "en") != "en":
        return False
    embedder.embed([s.text(query.text) for s in segments])
    return True


def _remember_vectors(index: Searchable, embedder: Embedder, rowid: int, doc: Document) -> None:
    """The source's stored sentence vectors put in the model's cache, so that ``compare`` embeds
    only the query: where the document's sentences, segmented now, are the ones they were made of."""
    found = index.stored_vectors(rowid, embedder.name)
    if found is None:
        return
    digest, vectors = found
    for texts in _stored_texts(doc):
        if len(texts) == len(vectors) and stored.digest(texts) == digest:
            embedder.remember(texts, vectors)
            return


def _stored_texts(doc: Document) -> Iterator[list[str]]:
    """The sentences a document's stored vectors may be of, in turn: as they are (most documents
    have no chrome, and these are what the index embedded), then those outside the chrome found
    again, only where the first do not match (the chrome classifier reads every line)."""
    yield body_texts(Document(id=doc.id, text=doc.text))
    yield body_texts(mark_chrome(Document(id=doc.id, text=doc.text, title=doc.title, url=doc.url,
                                          published=doc.published, lang=doc.lang, meta=dict(doc.meta))))


class _Coverage:
    """What of the query the passages of the sources verified so far explain: its body's non-space
    characters (as the reuse shares count them), and which of them lie in a passage."""

    def __init__(self, query: Document, segments: list[Segment]) -> None:
        self.mask = _countable(query)
        self.covered = np.zeros_like(self.mask)
        self.total = int(self.mask.sum())
        self.segments = segments

    def add(self, report: Report) -> None:
        if report.verdict == "non-derived":
            return
        for p in report.passages:
            self.covered[p.query_span.start : p.query_span.end] = True

    def unexplained(self) -> float:
        if not self.total:
            return 0.0
        return float((self.mask & ~self.covered).sum()) / self.total

    def can_add(self, touched: set[int]) -> bool:
        """Whether the query sentences a candidate's evidence touches hold ADD_CHARS unexplained."""
        left = 0
        for k in touched:
            span = self.segments[k].span
            left += int((self.mask[span.start : span.end] & ~self.covered[span.start : span.end]).sum())
            if left >= ADD_CHARS:
                return True
        return False


@dataclass
class _Located:
    """Where in the query each candidate's cheap evidence lies, as indices of its body segments:
    the sentences that voted for it (near codes), and, computed when asked, those sharing a word
    8-gram with its text."""

    segments: list[Segment]
    prints: np.ndarray  # every 8-gram fingerprint of each body sentence (unsampled)...
    owners: np.ndarray  # ...and the index of the sentence it comes from
    votes: dict[int, set[int]] = field(default_factory=dict)

    def touched(self, d: int, doc: Document) -> set[int]:
        out = set(self.votes.get(d, ()))
        if len(self.prints):
            shared = np.isin(self.prints, fingerprints(doc.text, sample=1))
            out.update(int(k) for k in np.unique(self.owners[shared]))
        return out


def _candidates(index: Searchable, doc, keep_chrome: bool = False
                ) -> tuple[Document, dict[int, dict[str, float]], bool, _Located]:
    """The query, read and cleaned, each candidate's share of it by every cheap channel, whether a
    channel found as many as CANDIDATES (and so may have left more out), and where each
    candidate's evidence lies in the query."""
    query = read(doc, doc_id="query")
    if keep_chrome:
        query.chrome = []
    else:
        mark_chrome(query)
    segments = body_segments(query)
    body = [s.text(query.text) for s in segments]
    prints = fingerprints(" ".join(body))
    lexical = {d: n / max(1, len(prints)) for d, n in index.lexical_candidates(prints, CANDIDATES).items()}
    votes: dict[int, set[int]] = {}
    semantic = _semantic(index, body, votes)
    query.lang = query.lang or detect(query.text)
    matched = set().union(*votes.values()) if votes else set()
    translated = _translated(index, body, query.lang, votes, matched)
    evidence = {
        d: {"fingerprints": lexical.get(d, 0.0), "sentences": semantic.get(d, 0.0), "translations": translated.get(d, 0.0)}
        for d in set(lexical) | set(semantic) | set(translated)
    }
    capped = max(len(lexical), len(semantic), len(translated)) >= CANDIDATES
    per = [fingerprints(t, sample=1) for t in body]
    located = _Located(
        segments=segments,
        prints=np.concatenate(per) if per else np.zeros(0, dtype=np.int64),
        owners=np.repeat(np.arange(len(per)), [len(p) for p in per]) if per else np.zeros(0, dtype=np.int64),
        votes=votes,
    )
    return query, evidence, capped, located


def _translated(index: Searchable, body: list[str], lang: str | None,
                votes: dict[int, set[int]] | None = None, matched: set[int] | None = None) -> dict[int, float]:
    """Share of the query's sentences with a near multilingual code in each document in another
    language. Nothing to do, and nothing embedded, for an index without such documents.
    ``matched``: sentences that already have a near code in an indexed document, in their own
    language (the semantic channel's votes). They are not looked for again: a sentence found
    there is explained by a source the trace verifies in its own language, and a translation of
    that source would not be where it came from (on pan13's suspicious documents, 40 % of the
    sentences USE would embed). For e5 a long query is sampled (xcodes.QUERY_SENTENCES)."""
    shares: dict[int, float] = {}
    first: dict[str, int] = {}  # each distinct sentence votes once, as the body's first sentence with its text
    for k, s in enumerate(body):
        first.setdefault(s, k)
    matched = matched or set()
    voters = [s for s in first if len(s.split()) >= MIN_WORDS and first[s] not in matched]
    for model, (base, owners, langs) in index.all_xcodes().items():
        other = langs != lang
        if not voters or not other.any():
            continue
        mine, most = voters, xcodes.QUERY_SENTENCES.get(model)
        if most is not None and len(voters) > most:  # e5 is slow: a long query is sampled
            step = len(voters) / most
            mine = [voters[int(k * step)] for k in range(most)]
        max_distance = (1 - xcodes.AGREEMENT[model]) * 8 * xcodes.BYTES[model]
        nearest, distances = sketches.nearest(xcodes.codes(mine, model), base[other], NEAREST, within=max_distance)
        where: dict[int, set[int]] = {}
        found = _votes(nearest, distances, owners[other], max_distance, len(body), where, [first[s] for s in mine])
        for d, share in found.items():
            if share * len(body) >= MIN_TRANSLATED:
                shares[d] = max(shares.get(d, 0.0), share)
                if votes is not None:
                    votes.setdefault(d, set()).update(where.get(d, ()))
    return shares


def _votes(nearest, distances, owners, max_distance: float, n: int,
           where: dict[int, set[int]] | None = None, sentences: list[int] | None = None) -> dict[int, float]:
    """Each query sentence votes once for every document holding one of its near codes; ``where``
    (if given) gets, per document, the indices of the sentences that voted for it (``sentences``
    maps the rows of ``nearest`` to them; by default row k is sentence k)."""
    votes: dict[int, int] = {}
    for row, (cols, dists) in enumerate(zip(nearest, distances)):
        for d in {int(owners[c]) for c, dist in zip(cols, dists) if dist <= max_distance}:
            votes[d] = votes.get(d, 0) + 1
            if where is not None:
                where.setdefault(d, set()).add(sentences[row] if sentences is not None else row)
    top = sorted(votes.items(), key=lambda kv: -kv[1])[:CANDIDATES]
    return {d: v / n for d, v in top}


def _semantic(index: Searchable, body: list[str], votes: dict[int, set[int]] | None = None) -> dict[int, float]:
    """Share of the query's sentences with a near code in each document (``votes``: which)."""
    base, owners, unpacked = index.all_codes()
    if not body or not len(base):
        return {}
    max_distance = (1 - CODE_AGREEMENT) * sketches.BITS
    nearest, distances = sketches.nearest(sketches.codes(body), base, NEAREST, unpacked, within=max_distance)
    where: dict[int, set[int]] = {}
    shares = _votes(nearest, distances, owners, max_distance, len(body), where)
    if votes is not None:
        for d in shares:
            votes.setdefault(d, set()).update(where[d])
    return shares

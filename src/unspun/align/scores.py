"""Sentence-pair similarity: the embedding cosine, backed by lexical evidence.

Two scores per sentence pair:

* ``lexical_matrix``: Dice overlap of content-word stems, each word weighted by its inverse
  sentence frequency over both texts (tf-isf, as in the PAN 2014 winning aligner of Sanchez-Perez
  et al.): a word in every sentence ("PageRank" in an essay on PageRank) says little about which
  sentence was reused, a date or a name that two sentences share says a lot.
* ``reuse_probability``: the probability that annotators would rate the pair "the same statement"
  (STS >= 4 of 5), from a logistic model of cosine and lexical overlap fitted on STS-benchmark
  train (``benchmarks/calibrate.py``), not on any data we are graded on.

The aligner works on ``combined`` (the larger of cosine and lexical overlap) to find structure;
the judge weighs the evidence with ``reuse_probability``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from ..represent.lexical import content_stems, ngrams
from ..words import sentence_tokens


def stem_sets(texts: Sequence[str]) -> list[frozenset[str]]:
    return [sentence_stems(t) for t in texts]


# A sentence's word features, computed once per run rather than once per pair: a scan or a trace
# compares one text with many (a Clough answer is in some 18 candidate pairs). Bounded: 100,000
# sentences are some 100 MB at most.
@lru_cache(maxsize=100_000)
def sentence_stems(text: str) -> frozenset[str]:
    return content_stems(sentence_tokens(text))


@lru_cache(maxsize=100_000)
def sentence_ngrams(text: str, n: int) -> frozenset[tuple[str, ...]]:
    return ngrams(sentence_tokens(text), n)


def isf_weights(sets: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse sentence frequency of every stem: log((N + 1) / sf)."""
    sets = list(sets)
    sf = Counter(w for s in sets for w in s)
    n = len(sets)
    return {w: math.log((n + 1) / c) for w, c in sf.items()}


def weighted_dice(a: frozenset[str], b: frozenset[str], weight: Mapping[str, float]) -> float:
    if not a or not b or a.isdisjoint(b):
        return 0.0
    wa = sum(weight.get(w, 0.0) for w in a)
    wb = sum(weight.get(w, 0.0) for w in b)
    if wa + wb <= 0:
        return 0.0
    return 2.0 * sum(weight.get(w, 0.0) for w in a & b) / (wa + wb)


DENSE_LIMIT = 4_000_000  # cells of the incidence matrices (32 MB as float64) before going sparse
# Products (query sentences x source sentences x features) a dense product may take: past it the
# sparse one is faster (a pan13 pair, 255 x 58 sentences, 2,500 stems: 9 ms against 39 ms), below
# it scipy's overhead (about 1 ms) is not worth paying (two news items of 10 to 30 sentences).
DENSE_WORK = 300_000


@dataclass
class _Side:
    """One side's feature sets as the overlap products take them: every feature in the order first
    met (its column), each feature's sentence frequency, and the incidence entries (sentence,
    column). A trace compares its query with source after source, so the query's side is made
    once (_stem_side) and each source only adds its own features after it."""

    sets: list[frozenset]
    vocab: dict  # feature -> column
    rows: np.ndarray
    cols: np.ndarray

    @cached_property
    def counts(self) -> Counter:
        """Feature -> sentences holding it: the isf weights need it, the copy counts do not."""
        return Counter(w for st in self.sets for w in st)

    @classmethod
    def of(cls, sets: list[frozenset], vocab: dict | None = None) -> _Side:
        """``vocab``: the columns so far, extended in place with this side's new features."""
        vocab = {} if vocab is None else vocab
        for st in sets:
            for w in st:
                vocab.setdefault(w, len(vocab))
        rows = np.fromiter((r for r, st in enumerate(sets) for _ in st), dtype=np.int64)
        cols = np.fromiter((vocab[w] for st in sets for w in st), dtype=np.int64, count=len(rows))
        return cls(sets, vocab, rows, cols)


@lru_cache(maxsize=4)  # a trace's query, a scan's document against its candidates in a row
def _stem_side(texts: tuple[str, ...]) -> _Side:
    side = _Side.of(stem_sets(texts))
    side.rows.setflags(write=False)  # shared by every caller, as are its vocab and counts (copied)
    side.cols.setflags(write=False)
    return side


def _overlaps(
    q: list[frozenset], s: list[frozenset], weight: Mapping | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every (query, source) pair of feature sets: the summed weight of what they share, and
    each side's total weight (every feature weighs 1 without ``weight``). Matrix products over
    incidence matrices: dense for short texts, sparse (scipy, imported only then) for longer ones."""
    qs = _Side.of(q)
    ss = _Side.of(s, dict(qs.vocab))
    return _side_overlaps(qs, ss, weight)


def _side_overlaps(q: _Side, s: _Side, weight: Mapping | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_overlaps`` of two sides, the source's columns following the query's (``s.vocab``)."""
    vocab = s.vocab
    if not vocab:
        return np.zeros((len(q.sets), len(s.sets))), np.zeros(len(q.sets)), np.zeros(len(s.sets))
    if weight is None:
        wt = np.ones(len(vocab))
    else:
        wt = np.fromiter((weight.get(w, 0.0) for w in vocab), dtype=np.float64, count=len(vocab))
    dense = (len(q.sets) + len(s.sets)) * len(vocab) <= DENSE_LIMIT and len(q.sets) * len(s.sets) * len(vocab) <= DENSE_WORK

    def incidence(side: _Side):
        if dense:
            m = np.zeros((len(side.sets), len(vocab)))
            m[side.rows, side.cols] = 1.0
            return m
        from scipy import sparse  # lazy: a one-pair compare should not pay for its import

        return sparse.csr_matrix((np.ones(len(side.rows)), (side.rows, side.cols)), shape=(len(side.sets), len(vocab)))

    qm, sm = incidence(q), incidence(s)
    if dense:
        shared = (qm * wt[None, :]) @ sm.T
    else:
        shared = (qm.multiply(wt[None, :]).tocsr() @ sm.T).toarray()
    return shared, np.asarray(qm @ wt).ravel(), np.asarray(sm @ wt).ravel()


def _shared_counts(q: list[frozenset], s: list[frozenset], q_all: tuple[frozenset, np.ndarray] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_overlaps(q, s)`` without weights, over only the features both sides hold: a long pan13
    pair's word 5-grams are thousands, the ones it shares a few dozen, and only those can count.
    A side's totals are its sets' sizes. Counts of ones are exact in any order, so the result is
    the same to the bit. ``q_all``: q's features together and its sizes, where known already."""
    q_union, nq = q_all if q_all is not None else _union_sizes(q)
    ns = np.array([len(st) for st in s], dtype=np.float64)
    common = q_union & frozenset().union(*s)
    if not common:
        return np.zeros((len(q), len(s))), nq, ns
    shared, _, _ = _overlaps([st & common for st in q], [st & common for st in s])
    return shared, nq, ns


def _union_sizes(sets: list[frozenset]) -> tuple[frozenset, np.ndarray]:
    return frozenset().union(*sets), np.array([len(st) for st in sets], dtype=np.float64)


@lru_cache(maxsize=4)  # as _stem_side: a trace's query against source after source
def _ngram_side(texts: tuple[str, ...], n: int) -> tuple[list[frozenset], tuple[frozenset, np.ndarray]]:
    sets = [sentence_ngrams(t, n) for t in texts]
    union, sizes = _union_sizes(sets)
    sizes.setflags(write=False)  # shared by every caller
    return sets, (union, sizes)


def lexical_matrix(
    query_texts: Sequence[str],
    source_texts: Sequence[str],
    weight: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Weighted Dice of every (query, source) sentence pair; weights default to the isf over both.
    ``lexical_matrix_reference`` is the same definition as plain loops."""
    q = _stem_side(tuple(query_texts))
    s = _Side.of(stem_sets(source_texts), dict(q.vocab))
    if weight is None:  # isf_weights(q + s), from each side's sentence frequencies
        sf = Counter(q.counts)
        sf.update(s.counts)
        n = len(q.sets) + len(s.sets)
        weight = {w: math.log((n + 1) / c) for w, c in sf.items()}
    shared, wq, ws = _side_overlaps(q, s, weight)
    total = wq[:, None] + ws[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where((shared > 0) & (total > 0), 2.0 * shared / total, 0.0)
    return out.astype(np.float32)


COPY_NGRAM = 5  # word n-grams that two independent writers almost never share by chance


def copy_matrix(query_texts: Sequence[str], source_texts: Sequence[str], n: int = COPY_NGRAM) -> np.ndarray:
    """Share of the smaller sentence's word n-grams that the other has too: how much of it was
    copied word for word, whatever the two sentences' lengths (a long list sentence in one text
    is two sentences in the other; Dice would halve it, containment does not)."""
    q, q_all = _ngram_side(tuple(query_texts), n)
    s = [sentence_ngrams(t, n) for t in source_texts]
    shared, nq, ns = _shared_counts(q, s, q_all)
    smaller = np.minimum(nq[:, None], ns[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(smaller > 0, shared / smaller, 0.0)
    return out.astype(np.float32)




def lexical_matrix_reference(
    query_texts: Sequence[str],
    source_texts: Sequence[str],
    weight: Mapping[str, float] | None = None,
) -> np.ndarray:
    """The slow, obviously correct twin of ``lexical_matrix``: one pair at a time."""
    q = stem_sets(query_texts)
    s = stem_sets(source_texts)
    if weight is None:
        weight = isf_weights(q + s)
    out = np.zeros((len(q), len(s)), dtype=np.float32)
    for i, a in enumerate(q):
        for j, b in enumerate(s):
            out[i, j] = weighted_dice(a, b, weight)
    return out


def combined(cosine: np.ndarray, lexical: np.ndarray, copied: np.ndarray | None = None) -> np.ndarray:
    out = np.maximum(cosine, lexical)
    return out if copied is None else np.maximum(out, copied)


# Fitted on STS-benchmark train by benchmarks/calibrate.py for all-MiniLM-L6-v2 (fp32):
# intercept, cosine, lexical. Its int8 version (the default) moves pair cosines by 0.001 on
# average (sd 0.011; benchmarks/quantized.py) and keeps every gate with the same fit. Another
# model needs its own fit.
REUSE_COEFFICIENTS = (-9.702, 9.536, 2.075)


def reuse_probability(cosine: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    b0, b1, b2 = REUSE_COEFFICIENTS
    z = b0 + b1 * np.asarray(cosine, dtype=np.float64) + b2 * np.asarray(lexical, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))


def identical(query_texts: Sequence[str], source_texts: Sequence[str], min_words: int = 3) -> np.ndarray:
    """True where two sentences have the same words in the same order (case and punctuation
    aside): a copy, whatever the model makes of it."""
    index: dict[tuple[str, ...], list[int]] = {}
    for j, t in enumerate(source_texts):
        words = sentence_tokens(t)
        if len(words) >= min_words:
            index.setdefault(words, []).append(j)
    out = np.zeros((len(query_texts), len(source_texts)), dtype=bool)
    for i, t in enumerate(query_texts):
        for j in index.get(sentence_tokens(t), ()):
            out[i, j] = True
    return out


COPY_CERTAIN = 0.5  # half of a sentence's word 5-grams found in one source sentence


def word_evidence(query_texts: Sequence[str], source_texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every sentence pair's word evidence: tf-isf overlap, word 5-gram copy share, same words."""
    return (lexical_matrix(query_texts, source_texts), copy_matrix(query_texts, source_texts),
            identical(query_texts, source_texts))


def pair_scores(
    query_texts: Sequence[str], source_texts: Sequence[str], cosine: np.ndarray,
    scaled: np.ndarray | None = None, probability: np.ndarray | None = None,
    words: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For every (query, source) sentence pair: the similarity the aligner works on, and the
    probability that the pair is a reuse, which the judge weighs. Another model (languages.py)
    gives its cosine on the aligner's scale (``scaled``) and its own ``probability``; the word
    evidence is the same. ``words``: the lexical, copy and identical matrices, where the caller
    has them already (cascade.py)."""
    lexical, copied, same = words if words is not None else word_evidence(query_texts, source_texts)
    sim = combined(cosine if scaled is None else scaled, lexical, copied)
    # A pair that shares most of its word 5-grams, or is the same words, is a copy whatever the
    # model says: that is certain evidence.
    model = reuse_probability(cosine, lexical) if probability is None else probability
    prob = np.maximum(model, np.where(copied >= COPY_CERTAIN, copied, 0.0))
    return sim, np.where(same, 1.0, prob)

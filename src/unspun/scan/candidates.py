"""Candidate pairs of a corpus as joins on keys, so that no process needs the whole corpus.

Two channels, each a "postings" step (a prepared document gives (key, value) rows), a "group by
key" step (the engine's: a dict locally, ``groupByKey`` on Spark) and a step over each group:

* lexical: ``postings`` gives (fingerprint, document) rows; ``shared_pairs`` turns each
  fingerprint's documents into document pairs, so that counting the pairs gives the number of
  fingerprints two documents share. A fingerprint held by more than MAX_POSTINGS documents is
  boilerplate (a licence line, a menu) and gives nothing, as in the index's search.
* semantic: ``band_keys`` gives, for each sentence code and each of BANDS bands (BAND_BITS fixed
  bit positions of the 256), a (band, value of those bits) key: LSH for Hamming distance. Two
  codes at the limit (56 bits apart) agree on all the bits of some band about half the time, at
  40 bits apart 9 times in 10: a document with several near sentences is found all the same.
  ``near_sentences`` computes the exact distances within a bucket and yields (a, sentence, b) for
  each sentence of a that has a near sentence (within ``trace.CODE_AGREEMENT``) in b. Buckets of
  more than MAX_POSTINGS documents are dropped, by the same rule as fingerprints.

Then, per document, ``choose`` takes its neighbours (``lexical_rows``, ``semantic_rows``) and
keeps its candidates as ``unspun trace`` ranks them: the share of its fingerprints shared, or of
its sentences matched, whichever is larger. Every function here is plain Python over its inputs:
both engines run them, and only the grouping differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ..represent import sketches
from ..retrieve import CODE_AGREEMENT, candidate_score

TOP = 10  # candidates kept per document
MIN_SCORE = 0.15  # a candidate's least score (share of the document matched by a cheap channel)
MIN_SHARED = 3  # fingerprints shared: a verbatim copy of a passage, however long the documents
MAX_SHARED = 50  # candidates by shared fingerprints kept per document
MAX_POSTINGS = 50  # a key (fingerprint, band bucket) in more documents than this is boilerplate
BANDS = 32  # LSH bands over the sentence codes
BAND_BITS = 16  # bits per band
LIMIT = (1 - CODE_AGREEMENT) * sketches.BITS  # Hamming distance of a near sentence
# Fixed random bit positions (the same in every process and machine): two permutations of the 256
# bits, cut into 16 bands each. Measured on the evaluation corpus (2,128 documents, 69,000
# sentences): the candidates hold 309 of the 311 known pairs, as the exhaustive nearest-neighbour
# search did, with 1,367 candidate pairs instead of 1,482; 20 bands of 12 bits held 308, 16 of
# 16 306. More bits a band keep buckets small as a corpus grows; more bands keep recall.
_POSITIONS = np.concatenate(
    [np.random.default_rng(20261122 + k).permutation(sketches.BITS) for k in range(2)]
).reshape(BANDS, BAND_BITS)
_WEIGHTS = 1 << np.arange(BAND_BITS, dtype=np.int64)


def sizes(rec) -> tuple[int, int]:
    """(fingerprints, sentences) of a prepared record: the denominators of its shares."""
    return len(rec.prints), len(rec.codes) // sketches.BYTES


# -- lexical ----------------------------------------------------------------------------------


def postings(rec) -> Iterator[tuple[int, str]]:
    for fp in rec.prints.tolist():
        yield fp, rec.id


def shared_pairs(docs: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The document pairs (a < b) of one fingerprint's documents; none if it is boilerplate."""
    docs = sorted(set(docs))
    if len(docs) > MAX_POSTINGS:
        return
    for k, a in enumerate(docs):
        for b in docs[k + 1 :]:
            yield a, b


def lexical_rows(item: tuple[tuple[str, str], int]) -> Iterator[tuple[str, tuple[str, int, int]]]:
    """((a, b), fingerprints shared) -> a neighbour row for each side: (doc, (other, shared, 0))."""
    (a, b), n = item
    yield a, (b, n, 0)
    yield b, (a, n, 0)


# -- semantic ---------------------------------------------------------------------------------


def band_keys(rec, bands: Iterable[int] = range(BANDS)) -> Iterator[tuple[tuple[int, int], tuple[str, int, bytes]]]:
    """((band, key), (doc, sentence number, code)) for each sentence and band."""
    codes = np.frombuffer(rec.codes, dtype=np.uint8).reshape(-1, sketches.BYTES)
    if not len(codes):
        return
    bits = np.unpackbits(codes, axis=1).astype(np.int64)
    for band in bands:
        keys = (bits[:, _POSITIONS[band]] @ _WEIGHTS).tolist()
        for i, key in enumerate(keys):
            yield (band, key), (rec.id, i, codes[i].tobytes())


def near_sentences(members: Iterable[tuple[str, int, bytes]]) -> Iterator[tuple[str, int, str]]:
    """One bucket's sentences -> (a, i, b): sentence i of a has a near sentence in b (b != a)."""
    members = sorted(members)
    owners = sorted({m[0] for m in members})
    if len(owners) < 2 or len(owners) > MAX_POSTINGS:
        return
    number = {d: k for k, d in enumerate(owners)}
    owner = np.array([number[m[0]] for m in members])
    codes = np.frombuffer(b"".join(m[2] for m in members), dtype=np.uint8).reshape(-1, sketches.BYTES)
    near = (sketches.hamming(codes, codes) <= LIMIT) & (owner[:, None] != owner[None, :])
    for x, y in zip(*(v.tolist() for v in np.nonzero(near))):
        yield members[x][0], members[x][1], members[y][0]


def near_in_band(owner: np.ndarray, codes: np.ndarray, band: int) -> set[tuple[int, int, int]]:
    """What ``near_sentences`` finds over every bucket of one band, for sentences held in arrays
    (the local engine's): ``owner[k]`` numbers sentence k's document, ``codes`` (N, BYTES) are the
    packed codes. Returns (owner x, row x, owner y): row x has a near sentence in document y. The
    same buckets and rules, computed with array operations instead of a dict of tuples (the
    grouping was most of the local engine's candidate time)."""
    if len(codes) < 2:
        return set()
    bits = np.unpackbits(codes[:, _BYTES_OF[band]], axis=1)[:, _BIT_IN_BYTES[band]]
    keys = bits.astype(np.int64) @ _WEIGHTS
    order = np.lexsort((owner, keys))  # by bucket, then by document within it
    k, own = keys[order], owner[order]
    start = np.r_[True, k[1:] != k[:-1]]
    bucket = np.cumsum(start) - 1
    size = np.bincount(bucket)
    owners = np.bincount(bucket, weights=np.r_[True, (k[1:] != k[:-1]) | (own[1:] != own[:-1])])
    keep = (size >= 2) & (owners >= 2) & (owners <= MAX_POSTINGS)
    members = np.flatnonzero(keep[bucket])  # positions, in sorted order, of kept buckets' sentences
    if not len(members):
        return set()
    first = np.flatnonzero(start)[bucket[members]]  # each member's bucket's first position
    n = size[bucket[members]]
    x = np.repeat(members, n)
    y = np.repeat(first, n) + (np.arange(len(x)) - np.repeat(np.cumsum(n) - n, n))
    x, y = order[x], order[y]
    other = owner[x] != owner[y]
    x, y = x[other], y[other]
    distance = _POPCOUNT[codes[x] ^ codes[y]].sum(axis=1)
    near = distance <= LIMIT
    return set(zip(owner[x[near]].tolist(), x[near].tolist(), owner[y[near]].tolist()))


_POPCOUNT = np.array([bin(v).count("1") for v in range(256)], dtype=np.int64)
# Where each band's bit positions lie in the packed codes (unpacking only those bytes).
_BYTES_OF = [np.unique(p // 8) for p in _POSITIONS]
_BIT_IN_BYTES = [np.searchsorted(b, p // 8) * 8 + p % 8 for b, p in zip(_BYTES_OF, _POSITIONS)]


def semantic_rows(item: tuple[tuple[str, str], int]) -> Iterator[tuple[str, tuple[str, int, int]]]:
    """((a, b), a's sentences with a near one in b) -> (a, (b, 0, matched))."""
    (a, b), n = item
    yield a, (b, 0, n)


# -- per document ------------------------------------------------------------------------------


def choose(doc: str, size: tuple[int, int], rows: Iterable[tuple[str, int, int]], top: int = TOP,
           min_score: float = MIN_SCORE) -> Iterator[tuple[str, str, float]]:
    """A document's candidates, as (a, b, score) with a < b: every document sharing at least
    MIN_SHARED fingerprints with it (a copied stretch of some 20 words or more; at most
    MAX_SHARED, the most shared first), then its best ``top`` others scoring ``min_score`` or
    more. ``size`` is ``sizes(record)``; ``rows`` its neighbour rows (other, shared, matched)."""
    n_prints, n_sentences = max(1, size[0]), max(1, size[1])
    shared: dict[str, int] = {}
    matched: dict[str, int] = {}
    for other, s, m in rows:
        if other == doc:
            continue
        if s:
            shared[other] = shared.get(other, 0) + s
        if m:
            matched[other] = matched.get(other, 0) + m
    scores = {d: candidate_score(shared.get(d, 0) / n_prints, matched.get(d, 0) / n_sentences)
              for d in set(shared) | set(matched)}
    copied = sorted((d for d, n in shared.items() if n >= MIN_SHARED), key=lambda d: (-shared[d], d))[:MAX_SHARED]
    taken = set(copied)
    best = sorted((d for d in scores if scores[d] >= min_score and d not in taken), key=lambda d: (-scores[d], d))
    for d in copied + best[:top]:
        a, b = sorted((doc, d))
        yield a, b, round(scores[d], 6)


def merge_candidates(rows: Iterable[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """One row per pair, its best score, sorted by pair."""
    best: dict[tuple[str, str], float] = {}
    for a, b, score in rows:
        best[(a, b)] = max(score, best.get((a, b), 0.0))
    return [(a, b, s) for (a, b), s in sorted(best.items())]

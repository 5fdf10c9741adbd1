"""Semantic fingerprints: one 256-bit code per sentence, for finding paraphrased sources.

Candidates only: a cheap static model (WordLlama, about 10,000 sentences/s on 2 cores, its weights
in the wheel) embeds every sentence at index time, where the sentence transformer would be 50
times too slow; the sign of each dimension is kept (32 bytes a sentence). At query time the
Hamming distance between codes stands in for the cosine; what is found is then verified by the
aligner with the best model.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from itertools import chain

import numpy as np

from ..errors import ModelError
from .base import unit_rows
from .model_files import verify

BITS = 256
BYTES = BITS // 8
_lock = threading.Lock()
_model = None


def _load():
    global _model
    with _lock:
        if _model is None:
            try:
                import wordllama
                from wordllama import WordLlama
            except ImportError as exc:  # pragma: no cover - a hard dependency
                raise ModelError(f"the candidate model's package is missing: {exc}") from exc
            verify("wordllama")
            # Its weights ship in the package; never let it reach for the hub.
            _model = WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)
    return _model


def codes(sentences: list[str]) -> np.ndarray:
    """Packed sign bits, shape (len(sentences), 32), uint8."""
    packed = np.zeros((len(sentences), BYTES), dtype=np.uint8)
    for start, sums in _sums(sentences):
        # The sign of a mean is the sign of the sum: no division needed.
        packed[start : start + len(sums)] = np.packbits(sums > 0, axis=1)
    return packed


def vectors(sentences: list[str]) -> np.ndarray:
    """WordLlama's sentence vectors at unit length, float32 (len(sentences), 256): the cheap
    codes before their signs are taken, for a cheap cosine (pipeline's choice of the sentence
    pairs worth the best model)."""
    out = np.zeros((len(sentences), BITS), dtype=np.float32)
    for start, sums in _sums(sentences):
        out[start : start + len(sums)] = sums
    return unit_rows(out)


def _sums(sentences: list[str]) -> Iterator[tuple[int, np.ndarray]]:
    """(start, the sums of the token rows of sentences[start:start + slice]), slice by slice."""
    if not sentences:
        return
    # Imported here: every process imports this module, and a comparison that embeds every
    # sentence (one `unspun compare`) never needs scipy (0.27 s of a cold start here).
    from scipy import sparse

    table = _load().embedding
    # WordLlama's vector for a text is the mean of its tokens' rows. Its tokenizer (Llama's
    # sentencepiece BPE, about 15 us a word here) never merges across a space and seldom
    # across a word's closing marks, so a sentence's tokens are, nearly, those of its words
    # with closing marks apart ("said," is "said" + ","): each distinct piece is tokenized once
    # and remembered, each piece's sum of rows computed once, and the sentences' sums come
    # from one sparse product (sentence x piece counts) @ piece sums. Several times faster
    # than tokenizing every sentence in padded batches.
    words = _pieces(sentences)
    ids = _word_tokens({w for ws in words for w in ws})
    number = {w: k for k, w in enumerate(ids)}
    token_counts = sparse.csr_matrix(
        (
            np.ones(sum(len(t) for t in ids.values()), dtype=np.float32),
            np.fromiter((i for t in ids.values() for i in t), dtype=np.int64),
            np.concatenate([[0], np.cumsum([len(t) for t in ids.values()])]),
        ),
        shape=(len(ids), table.shape[0]),
    )
    sums = np.asarray(token_counts @ table, dtype=np.float32)  # one row per distinct piece
    for start in range(0, len(sentences), _SLICE):  # in slices: bounded memory on a huge input
        part = words[start : start + _SLICE]
        piece_counts = sparse.csr_matrix(
            (
                np.ones(sum(map(len, part)), dtype=np.float32),
                np.array(list(map(number.__getitem__, chain.from_iterable(part))), dtype=np.int64),
                np.concatenate([[0], np.cumsum([len(ws) for ws in part])]),
            ),
            shape=(len(part), len(ids)),
        )
        yield start, np.asarray(piece_counts @ sums, dtype=np.float32)


_MARKS = "\x01"  # starts a piece of closing marks that follows its word without a space
_CLOSE = ".,;:!?)]}'\"\u2019\u201d"
_CLOSING = re.compile(rf"(?<=[^\s{re.escape(_CLOSE)}])([{re.escape(_CLOSE)}]+)(?=\s|$|\x00)")


def _pieces(sentences: list[str]) -> list[list[str]]:
    """Each sentence's pieces: its space-separated words, with closing marks apart. One regex
    pass over the batch joined, then C-level splits: no Python loop over words."""
    joined = "\x00".join(s.replace("\x00", " ").replace(_MARKS, " ") for s in sentences)
    parts = _CLOSING.split(joined)  # text, marks, text, marks, ..., text
    parts[1::2] = [" " + _MARKS + marks for marks in parts[1::2]]  # (re.sub's template is slower)
    return [sentence.split() for sentence in "".join(parts).split("\x00")]


_NEWLINE = [29871, 13]  # "\u2581", "<0x0A>": Llama's tokens for a text's leading newline
_SLICE = 1 << 14  # sentences at a time
_CACHE = 1 << 19  # distinct words remembered (about 100 bytes each)
_words: dict[str, list[int]] = {}
_tokenizer = None


def _word_tokens(distinct: set[str]) -> dict[str, list[int]]:
    global _tokenizer
    model = _load()  # before taking the lock, which _load takes too
    with _lock:
        if _tokenizer is None:
            from tokenizers import Tokenizer

            _tokenizer = Tokenizer.from_str(model.tokenizer.to_str())  # a copy: no padding
            _tokenizer.no_padding()
            _tokenizer.no_truncation()
        new = [w for w in distinct if w not in _words]
        if len(_words) + len(new) > _CACHE:
            _words.clear()  # a corpus of millions of pages has endless rare words; start again
            new = list(distinct)
        # The tokenizer puts a space before every text; closing marks follow their word without
        # one, so they are tokenized after a newline, whose tokens are then dropped.
        texts = ["\n" + w[1:] if w[0] == _MARKS else w for w in new]
        for word, enc in zip(new, _tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = enc.ids
            _words[word] = ids[len(_NEWLINE):] if word[0] == _MARKS and ids[: len(_NEWLINE)] == _NEWLINE else ids
        return {w: _words[w] for w in distinct}


def signs(codes: np.ndarray) -> np.ndarray:
    """Packed codes as ±1 float32 rows, so that Hamming distances come from one matrix product."""
    return np.unpackbits(codes, axis=1).astype(np.float32) * 2.0 - 1.0


def hamming(query: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Distances between every query code and every base code (both packed), shape
    (len(query), len(base)): for ±1 vectors, distance = (bits - dot) / 2."""
    q = signs(query)
    return (q.shape[1] - q @ signs(base).T) / 2.0  # any code width


CHUNK = 1 << 16  # base codes unpacked at a time: 64 MB of floats, whatever the index's size


def nearest(
    query: np.ndarray, base: np.ndarray, k: int, base_signs: np.ndarray | None = None,
    within: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest base codes of each query code, by exhaustive search: (indices, distances),
    each of shape (len(query), min(k, len(base))). The base stays packed (32 bytes a sentence,
    so 40 million sentences take 1.3 GB) and is unpacked a chunk at a time for the matrix
    product, which is faster here than popcounts of XORs; ``base_signs``, the whole base already
    unpacked, saves that step where it fits in memory. Measured instead: a usearch HNSW index
    took 16 s to build for 59,000 codes and 180 bytes a code on disk (see RESULTS.md).

    ``within``: only base codes at most this far count, nearest first, ties to the code earlier
    in the base; a row with fewer is padded with index -1 at an infinite distance. A trace wants
    only near codes, and a query sentence has few: picking them out of the distances costs less
    than a partial sort of every row (a long pan13 query's whole search: 0.19 s before, 0.15 s)."""
    k = min(k, len(base))
    best_i = np.zeros((len(query), 0), dtype=np.int64)
    best_d = np.zeros((len(query), 0), dtype=np.float32)
    if not k or not len(query):
        return best_i, best_d
    q = signs(query)
    step = len(base) if base_signs is not None else CHUNK
    near: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (rows, columns, distances) within
    bits = q.shape[1]  # any code width: xcodes.py's are 512 bits
    # distance = (bits - dot) / 2 <= within is read on the dot products themselves: each is a sum
    # of ±1 products, an exact integer, so the bound is dot >= ceil(bits - 2 * within). The found
    # ones are picked from the flat matrix and only their distances worked out: a long pan13
    # query's search of 59,000 codes took 0.13 s before, 0.07 s now (numpy's 2-D nonzero alone
    # took 0.03 s, and the distances of every pair as much again).
    least = None if within is None else float(np.ceil(bits - 2.0 * within))
    for start in range(0, len(base), step):
        chunk = base_signs if base_signs is not None else signs(base[start : start + CHUNK])
        dot = q @ chunk.T
        if least is not None:
            flat = np.flatnonzero(dot >= least)
            rows, cols = np.divmod(flat, dot.shape[1])
            near.append((rows, cols + start, (bits - dot.ravel()[flat]) / 2.0))
            continue
        d = (bits - dot) / 2.0
        kk = min(k, d.shape[1])
        part = np.argpartition(d, kk - 1, axis=1)[:, :kk]
        cand_i = np.concatenate([best_i, part + start], axis=1)
        cand_d = np.concatenate([best_d, np.take_along_axis(d, part, axis=1)], axis=1)
        keep = np.argsort(cand_d, axis=1, kind="stable")[:, :k]
        best_i = np.take_along_axis(cand_i, keep, axis=1)
        best_d = np.take_along_axis(cand_d, keep, axis=1)
    if within is None:
        return best_i, best_d
    rows, cols, dists = (np.concatenate(part) for part in zip(*near))
    order = np.lexsort((cols, dists, rows))  # by row, then distance, then place in the base
    rows, cols, dists = rows[order], cols[order], dists[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)  # place within its row
    kept = rank < k
    best_i = np.full((len(query), k), -1, dtype=np.int64)
    best_d = np.full((len(query), k), np.inf, dtype=np.float32)
    best_i[rows[kept], rank[kept]] = cols[kept]
    best_d[rows[kept], rank[kept]] = dists[kept]
    return best_i, best_d

"""Semantic fingerprints: one 256-bit code per sentence, for finding paraphrased sources.

Candidates only: a cheap static model (WordLlama, about 10,000 sentences/s on 2 cores, its weights
in the wheel) embeds every sentence at index time, where the sentence transformer would be 50
times too slow; the sign of each dimension is kept (32 bytes a sentence). At query time the
Hamming distance between codes stands in for the cosine; what is found is then verified by the
aligner with the best model.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from ..errors import ModelError

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
            # Its weights ship in the package; never let it reach for the hub.
            _model = WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)
    return _model


def codes(sentences: list[str]) -> np.ndarray:
    """Packed sign bits, shape (len(sentences), 32), uint8."""
    if not sentences:
        return np.zeros((0, BYTES), dtype=np.uint8)
    # Batches of similar length pad little: twice as fast on a corpus of mixed sentences.
    order = sorted(range(len(sentences)), key=lambda k: len(sentences[k]))
    vectors = np.asarray(_load().embed([sentences[k] for k in order], batch_size=64), dtype=np.float32)
    packed = np.empty((len(sentences), BYTES), dtype=np.uint8)
    packed[order] = np.packbits(vectors > 0, axis=1)
    return packed


def signs(codes: np.ndarray) -> np.ndarray:
    """Packed codes as ±1 float32 rows, so that Hamming distances come from one matrix product."""
    return np.unpackbits(codes, axis=1).astype(np.float32) * 2.0 - 1.0


def hamming(query: np.ndarray, base_signs: np.ndarray) -> np.ndarray:
    """Distances between every query code (packed) and every base row (``signs``), shape
    (len(query), len(base)): for ±1 vectors, distance = (bits - dot) / 2."""
    return (BITS - signs(query) @ base_signs.T) / 2.0

"""A deterministic stand-in embedder for unit tests: hashed word and character features.

It knows nothing of meaning (paraphrases with other words score low), but it is fast, needs no
model, and is the same on every machine, which is what tests of the plumbing need.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from ..words import tokens as words
from .base import Embedder, unit_rows


class HashEmbedder(Embedder):
    name = "hash"

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for w in words(text):
                digest = hashlib.blake2b(w.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, index] += sign
        return unit_rows(out)

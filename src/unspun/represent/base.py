"""The embedder interface: what every model in represent/ is, and how it caches."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a zero row stays zero), so that a dot product is a cosine."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class Embedder(ABC):
    """Turns sentences into L2-normalised vectors; cosine similarity is then a dot product."""

    name: str = "embedder"
    dimension: int = 0

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dimension), float32, each row of unit length."""

    # Whether ``remember`` keeps vectors computed earlier (an index's stored ones) for ``embed``
    # to find: an embedder with a cache does.
    keeps_vectors = False

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:  # noqa: B027 - optional
        """Vectors computed earlier, for ``embed`` to give back; ignored where not kept."""

    @property
    def version(self) -> str:
        """What its vectors are a function of: its name, and where another file could sit under
        that name, the weights' identity. An index keeps vectors under it and gives them only to
        the same version (store/index.py): vectors of other weights would be compared with the
        query's as if alike."""
        return self.name


class CachedEmbedder(Embedder):
    """An embedder that remembers the vectors of recent sentences: a trace verifies one query
    against several sources, and its sentences are embedded once. The cache is shared by threads
    (the web service compares in several): it is read and written under a lock, and vectors are
    computed outside it, from a private list."""

    cache_size = 20_000  # sentences kept (1.5 KB each for 384 dimensions: 30 MB at most)
    keeps_vectors = True

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}  # insertion-ordered: the oldest goes first
        self._cache_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        with self._cache_lock:
            found = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = dict(zip(missing, self._embed(missing)))
            found.update(fresh)
            with self._cache_lock:
                self._cache.update(fresh)
                while len(self._cache) > self.cache_size:
                    self._cache.pop(next(iter(self._cache)))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for k, text in enumerate(texts):
            out[k] = found[text]
        return out

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Put vectors computed earlier (an index's stored ones) in the cache, as if embedded now;
        the cache keeps its bound."""
        with self._cache_lock:
            self._cache.update(zip(texts, np.asarray(vectors, dtype=np.float32)))
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))

    @abstractmethod
    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of texts not in the cache."""

"""The sentence model as the server shares it between worker threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ..represent import Embedder, get_embedder
from .workers import checkpoint


class SerialEmbedder(Embedder):
    """One ``embed`` call at a time, whoever calls.

    The model already keeps every core busy (it runs its batches side by side, one core each:
    represent/minilm.py), so two embeddings at once would only fight for them (and hold two
    batches' memory); two comparisons still overlap in everything
    but the embedding (reading, aligning, judging). Each call is also a checkpoint where the
    work of a request that timed out stops.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._lock = threading.Lock()

    @property
    def keeps_vectors(self) -> bool:  # type: ignore[override]
        return self.inner.keeps_vectors

    @property
    def version(self) -> str:
        return self.inner.version

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        # A trace against an index built --vectors puts its sources' vectors in the model's cache:
        # no model runs, so no turn is taken.
        self.inner.remember(texts, vectors)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # A cancelled request stops here rather than spend a batch (workers.py); it would be
        # interrupted anyway, but only once the C call under way returns.
        checkpoint()
        with self._lock:
            checkpoint()
            vectors = self.inner.embed(texts)
        checkpoint()
        return vectors


def shared_embedder(model: str | Embedder | None) -> SerialEmbedder:
    """The named model (default: minilm), not yet loaded: ``warm`` loads it."""
    return SerialEmbedder(get_embedder(model))


def warm(embedder: Embedder) -> None:
    """Load the model now, at start-up, rather than in the first request."""
    embedder.embed(["unspun is starting."])

"""The sentence model as the server shares it between worker threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ..represent import Embedder, get_embedder


class SerialEmbedder(Embedder):
    """One ``embed`` call at a time, whoever calls.

    onnxruntime already spreads one batch over every core, so two embeddings at once would only
    fight for them (and hold two batches' memory); two comparisons still overlap in everything
    but the embedding (reading, aligning, judging).
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self.inner.embed(texts)


def shared_embedder(model: str | Embedder | None) -> SerialEmbedder:
    """The named model (default: minilm), not yet loaded: ``warm`` loads it."""
    return SerialEmbedder(get_embedder(model))


def warm(embedder: Embedder) -> None:
    """Load the model now, at start-up, rather than in the first request."""
    embedder.embed(["unspun is starting."])

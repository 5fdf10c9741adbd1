"""The embedder interface and its registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:
    import numpy as np


class Embedder(ABC):
    """Turns sentences into L2-normalised vectors; cosine similarity is then a dot product."""

    name: str = "embedder"
    dimension: int = 0

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dimension), float32, each row of unit length."""


_FACTORIES: dict[str, Callable[[], Embedder]] = {}
_INSTANCES: dict[str, Embedder] = {}

DEFAULT_MODEL = "minilm"


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    _FACTORIES[name] = factory
    _INSTANCES.pop(name, None)


def available_embedders() -> list[str]:
    _register_builtins()
    return sorted(_FACTORIES)


def get_embedder(model: str | Embedder | None = None) -> Embedder:
    """The embedder of that name, created once per process (models load lazily, once)."""
    if isinstance(model, Embedder):
        return model
    _register_builtins()
    name = model or DEFAULT_MODEL
    if name not in _FACTORIES:
        raise ModelError(f"unknown model {name!r}; choose one of: {', '.join(sorted(_FACTORIES))}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def _register_builtins() -> None:
    if "minilm" in _FACTORIES:
        return
    from .fake import HashEmbedder
    from .minilm import MiniLMEmbedder

    _FACTORIES.setdefault("minilm", MiniLMEmbedder)
    _FACTORIES.setdefault("hash", HashEmbedder)

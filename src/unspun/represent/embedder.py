"""The embedder registry: models by name, each made once per process (``get_embedder``)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..errors import ModelError
from .base import CachedEmbedder, Embedder, unit_rows

__all__ = ["CachedEmbedder", "Embedder", "available_embedders", "get_embedder", "register_embedder", "unit_rows"]

_FACTORIES: dict[str, Callable[[], Embedder]] = {}
_INSTANCES: dict[str, Embedder] = {}
# Request threads asking for a model at once must get one instance, not one each (each would
# load its own copy of the weights).
_LOCK = threading.Lock()

# MiniLM with int8 weights (quantized.py): 0.34 s a pan13 compare instead of 0.54 s with the fp32
# model, and every quality gate holds (benchmarks/quantized.py, RESULTS.md). "minilm" is fp32.
DEFAULT_MODEL = "minilm-int8"


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
    with _LOCK:
        if name not in _INSTANCES:
            _INSTANCES[name] = _FACTORIES[name]()
        return _INSTANCES[name]


def _register_builtins() -> None:
    if "minilm" in _FACTORIES:
        return
    from .fake import HashEmbedder
    from .minilm import MiniLMEmbedder, MiniLMInt8Embedder
    from .multilingual import E5Embedder, UseEmbedder

    _FACTORIES.setdefault("minilm", MiniLMEmbedder)
    _FACTORIES.setdefault("minilm-int8", MiniLMInt8Embedder)
    _FACTORIES.setdefault("hash", HashEmbedder)
    _FACTORIES.setdefault("e5", E5Embedder)
    _FACTORIES.setdefault("use", UseEmbedder)

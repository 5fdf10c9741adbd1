"""Represent: segments become vectors (embeddings) and token sets (lexical evidence).

Embedders sit behind a small base class and a factory keyed by name, so another model can be
plugged in without touching the pipeline: ``get_embedder("minilm")`` is the default.
"""

from __future__ import annotations

from .embedder import Embedder, available_embedders, get_embedder, register_embedder

__all__ = ["Embedder", "get_embedder", "register_embedder", "available_embedders"]

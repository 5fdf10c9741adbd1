"""Represent: segments become vectors (embeddings) and token sets (lexical evidence).

Embedders sit behind a small base class and a factory keyed by name, so another model can be
plugged in without touching the pipeline: ``get_embedder()`` is the default, ``minilm-int8``
(all-MiniLM-L6-v2 with int8 weights, quantized.py); ``minilm`` is the fp32 model it is made from.
"""

from __future__ import annotations

from .embedder import CachedEmbedder, Embedder, available_embedders, get_embedder, register_embedder

__all__ = ["CachedEmbedder", "Embedder", "get_embedder", "register_embedder", "available_embedders"]

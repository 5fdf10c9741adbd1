"""The sentence model's vectors as an index keeps them (`unspun index --vectors`).

A trace verifies each candidate source with ``compare``, which needs the model's vector of every
source sentence it scores; embedding them is most of a trace's time (benchmarks/trace_pan.py).
An index built with ``--vectors`` embeds every sentence once, when it is added, and a trace puts
the stored vectors in the model's cache before it compares (retrieve.py): only the query is
embedded at trace time.

Each vector is kept as int8 with one float32 scale (the largest magnitude over 127): 388 bytes a
sentence for MiniLM's 384 dimensions, a quarter of float32. Unpacked vectors are scaled back to
unit length; a cosine between them differs from the float32 one by about 0.001 (tests/test_store.py
holds it under 0.01), far below any threshold of the aligner.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from .base import unit_rows


def digest(texts: Sequence[str]) -> str:
    """What the vectors were made of: a trace uses them only for a document whose sentences, as
    it segments them, are these very ones (a segmenter changed since would misplace them)."""
    return hashlib.sha1("\x1e".join(texts).encode("utf-8")).hexdigest()


def width(dimension: int) -> int:
    """Bytes a stored vector takes."""
    return 4 + dimension


def pack(vectors: np.ndarray) -> bytes:
    """Rows of (float32 scale, int8 values)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if not len(vectors):
        return b""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    values = np.rint(vectors / scale[:, None]).astype(np.int8)
    rows = np.empty((len(vectors), width(vectors.shape[1])), dtype=np.uint8)
    rows[:, :4] = scale.astype("<f4").view(np.uint8).reshape(-1, 4)
    rows[:, 4:] = values.view(np.uint8)
    return rows.tobytes()


def unpack(blob: bytes, dimension: int) -> np.ndarray:
    """The vectors of ``pack``, float32, each of unit length."""
    size = width(dimension)
    if len(blob) % size:
        raise ValueError(f"stored vectors of {len(blob)} bytes are not a multiple of {size}")
    rows = np.frombuffer(blob, dtype=np.uint8).reshape(-1, size)
    scale = rows[:, :4].copy().view("<f4").reshape(-1)
    values = rows[:, 4:].view(np.int8).astype(np.float32)
    return unit_rows(values * scale[:, None])

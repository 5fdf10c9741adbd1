"""Align: sentence similarities become passages, PAN text-alignment style.

Seed with sentence pairs that are each other's near-best match, extend seeds to neighbouring
sentences (a source sentence split in two, or two merged into one), then merge seeds that lie
close on both sides into passages. Reordered reuse simply forms several passages.

``fast`` is what runs; ``reference`` is a slow, obviously correct twin that a property test
compares it with. Both work on a plain similarity matrix, so they know nothing of models.
"""

from .fast import align_matrix
from .params import AlignParams
from .passages import build_passages

__all__ = ["AlignParams", "align_matrix", "build_passages"]

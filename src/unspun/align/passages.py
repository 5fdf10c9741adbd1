"""From groups of aligned sentence pairs to ``Passage`` objects with spans, kind and score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..represent.lexical import containment, ngrams, tokens
from ..types import Passage, Segment, Span

# Share of the rewrite side's word trigrams found in the source side. A copy keeps nearly all
# of them; a light edit (a word swapped here and there) breaks about every other one; a
# paraphrase keeps only names and set phrases.
VERBATIM_TRIGRAMS = 0.9
NEAR_VERBATIM_TRIGRAMS = 0.5


def build_passages(
    groups: Sequence[Sequence[tuple[int, int]]],
    query_segments: Sequence[Segment],
    source_segments: Sequence[Segment],
    query_text: str,
    source_text: str,
    sim: np.ndarray,
) -> list[Passage]:
    passages = []
    for group in groups:
        rows = [i for i, _ in group]
        cols = [j for _, j in group]
        q_span = _extend_to_heading(_cover(query_segments, rows), rows, query_segments)
        s_span = _extend_to_heading(_cover(source_segments, cols), cols, source_segments)
        score = float(np.clip(np.mean([sim[i, j] for i, j in group]), 0.0, 1.0))
        kind = passage_kind(query_text[q_span.start : q_span.end], source_text[s_span.start : s_span.end])
        pairs = tuple(
            (
                _cover(query_segments, [i for i, _ in block]),
                _cover(source_segments, [j for _, j in block]),
                float(np.clip(max(sim[i, j] for i, j in block), 0.0, 1.0)),
            )
            for block in _blocks(group)
        )
        passages.append(Passage(query_span=q_span, source_span=s_span, kind=kind, score=score, pairs=pairs))
    passages.sort(key=lambda p: (p.query_span.start, p.source_span.start))
    return passages


def passage_kind(query: str, source: str) -> str:
    q, s = tokens(query), tokens(source)
    if q == s:
        return "verbatim"
    overlap = containment(ngrams(q, 3), ngrams(s, 3))
    if overlap >= VERBATIM_TRIGRAMS:
        return "verbatim"
    if overlap >= NEAR_VERBATIM_TRIGRAMS:
        return "near-verbatim"
    return "paraphrase"


def _blocks(group: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Split a passage's cells into blocks of sentences that correspond: cells sharing a rewrite
    sentence or a source sentence go together, so a sentence split in two (or two merged into
    one) shows as one pair of one and two sentences."""
    blocks: list[list[tuple[int, int]]] = []
    for cell in sorted(group):
        joined = [b for b in blocks if any(cell[0] == i or cell[1] == j for i, j in b)]
        merged = [cell] + [c for b in joined for c in b]
        blocks = [b for b in blocks if b not in joined] + [merged]
    return sorted((sorted(b) for b in blocks), key=lambda b: b[0])


def _cover(segments: Sequence[Segment], indices: Sequence[int]) -> Span:
    first, last = min(indices), max(indices)
    return Span(segments[first].span.start, segments[last].span.end)


def _extend_to_heading(span: Span, indices: Sequence[int], segments: Sequence[Segment]) -> Span:
    """A section heading directly before a passage belongs to it: the heading labels the text
    the rewrite reused, even when the rewrite dropped the heading itself."""
    first = min(indices)
    if first > 0 and segments[first - 1].kind == "heading":
        return Span(segments[first - 1].span.start, span.end)
    return span

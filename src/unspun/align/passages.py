"""From groups of aligned sentence pairs to ``Passage`` objects with spans, kind and score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..represent.lexical import containment, ngrams
from ..types import Passage, Segment, Span
from ..words import tokens, word_matches

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
    seed_threshold: float = 0.62,
) -> list[Passage]:
    passages = []
    for group in groups:
        group = trim(group, sim, seed_threshold)
        rows = [i for i, _ in group]
        cols = [j for _, j in group]
        q_span = _extend_to_heading(_cover(query_segments, rows), rows, query_segments)
        s_span = _extend_to_heading(_cover(source_segments, cols), cols, source_segments)
        q_span, s_span = refine(query_text, q_span, query_segments, source_text, s_span, source_segments)
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
    passages = unshadowed(passages)
    passages.sort(key=lambda p: (p.query_span.start, p.source_span.start))
    return passages


def unshadowed(passages: list[Passage]) -> list[Passage]:
    """Each stretch of the rewrite has one source: where two passages claim the same rewrite text
    (the source repeats itself, or a short boilerplate sentence matches in several places), the
    weaker one, by score times length, goes when half of it or more lies inside a stronger one."""
    ranked = sorted(passages, key=lambda p: p.score * len(p.query_span), reverse=True)
    kept: list[Passage] = []
    for p in ranked:
        inside = sum(max(0, min(p.query_span.end, k.query_span.end) - max(p.query_span.start, k.query_span.start)) for k in kept)
        if inside * 2 < len(p.query_span):
            kept.append(p)
    return kept


# Character-exact edges for copied text: word runs of at least this length count as copied...
MIN_RUN_WORDS = 4
# ...and edges are refined only where copied runs make up at least this share of the passage's
# words (a verbatim or lightly edited copy; a paraphrase keeps its sentence edges).
REFINE_SHARE = 0.5


def refine(
    query_text: str, q_span: Span, query_segments: Sequence[Segment],
    source_text: str, s_span: Span, source_segments: Sequence[Segment],
) -> tuple[Span, Span]:
    """Move a copied passage's edges from sentence boundaries to where the copying starts and
    stops: copied text often begins or ends inside a sentence. Word runs shared by the two sides
    (difflib over the passage, widened by one sentence each way) mark the copy; the new edges are
    the first and last such run."""
    import difflib

    qw = _widen(q_span, query_segments)
    sw = _widen(s_span, source_segments)
    q_tokens = [(m.group(0).lower(), m.start() + qw.start, m.end() + qw.start) for m in word_matches(query_text[qw.start : qw.end])]
    s_tokens = [(m.group(0).lower(), m.start() + sw.start, m.end() + sw.start) for m in word_matches(source_text[sw.start : sw.end])]
    if not q_tokens or not s_tokens:
        return q_span, s_span
    matcher = difflib.SequenceMatcher(None, [t[0] for t in q_tokens], [t[0] for t in s_tokens], autojunk=False)
    runs = [b for b in matcher.get_matching_blocks() if b.size >= MIN_RUN_WORDS]
    inside = sum(1 for t in q_tokens if q_span.start <= t[1] < q_span.end)
    copied = sum(b.size for b in runs)
    if not runs or copied < REFINE_SHARE * max(1, inside):
        return q_span, s_span
    first, last = runs[0], runs[-1]
    q_new = Span(q_tokens[first.a][1], q_tokens[last.a + last.size - 1][2])
    s_new = Span(s_tokens[first.b][1], s_tokens[last.b + last.size - 1][2])
    return _with_punct(query_text, q_new), _with_punct(source_text, s_new)




def _widen(span: Span, segments: Sequence[Segment]) -> Span:
    """The span plus the sentence before and the sentence after it."""
    starts = [s.span.start for s in segments if s.span.end <= span.start]
    ends = [s.span.end for s in segments if s.span.start >= span.end]
    return Span(max(starts) if starts else span.start, min(ends) if ends else span.end)


def _with_punct(text: str, span: Span) -> Span:
    """Keep the closing punctuation (and quote) that follows the last copied word."""
    end = span.end
    while end < len(text) and end - span.end < 3 and text[end] in ".!?,;:\"”’)":
        end += 1
    return Span(span.start, end)


def trim(group: Sequence[tuple[int, int]], sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """A passage starts and ends with a seed-strength pair, on both sides: weaker cells at its
    edges (extensions into the unrelated sentences around a copied stretch) are cut off. Inside a
    passage they stay: there they are a split or merged sentence of a paraphrase."""
    cells = sorted(group)
    changed = True
    while changed and len(cells) > 1:
        changed = False
        for edge in (
            min(cells), max(cells),
            min(cells, key=lambda c: (c[1], c[0])), max(cells, key=lambda c: (c[1], c[0])),
        ):
            if len(cells) > 1 and sim[edge] < threshold:
                cells.remove(edge)
                changed = True
                break
    return cells


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

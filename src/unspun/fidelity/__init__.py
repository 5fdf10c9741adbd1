"""Fidelity: what the rewrite kept, dropped, changed and added, and whether it credits its source.

``assess`` runs after the aligner and the judge, on their passages: the sentence pairs inside
passages are what the rewrite kept; source sentences in no pair were dropped; rewrite sentences in
no pair were added; kept rewrite sentences that hold words the source never uses are unsupported
claims, added too (support.py); each pair's facts are compared (changes.py); rewrite sentences are
checked for damage (damage.py); and the rewrite's credit to its source is looked for
(attribution.py).
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..clean.chrome import chrome_blocks
from ..types import Document, FactRef, Fidelity, Finding, Passage, Segment, Span, merge_spans
from .attribution import attribution
from .changes import compare_pair, name_book
from .damage import damaged
from .facts import listed
from .support import Vocabulary, adds_something, unsupported_claims

__all__ = ["assess", "unpaired"]


def assess(
    source: Document,
    rewrite: Document,
    source_segments: Sequence[Segment],
    rewrite_segments: Sequence[Segment],
    passages: Sequence[Passage],
    *,
    derived: bool,
    source_url: str | None = None,
    source_title: str | None = None,
    source_publisher: str | None = None,
    details: bool = True,
) -> Fidelity:
    """What the rewrite kept, dropped, changed and added. Without ``details``, only what was
    dropped and what is damaged (a scan's direction marks need no more): no changed facts, no
    unsupported claims or added content, no credit, at about half the cost."""
    pairs = [(q, s) for p in passages for q, s, _ in p.pairs]
    # Each rewrite segment's aligned source block (None: in no pair), for claims and damage alike.
    aligned = [next((s for q, s in pairs if q.start <= seg.span.start < q.end), None) for seg in rewrite_segments]
    result = Fidelity()
    # Words are compared within one language: across two, every word is "unsupported".
    crossing = bool(source.lang and rewrite.lang and source.lang != rewrite.lang)
    vocabulary = None if crossing or not details else Vocabulary(source.text, source.lang or "en")
    claims: list[Finding] = []
    if vocabulary is not None:
        claims, result.unsupported_share = unsupported_claims(rewrite.text, rewrite_segments, aligned, vocabulary)
    if derived:
        result.dropped = unpaired(source, source_segments, [s for _, s in pairs], "source")
    if derived and details:
        content = [replace(a, kind="content") for a in unpaired(rewrite, rewrite_segments, [q for q, _ in pairs], "rewrite")]
        if vocabulary is not None:
            content = [a for a in content if adds_something(rewrite.text, a.span, vocabulary)]
        chrome = [
            Finding("chrome", "rewrite", b, rewrite.text[b.start : b.end])
            for c in rewrite.chrome
            for b in chrome_blocks(rewrite.text, c)
        ]
        result.additions = sorted(content + chrome + claims, key=lambda a: a.span.start)
        source_names, rewrite_names = name_book(source.text), name_book(rewrite.text)
        for q, s in pairs:
            result.changed += compare_pair(source.text, s, rewrite.text, q, source_names, rewrite_names)
    for seg, block in zip(rewrite_segments, aligned):
        result.damaged += damaged(rewrite.text, seg.span, None if block is None else source.text[block.start : block.end])
    if details:
        result.attribution = attribution(source, rewrite, url=source_url, title=source_title, publisher=source_publisher)
    return result


def unpaired(doc: Document, segments: Sequence[Segment], paired: Sequence[Span], side: str) -> list[Finding]:
    """Sentences in no aligned pair, runs of them in one paragraph joined, with their sentences'
    facts. Headings and metadata lines (headline, byline, photo credit) are left out."""
    metadata = doc.meta.get("metadata", [])
    covered = _covered_starts(segments, list(paired) + list(metadata))
    per_paragraph = Counter(seg.paragraph for seg in segments)
    groups: list[list[int]] = []  # runs of adjacent loose sentences, as positions in segments
    for k, seg in enumerate(segments):
        if seg.kind != "sentence" or covered[k]:
            continue
        if groups and groups[-1][-1] == k - 1 and segments[k - 1].paragraph == seg.paragraph:
            groups[-1].append(k)
        else:
            groups.append([k])
    items = []
    for group in groups:
        first, last = segments[group[0]], segments[group[-1]]
        span = Span(first.span.start, last.span.end)
        # Sentence by sentence, as an aligned pair's facts are read: a run read whole let a name run
        # on across a full stop ("Land Rover. Among") and a straight quote pair with one sentences
        # away; and a sentence is then read once (cached) whichever run it falls in.
        facts = tuple(f for k in group for f in _sentence_facts(doc.text, segments[k].span.start, segments[k].span.end, side))
        kind = "paragraph" if len(group) == per_paragraph[first.paragraph] else "sentence"
        items.append(Finding(kind, side, span, doc.text[span.start : span.end], facts))
    return items


def _sentence_facts(text: str, start: int, end: int, side: str) -> tuple[FactRef, ...]:
    """The facts of the sentence text[start:end], as a finding holds them. Remembered per text: a
    trace's query leaves mostly the same sentences loose against source after source, and making
    their facts again (spans moved, sorted, wrapped) took most of the time of its unpaired runs."""
    known = _known_facts(text)
    found = known.get((start, end, side))
    if found is None:
        found = known[start, end, side] = tuple(FactRef(kind, value, side, span) for kind, value, span in listed(text, start, end))
    return found


@functools.lru_cache(maxsize=16)  # a trace's query and its sources in turn; a scan's pairs
def _known_facts(text: str) -> dict[tuple[int, int, str], tuple[FactRef, ...]]:
    return {}


def _covered_starts(segments: Sequence[Segment], spans: Sequence[Span]) -> list[bool]:
    """For each segment, whether its start lies inside one of the spans: the spans merged into
    disjoint intervals, then one binary search per segment."""
    merged = merge_spans(spans)
    starts = [s.start for s in merged]
    out = []
    for seg in segments:
        k = bisect.bisect_right(starts, seg.span.start) - 1
        out.append(k >= 0 and seg.span.start < merged[k].end)
    return out

"""The aligner's knobs, in one place, with the reason for each default."""

from __future__ import annotations

from dataclasses import dataclass

# Where a seed may extend: the next or previous sentence on one side (a split or a merge), or on
# both sides in step (the paraphrase goes on). Not against the grain, (i+1, j-1): that would pull
# a dropped source sentence into a passage through a later rewrite sentence on the same subject.
NEIGHBOURS = frozenset({(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)})


@dataclass(frozen=True)
class AlignParams:
    # A seed: a sentence pair this similar (cosine of the sentence embeddings, or word overlap
    # where that is higher). 0.62 is where STS-benchmark pairs rated "roughly equivalent" (>= 3.5
    # of 5) separate best from the rest for all-MiniLM-L6-v2 (benchmarks/calibrate.py).
    seed_threshold: float = 0.62
    # A seed must be within this margin of the best match in its row and in its column, so one
    # topical sentence does not seed against every sentence on the same subject.
    margin: float = 0.08
    # Extension: a neighbour of a seed (see NEIGHBOURS) joins at this lower
    # similarity: the second half of a split sentence, or the other half of a merged one.
    extend_threshold: float = 0.42
    # Seeds with at most this many unmatched sentences between them, on both sides, belong to one
    # passage. One, not more: a dropped paragraph between two reused ones must stay visible.
    max_gap: int = 1
    # Evidence (see evidence.py): the expected number of rewrite sentences that restate a source
    # sentence. A rewrite needs at least one in all, and each passage half of one; below that,
    # what matched is two texts on the same subject, not one made from the other.
    min_evidence: float = 1.0
    min_passage_evidence: float = 0.5

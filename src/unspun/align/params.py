"""The aligner's knobs, in one place, with the reason for each default."""

from __future__ import annotations

from dataclasses import dataclass

# Where a seed may extend, one step, and what the new cell must be near-best in:
#   (i±1, j)    the next rewrite sentence continues the same source sentence (a split): near-best
#               in its row, i.e. that rewrite sentence matches nothing better;
#   (i, j±1)    the rewrite sentence also takes in the next source sentence (a merge): near-best in
#               its column;
#   (i±1, j±1)  the paraphrase goes on in step: near-best in its row or its column.
# Not against the grain, (i+1, j-1): that would pull a dropped source sentence into a passage
# through a later rewrite sentence on the same subject. One step only, so a generic sentence
# ("PageRank is an algorithm") cannot walk along a whole row of sentences on the subject.
SPLIT, MERGE, STEP = "row", "col", "both"
NEIGHBOURS = {
    (1, 0): SPLIT, (-1, 0): SPLIT,
    (0, 1): MERGE, (0, -1): MERGE,
    (1, 1): STEP, (-1, -1): STEP,
}


@dataclass(frozen=True)
class AlignParams:
    # A seed: a sentence pair this similar (cosine of the sentence embeddings, or word overlap
    # where that is higher). Set low on purpose, recall first: a seed is only a candidate, and the
    # judge's evidence (calibrated on STS >= 4) decides what stands as reuse. The cosine that best
    # separates STS pairs rated "roughly equivalent" (>= 3.5) is 0.79 (benchmarks/calibrate.py);
    # at 0.79, loose paraphrases (the seed blog post, Clough "heavy" answers) lose their seeds.
    seed_threshold: float = 0.62
    # A seed must be within this margin of the best match in its row and in its column, so one
    # topical sentence does not seed against every sentence on the same subject.
    margin: float = 0.08
    # Extension: a neighbour of a seed (see NEIGHBOURS) joins at this lower similarity: the
    # second half of a split sentence, or the other half of a merged one.
    extend_threshold: float = 0.42
    # Seeds with at most this many unmatched sentences between them, on both sides, belong to one
    # passage. One, not more: a dropped paragraph between two reused ones must stay visible.
    max_gap: int = 1
    # Evidence (see evidence.py): the expected number of rewrite sentences that restate a source
    # sentence. A rewrite needs at least one in all, and each passage half of one; below that,
    # what matched is two texts on the same subject, not one made from the other.
    min_evidence: float = 1.0
    min_passage_evidence: float = 0.5

"""Restated sentences: the expected number of rewrite sentences in aligned groups that restate a
source sentence, as annotators rate "the same statement" (STS >= 4, ``reuse_probability``).

This is the evidence that settles copies and close paraphrases, wherever they sit: a copied
paragraph inside a long document is reuse however small a share of it. A group's evidence is the
sum, over its rewrite sentences, of the best such probability. Stock lines ("Yeah.", "Thank
you.") carry none (evidence.weighty): they match anything that says the same.

Two long texts on one subject hold many sentence pairs, and among thousands of them a few say
nearly the same thing by chance ("There are more than 100 types of HPV" beside "There are over 80
distinct types of HPV"). So a group that copies nothing must also be unlikely by chance in a
comparison of its size (``chance_bar``), unless it copies a run of words (judge/__init__.py) or
stands in line with a group that stands: a rewrite restates its source in order, so its weaker
groups lie beside the others, where a chance likeness between two texts on one subject falls
anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ..align.params import AlignParams

Group = Sequence[tuple[int, int]]

# How often two texts on one subject that are not derived hold, by chance, a group of restated
# evidence e or more: CHANCE_RATE * exp(-e / CHANCE_SCALE) per sentence pair compared. Fitted on
# the groups of pan13-verbatim's listed pairs that lie in no labelled case and share no run of
# eight words with their source (the hosts of its suspicious documents are on their sources'
# subjects), on the dev half only (pairs at even positions in name order): 0.2 to 0.8, 44 to 2
# groups in 590,000 sentence pairs.
CHANCE_RATE = 2.0e-4
CHANCE_SCALE = 0.21
# Chance groups tolerated per comparison: one in a hundred (set, not fitted).
CHANCE_ALPHA = 0.01
# A group "in line" with another: the next (or previous) one on both sides, in the same order,
# within this many rewrite sentences (set, not fitted: an added paragraph's length), and as many
# source sentences times how much longer the source is (a summary skips that much of it).
IN_LINE = 3


def restated(groups: Sequence[Group], prob: np.ndarray) -> float:
    best: dict[int, float] = {}
    for group in groups:
        for i, j in group:
            best[i] = max(best.get(i, 0.0), float(prob[i, j]))
    return sum(best.values())


def chance_bar(pairs: int) -> float:
    """The evidence a group needs for chance to give one as strong in fewer than CHANCE_ALPHA of
    comparisons of ``pairs`` sentence pairs: under min_passage_evidence (0.5) up to about 520
    pairs (a rewrite of 20 sentences against its source), 0.63 at 1,000, 1.08 at 8,000 (a pan13
    pair)."""
    return CHANCE_SCALE * math.log(max(1.0, CHANCE_RATE * pairs / CHANCE_ALPHA))


def accept(groups: Sequence[Group], prob: np.ndarray, params: AlignParams = AlignParams(), min_evidence: float | None = None,
           copies: Callable[[Group], bool] | None = None) -> list[Group]:
    """The groups that stand as reuse on this evidence alone: none when the whole falls short of
    ``min_evidence`` (or, for a rewrite of one sentence, of half a sentence), else those holding
    at least ``min_passage_evidence`` each. With ``copies`` (whether a group shares a run of
    copied words), a group must also stand against chance: its evidence reaches ``chance_bar`` of
    the comparison, or it copies, or it lies in line with a group that stands."""
    needed = min(params.min_evidence if min_evidence is None else min_evidence, 0.5 * prob.shape[0])
    if restated(groups, prob) < needed:
        return []
    weighed = [(g, evidence) for g in groups if (evidence := restated([g], prob)) >= params.min_passage_evidence]
    enough = [g for g, _ in weighed]
    if copies is None:
        return enough
    bar = chance_bar(prob.size)
    stands = [evidence >= bar or copies(g) for g, evidence in weighed]
    spans = [_extent(g) for g in enough]
    reach = (IN_LINE, IN_LINE * max(1.0, prob.shape[1] / max(1, prob.shape[0])))
    grown = True
    while grown:  # a run of weaker groups stands when one end of it touches a group that stands
        grown = False
        for k in range(len(enough)):
            if not stands[k] and any(stands[m] and _in_line(spans[k], spans[m], reach) for m in range(len(enough))):
                stands[k] = grown = True
    return [g for g, ok in zip(enough, stands) if ok]


def _extent(group: Group) -> tuple[int, int, int, int]:
    rows, cols = [i for i, _ in group], [j for _, j in group]
    return min(rows), max(rows), min(cols), max(cols)


def _in_line(a: tuple[int, int, int, int], b: tuple[int, int, int, int], reach: tuple[float, float]) -> bool:
    """Whether b follows a, or a follows b, on both sides, within ``reach`` (rewrite sentences,
    source sentences)."""
    if a[0] > b[0]:
        a, b = b, a
    return 0 < b[0] - a[1] <= reach[0] and 0 < b[2] - a[3] <= reach[1]

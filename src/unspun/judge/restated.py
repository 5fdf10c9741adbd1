"""Restated sentences: the expected number of rewrite sentences in aligned groups that restate a
source sentence, as annotators rate "the same statement" (STS >= 4, ``reuse_probability``).

This is the evidence that settles copies and close paraphrases, wherever they sit: a copied
paragraph inside a long document is reuse however small a share of it. A group's evidence is the
sum, over its rewrite sentences, of the best such probability. Stock lines ("Yeah.", "Thank
you.") carry none (evidence.weighty): they match anything that says the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..align.params import AlignParams

Group = Sequence[tuple[int, int]]


def restated(groups: Sequence[Group], prob: np.ndarray) -> float:
    best: dict[int, float] = {}
    for group in groups:
        for i, j in group:
            best[i] = max(best.get(i, 0.0), float(prob[i, j]))
    return sum(best.values())


def accept(groups: Sequence[Group], prob: np.ndarray, params: AlignParams = AlignParams(), min_evidence: float | None = None) -> list[Group]:
    """The groups that stand as reuse on this evidence alone: none when the whole falls short of
    ``min_evidence`` (or, for a rewrite of one sentence, of half a sentence), else those holding
    at least ``min_passage_evidence`` each."""
    needed = min(params.min_evidence if min_evidence is None else min_evidence, 0.5 * prob.shape[0])
    if restated(groups, prob) < needed:
        return []
    return [g for g in groups if restated([g], prob) >= params.min_passage_evidence]

"""Weigh the evidence of aligned groups: is this reuse, or two texts on the same subject?

Two independent texts on one subject align too: their sentences say similar things in a similar
order. What tells reuse apart is how many rewrite sentences restate a source sentence, which
``reuse_probability`` estimates per pair. A group's evidence is the sum, over its rewrite
sentences, of the best such probability: the expected number of restated sentences in it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .params import AlignParams

Group = Sequence[tuple[int, int]]


def evidence(groups: Sequence[Group], prob: np.ndarray) -> float:
    best: dict[int, float] = {}
    for group in groups:
        for i, j in group:
            best[i] = max(best.get(i, 0.0), float(prob[i, j]))
    return sum(best.values())


def accept(groups: Sequence[Group], prob: np.ndarray, params: AlignParams = AlignParams()) -> list[Group]:
    """The groups that stand as reuse: none when the whole falls short of ``min_evidence`` (or,
    for a rewrite of one sentence, of half a sentence), else those holding at least
    ``min_passage_evidence`` each."""
    needed = min(params.min_evidence, 0.5 * prob.shape[0])
    if evidence(groups, prob) < needed:
        return []
    return [g for g in groups if evidence([g], prob) >= params.min_passage_evidence]

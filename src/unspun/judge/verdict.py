"""Weigh the evidence (evidence.py) into the probability that a rewrite is derived.

A logistic model of the measures a person would use, and of their pairwise products (how much a
run of matches in order is worth depends on how many sentences could have matched, how rare the
facts they share are, how much was copied...), fitted by benchmarks/calibrate_judge.py on the
development half of real rewrites (AI rewrites, teachers' simplifications, publishers'
summaries, Clough's answers, STS sentence pairs) and of pairs of the same kind that are not
derived (each rewrite against other sources of its set; Clough's independent answers). The
fitted constants live in model.json beside this file, written by that script.

Each measure is standardised and held to the range it took in the fit before the products are
formed: a text far outside what the model saw (a 5,000-sentence book) is weighed as the most
extreme text it did see, not extrapolated.

``chance`` is the share of the unrelated development pairs that reach at least the same
probability: how often texts of the same kind look this alike without one being made from the
other.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from .evidence import Evidence

FEATURES = (
    "in_order", "unordered", "order_share", "fact_bits", "restated", "best", "match_sim",
    "possible", "possible_share", "copied", "source_share",
)
MODEL_FILE = Path(__file__).with_name("model.json")


def measures(ev: Evidence) -> np.ndarray:
    """The measures of FEATURES, on the scale the model weighs them."""
    n, m = ev.sentences, ev.source_sentences
    possible = min(n, m)  # no more sentences can match one to one
    return np.array([
        math.log1p(ev.in_order),
        math.log1p(max(0, ev.matched - ev.in_order)),
        ev.in_order / max(1, n),
        math.log1p(ev.fact_bits),
        math.log1p(ev.restated),
        ev.best,
        ev.match_sim,
        math.log1p(possible),
        ev.in_order / max(1, possible),
        math.log(ev.copied + 0.003),  # a few copied phrases matter: log, floored
        ev.in_order / max(1, m),
    ])


def expand(x: np.ndarray, mean: np.ndarray, scale: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Standardised, clipped measures and their pairwise products (the squares included), with a
    leading 1 for the intercept. ``x`` is one row or a matrix of rows."""
    z = np.clip((np.atleast_2d(x) - mean) / scale, low, high)
    k = z.shape[1]
    products = [z[:, i] * z[:, j] for i in range(k) for j in range(i, k)]
    return np.column_stack([np.ones(len(z)), z] + products)


@lru_cache(maxsize=1)
def model() -> dict:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError(f"{MODEL_FILE} was fitted on other features; run benchmarks/calibrate_judge.py --write")
    return {k: np.array(v) if isinstance(v, list) else v for k, v in data.items()}


def probability(ev: Evidence) -> float:
    m = model()
    z = float(expand(measures(ev), m["mean"], m["scale"], m["low"], m["high"])[0] @ m["coefficients"])
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def threshold() -> float:
    return float(model()["threshold"])


def chance(p: float) -> float:
    """Share of unrelated development pairs scoring p or more."""
    q = model()["negatives"]
    if len(q) == 0:
        return 1.0
    return max(0.0, (len(q) - int(np.searchsorted(q, p, side="left"))) / len(q))

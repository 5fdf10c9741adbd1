"""Calibrate the sentence-pair reuse score on the STS benchmark, not on any answer we are graded on.

A sentence pair counts as "the same statement" when STS annotators rated it 4 or more of 5 ("mostly
equivalent, some unimportant details differ"). We fit a logistic model of that label on the two
scores unspun computes for every pair (embedding cosine, isf-weighted content-word Dice) over STS train, report
how it does on STS dev, and print the coefficients that src/unspun/align/scores.py pins.

    python benchmarks/calibrate.py [--model minilm]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

from unspun.align.scores import isf_weights, reuse_probability, stem_sets, weighted_dice
from unspun.represent import get_embedder

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "stsbenchmark"
EQUIVALENT = 4.0


def load(name: str) -> tuple[list[str], list[str], np.ndarray]:
    a, b, y = [], [], []
    with open(DATA / name, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7:
                continue
            y.append(float(row[4]))
            a.append(row[5])
            b.append(row[6])
    return a, b, np.array(y)


def features(model, a: list[str], b: list[str]) -> np.ndarray:
    """Cosine and isf-weighted Dice per pair; the isf is taken over all sentences of the split, as
    unspun takes it over all sentences of the two documents it compares."""
    va, vb = model.embed(a), model.embed(b)
    cos = (va * vb).sum(axis=1)
    sa, sb = stem_sets(a), stem_sets(b)
    weight = isf_weights(sa + sb)
    lex = np.array([weighted_dice(x, y, weight) for x, y in zip(sa, sb)])
    return np.stack([cos, lex], axis=1)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Newton's method (IRLS) for logistic regression with an intercept; returns [b0, b1, b2]."""
    X = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + l2 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="minilm")
    args = ap.parse_args()
    model = get_embedder(args.model)
    t0 = time.perf_counter()
    a, b, score = load("sts-train.csv")
    x = features(model, a, b)
    y = (score >= EQUIVALENT).astype(float)
    w = fit_logistic(x, y)
    da, db, dscore = load("sts-dev.csv")
    dx = features(model, da, db)
    dy = dscore >= EQUIVALENT
    p = 1 / (1 + np.exp(-(w[0] + dx @ w[1:])))
    pinned = reuse_probability(dx[:, 0], dx[:, 1])
    print(f"STS train pairs {len(y)}, positives {int(y.sum())}; dev pairs {len(dy)}; {time.perf_counter() - t0:.0f} s")
    print(f"fitted: intercept {w[0]:.3f}, cosine {w[1]:.3f}, lexical {w[2]:.3f}")
    print("| scorer | dev accuracy at 0.5 | dev F1 at 0.5 |")
    print("| --- | --- | --- |")
    for name, prob in (("fitted now", p), ("pinned in align/scores.py", pinned)):
        pred = prob >= 0.5
        tp = (pred & dy).sum()
        f1 = 2 * tp / max(1, pred.sum() + dy.sum())
        print(f"| {name} | {(pred == dy).mean():.3f} | {f1:.3f} |")
    for name, col in (("cosine alone", dx[:, 0]), ("lexical alone", dx[:, 1])):
        best = max(((col >= t) == dy).mean() for t in np.linspace(0, 1, 101))
        print(f"| {name}, best threshold in hindsight | {best:.3f} | - |")
    # The aligner's seed threshold: the cosine that best separates train pairs rated at least
    # "roughly equivalent" (3.5) from the rest; a seed is a candidate, the judge weighs it later.
    rough = score >= 3.5
    grid = np.linspace(0, 1, 101)
    seed = grid[int(np.argmax([((x[:, 0] >= t) == rough).mean() for t in grid]))]
    print(f"seed threshold (cosine best separating STS train >= 3.5): {seed:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the judge's document model (src/unspun/judge/verdict.py) on the development half, report
the test half.

    python benchmarks/calibrate_judge.py [--refresh [--only SET]] [--write]

1. Every pair of tests/eval/rewrite_sets.py (sheepdog, onestopenglish, frank's publishers'
   summaries, Clough; each rewrite also against 3 other sources of its set) and STS-benchmark
   train's pairs rated 4 or more (derived) and 1 or less (not; all of it "dev": STS dev is the
   gate) is scored the way
   ``unspun.compare`` scores it, and its evidence (judge/evidence.py) is kept in a JSONL file, so
   that refitting costs nothing (--refresh measures again).
2. A logistic model of verdict.FEATURES and their pairwise products (verdict.expand) is fitted
   on the "dev" half by Newton's method with a small ridge penalty, each set's derived and
   unrelated pairs weighted alike; the threshold is the lowest probability at which each
   document set's dev negatives called derived stay at or under 0.5 % (none, for Clough's 19).
3. Recall and false positives are printed per set and group, for dev (a development figure) and
   test (held out from the fit); --write saves the model to src/unspun/judge/model.json.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.eval import rewrite_sets  # noqa: E402

from unspun.judge import verdict  # noqa: E402
from unspun.judge.evidence import Evidence, measure  # noqa: E402
from unspun.pipeline import prepare, sentence_scores  # noqa: E402
from unspun.represent import get_embedder  # noqa: E402
from unspun.types import Document  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FP_TARGET = 0.005
FLOOR = 0.05  # never a threshold below this probability
RIDGE = 1e-3  # chosen among 0.001, 0.01 and 0.1 by the dev half's recall at the threshold


def all_pairs() -> list[rewrite_sets.Pair]:
    r = DATA / "rewrites"
    return (
        rewrite_sets.sts(DATA / "stsbenchmark", "sts-train.csv", "dev")
        + rewrite_sets.clough(DATA / "clough-stevenson")
        + rewrite_sets.frank(r / "frank") + rewrite_sets.onestopenglish(r / "onestopenglish")
        + rewrite_sets.sheepdog(r / "sheepdog")
    )


def measure_all(pairs, out: Path) -> None:
    embedder = get_embedder()
    embedder.cache_size = 2_000_000  # every sentence of every set, embedded once
    # Vectors are kept on disk between runs: measuring again after a change to the evidence
    # then costs minutes, not the half hour of embedding every set.
    vectors = out.with_name("judge_vectors.pkl")
    if vectors.exists():
        embedder._cache.update(pickle.loads(vectors.read_bytes()))
    sides: dict[Path, object] = {}

    def side(path, role: str):
        if path not in sides:
            sides[path] = prepare(Document(role, path) if isinstance(path, str) else path, role)
        return sides[path]

    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f:
        for k, p in enumerate(pairs):
            src, rw = side(p.source, "source"), side(p.rewrite, "rewrite")
            scores = sentence_scores(src, rw)
            ev = measure(rw.texts, src.texts, scores.sim, scores.prob) if scores.sim.size else Evidence()
            row = {"set": p.set, "group": p.group, "source": p.name(p.source), "rewrite": p.name(p.rewrite),
                   "derived": p.derived, "half": p.half, **{k2: v for k2, v in asdict(ev).items() if k2 != "pairs"}}
            f.write(json.dumps(row) + "\n")
            if k % 200 == 0:
                print(f"  {k}/{len(pairs)} pairs, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            if k % 1000 == 999 or k == len(pairs) - 1:
                vectors.write_bytes(pickle.dumps(embedder._cache))


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def as_evidence(row: dict) -> Evidence:
    fields = Evidence.__dataclass_fields__
    return Evidence(**{k: v for k, v in row.items() if k in fields and k not in ("closest",)})


def design(rows: list[dict]) -> np.ndarray:
    return np.array([verdict.measures(as_evidence(r)) for r in rows])


def balance(rows: list[dict]) -> np.ndarray:
    """Weights under which every set's derived pairs, and its unrelated pairs, count the same in
    all (STS's 2,500 sentence pairs would outweigh 93 Clough answers)."""
    counts: dict[tuple[str, bool], int] = {}
    for r in rows:
        counts[(r["set"], r["derived"])] = counts.get((r["set"], r["derived"]), 0) + 1
    w = np.array([1.0 / counts[(r["set"], r["derived"])] for r in rows])
    return w * len(rows) / w.sum()


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton's method, ridge on all but the intercept."""
    w = np.zeros(x.shape[1])
    penalty = RIDGE * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ (weight * (p - y)) + penalty @ w * len(y)
        hess = (x * (weight * p * (1 - p))[:, None]).T @ x + penalty * len(y)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def report(rows, prob, threshold, title) -> None:
    print(f"\n{title}")
    print("| set | group | derived pairs | recall | unrelated pairs | false positives |")
    print("| --- | --- | --- | --- | --- | --- |")
    keys = sorted({(r["set"], r["group"]) for r in rows}) + sorted({(r["set"], "all") for r in rows})
    for s, g in keys:
        idx = [k for k, r in enumerate(rows) if r["set"] == s and (g == "all" or r["group"] == g)]
        pos = [k for k in idx if rows[k]["derived"]]
        neg = [k for k in idx if not rows[k]["derived"]]
        rec = sum(prob[k] >= threshold for k in pos) / max(1, len(pos))
        fp = sum(prob[k] >= threshold for k in neg) / max(1, len(neg))
        print(f"| {s} | {g} | {len(pos)} | {rec:.3f} | {len(neg)} | {fp:.4f} |")


def choose_threshold(prob: np.ndarray, rows: list[dict]) -> float:
    """The lowest probability at which every document set's unrelated dev pairs called derived
    stay at or under FP_TARGET (none at all for a set of fewer than 200 such pairs)."""
    threshold = FLOOR
    for name in sorted({r["set"] for r in rows} - {"sts"}):
        neg = np.sort([p for p, r in zip(prob, rows) if r["set"] == name and not r["derived"]])
        if len(neg):
            allowed = int(math.floor(FP_TARGET * len(neg)))
            threshold = max(threshold, float(neg[len(neg) - allowed - 1]) + 1e-6)
    return threshold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", type=Path, default=ROOT / "out" / "judge_features.jsonl")
    ap.add_argument("--refresh", action="store_true", help="measure the evidence again")
    ap.add_argument("--write", action="store_true", help="write the fitted model to src/unspun/judge/model.json")
    ap.add_argument("--only", help="with --refresh: measure only this set again (sts, clough, frank, onestopenglish, sheepdog)")
    args = ap.parse_args()
    if args.refresh or not args.features.exists():
        args.features.parent.mkdir(parents=True, exist_ok=True)
        pairs = all_pairs()
        if args.only:
            kept = [r for r in load(args.features) if r["set"] != args.only]
            measure_all([p for p in pairs if p.set == args.only], args.features)
            fresh = load(args.features)
            with open(args.features, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r) + "\n" for r in kept + fresh)
        else:
            measure_all(pairs, args.features)
    rows = load(args.features)
    raw, y = design(rows), np.array([float(r["derived"]) for r in rows])
    dev = np.array([r["half"] == "dev" for r in rows])
    dev_rows = [r for r, d in zip(rows, dev) if d]
    mean, scale = raw[dev].mean(axis=0), raw[dev].std(axis=0) + 1e-9
    z = (raw[dev] - mean) / scale
    low, high = z.min(axis=0), z.max(axis=0)
    expand = lambda x: verdict.expand(x, mean, scale, low, high)  # noqa: E731
    w = fit(expand(raw[dev]), y[dev], balance(dev_rows))
    prob = 1.0 / (1.0 + np.exp(-np.clip(expand(raw) @ w, -50, 50)))
    threshold = choose_threshold(prob[dev], dev_rows)
    documents = np.array([r["set"] != "sts" for r in rows])
    negatives = np.sort(prob[dev & (y == 0) & documents])
    quantiles = np.quantile(negatives, np.linspace(0, 1, 401)) if len(negatives) else np.array([])
    print("features:", ", ".join(verdict.FEATURES))
    print(f"threshold {threshold:.4f}; {len(w)} coefficients; {int(dev.sum())} dev pairs")
    report(dev_rows, prob[dev], threshold, "dev half (fitted here: development figures)")
    report([r for r, d in zip(rows, dev) if not d], prob[~dev], threshold, "test half (held out)")
    if args.write:
        model = {
            "features": list(verdict.FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "low": low.round(6).tolist(), "high": high.round(6).tolist(), "coefficients": w.round(6).tolist(),
            "threshold": round(threshold, 6), "negatives": quantiles.round(6).tolist(),
            "fitted_on": f"{int(dev.sum())} dev pairs of tests/eval/rewrite_sets.py (benchmarks/calibrate_judge.py)",
        }
        verdict.MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {verdict.MODEL_FILE}")


if __name__ == "__main__":
    main()

"""Speed of `unspun compare` on the seed pair, beside a plain baseline, in one run.

    python benchmarks/compare.py [--repeat 7]

Rows:
  * fresh process: `python -m unspun.cli compare SEEDS --json`, start to exit (imports, model load,
    everything), and the baseline as a fresh process doing only its own work;
  * in-process, model loaded: `unspun.compare(...)` after one warm-up call, split into stages
    (the judge's column is the cost of its evidence: order, rare facts, copied 4-grams, the model);
    the embedder's sentence cache is emptied before each run, so every run embeds;
  * baseline: embed every sentence of both texts with the same model and take the best cosine
    match per rewrite sentence (no alignment, no judgement, no report).

Medians over --repeat runs. Timings are noisy on a shared 2-core machine; compare rows of one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "data" / "seeds"
SOURCE, REWRITE = SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt"

BASELINE = """
import sys, numpy as np
from unspun.represent import get_embedder
from unspun.segment import segment
a = open(sys.argv[1], encoding="utf-8").read(); b = open(sys.argv[2], encoding="utf-8").read()
sa = [a[s.span.start:s.span.end] for s in segment(a)]
sb = [b[s.span.start:s.span.end] for s in segment(b)]
v = get_embedder().embed(sb + sa)
best = (v[:len(sb)] @ v[len(sb):].T).argmax(axis=1)
"""


def fresh(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    import unspun
    from unspun.represent import get_embedder
    from unspun.segment import segment

    py = sys.executable
    rows = []
    rows.append(
        ("unspun compare, fresh process", fresh([py, "-m", "unspun.cli", "compare", str(SOURCE), str(REWRITE), "--json"], args.repeat), None)
    )
    rows.append(("baseline, fresh process", fresh([py, "-c", BASELINE, str(SOURCE), str(REWRITE)], args.repeat), None))

    unspun.compare(SOURCE, REWRITE)  # loads the model
    model = get_embedder()
    totals, stages = [], []
    for _ in range(args.repeat):
        model._cache.clear()  # the embedder remembers sentences: each run embeds afresh
        t0 = time.perf_counter()
        report = unspun.compare(SOURCE, REWRITE)
        totals.append(time.perf_counter() - t0)
        stages.append(report.timings)
    split = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
    rows.append(("unspun compare, in-process, model loaded", statistics.median(totals), split))

    base = []
    for _ in range(args.repeat):
        model._cache.clear()
        t0 = time.perf_counter()
        a, b = SOURCE.read_text(encoding="utf-8"), REWRITE.read_text(encoding="utf-8")
        sa = [a[s.span.start : s.span.end] for s in segment(a)]
        sb = [b[s.span.start : s.span.end] for s in segment(b)]
        v = model.embed(sb + sa)
        (v[: len(sb)] @ v[len(sb) :].T).argmax(axis=1)
        base.append(time.perf_counter() - t0)
    rows.append(("baseline, in-process, model loaded", statistics.median(base), None))

    print(f"seed pair: {SOURCE.name} ({len(SOURCE.read_text(encoding='utf-8'))} chars) vs "
          f"{REWRITE.name} ({len(REWRITE.read_text(encoding='utf-8'))} chars); median of {args.repeat}")
    print("| run | wall s | read | embed | judge (its evidence) | align + fidelity (+ clean, segment) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, total, split in rows:
        if split:
            rest = sum(v for k, v in split.items() if k not in ("read", "embed", "judge"))
            print(f"| {name} | {total:.3f} | {split['read']:.3f} | {split['embed']:.3f} | {split['judge']:.3f} | {rest:.3f} |")
        else:
            print(f"| {name} | {total:.3f} | - | - | - | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

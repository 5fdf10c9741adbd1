"""Cross-validated quality of the plain-text chrome detector (unspun.clean.chrome).

    python benchmarks/chrome_cv.py

The 91 pages of ../shared/data/article-extraction are split into 5 folds by their position in
id order, mod 5. For each fold, ChromeParams are fitted on the other four (a coordinate search
over tests/eval/article_extraction.GRID, maximising recall of "not body" lines while precision
stays at or above MIN_PRECISION) and scored on the held-out fold. Printed: per fold, the fitted
parameters' precision and recall there, beside the shipped defaults' on the same fold; the
pooled held-out figure (counts summed over folds); the parameters a fit on all pages chooses;
and, for scale, the best word-count threshold (every line of N words or fewer is chrome).
Takes about a minute.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root: tests.eval imports

from tests.eval.article_extraction import (  # noqa: E402
    FOLDS,
    chrome_pages,
    cross_validate,
    fit,
    fold_of,
    line_counts,
    precision_recall,
)

from unspun.clean.chrome import ChromeParams  # noqa: E402
from unspun.words import word_count  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "data" / "article-extraction"


def threshold_counts(pages, n: int) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for _, lines, gold in pages:
        for k, is_chrome in gold.items():
            predicted = word_count(lines[k - 1]) <= n
            tp += predicted and is_chrome
            fp += predicted and not is_chrome
            fn += (not predicted) and is_chrome
    return tp, fp, fn


def changed(params: ChromeParams) -> str:
    default = ChromeParams()
    diff = [f"{f.name}={getattr(params, f.name)}" for f in dataclasses.fields(params)
            if getattr(params, f.name) != getattr(default, f.name)]
    return ", ".join(diff) or "(the defaults)"


def main() -> int:
    if not ARTICLES.exists():
        print(f"evaluation data missing: {ARTICLES}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    pages = chrome_pages(ARTICLES)
    fold = fold_of(pages)
    results = cross_validate(pages)
    print(f"{len(pages)} pages, {FOLDS} folds (position in id order mod {FOLDS}); \"not body\" lines")
    print()
    print("| fold | pages | fitted P | fitted R | defaults P | defaults R | fitted parameters (vs defaults) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    pooled, pooled_default = [0, 0, 0], [0, 0, 0]
    for f, (params, counts, default_counts) in enumerate(results):
        p, r = precision_recall(*counts)
        dp, dr = precision_recall(*default_counts)
        pooled = [a + b for a, b in zip(pooled, counts)]
        pooled_default = [a + b for a, b in zip(pooled_default, default_counts)]
        print(f"| {f} | {fold.count(f)} | {p:.3f} | {r:.3f} | {dp:.3f} | {dr:.3f} | {changed(params)} |")
    p, r = precision_recall(*pooled)
    dp, dr = precision_recall(*pooled_default)
    print(f"| pooled held-out | {len(pages)} | {p:.3f} | {r:.3f} | {dp:.3f} | {dr:.3f} | |")
    print()
    best = fit(pages)
    bp, br = precision_recall(*line_counts(pages, best))
    print(f"fit on all pages: {changed(best)}: P {bp:.3f} R {br:.3f} (on the pages it was fitted on)")
    print()
    print("word-count threshold (every line of N words or fewer is chrome), all pages:")
    print("| N | P | R |")
    print("| --- | --- | --- |")
    for n in (1, 2, 5, 12, 20):
        tp, tr = precision_recall(*threshold_counts(pages, n))
        print(f"| {n} | {tp:.3f} | {tr:.3f} |")
    print()
    print(f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

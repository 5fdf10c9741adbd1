"""Cheap evidence first (align/cascade.py) beside embedding every sentence, on the same pairs in
one run: verdicts, reuse shares, passages, sentences embedded and time per pair.

    python benchmarks/cascade.py [--half dev|test|all] [--step N] [--sets sheepdog,onestopenglish,frank,clough,pan]

Pairs: the rewrite sets of tests/eval/rewrite_sets.py (each derived pair and each rewrite against
3 other sources of its set; every N-th rewrite), Clough's answers with their originals, and the
labelled pan13 pairs with, for each suspicious document, one unrelated source (the next pair's).
The cascade's thresholds were chosen on the dev half; the test half is held out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.eval import rewrite_sets  # noqa: E402

from unspun.eval.pan import pan_cases  # noqa: E402
from unspun.pipeline import compare  # noqa: E402
from unspun.read import read  # noqa: E402
from unspun.represent import get_embedder  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def pan_pairs() -> list[rewrite_sets.Pair]:
    folder = DATA / "pan13-verbatim"
    rows, _ = pan_cases(folder)  # (suspicious, source), in pairs.tsv's order
    out = []
    for k, (susp, src) in enumerate(rows):
        half = "dev" if k % 2 == 0 else "test"
        other = rows[(k + 2) % len(rows)][1]
        out.append(rewrite_sets.Pair("pan", "pan", folder / "src" / src, folder / "susp" / susp, True, half))
        if other != src:
            out.append(rewrite_sets.Pair("pan", "pan", folder / "src" / other, folder / "susp" / susp, False, half))
    return out


def pairs(sets: list[str], step: int) -> list[rewrite_sets.Pair]:
    found = {
        "sheepdog": lambda: rewrite_sets.sheepdog(DATA / "rewrites" / "sheepdog"),
        "onestopenglish": lambda: rewrite_sets.onestopenglish(DATA / "rewrites" / "onestopenglish"),
        "frank": lambda: rewrite_sets.frank(DATA / "rewrites" / "frank"),
        "clough": lambda: rewrite_sets.clough(DATA / "clough-stevenson"),
        "pan": pan_pairs,
    }
    out = []
    for name in sets:
        out += rewrite_sets.every(found[name](), step)
    return out


def run(pair, exhaustive: bool):
    source = read(pair.source) if isinstance(pair.source, Path) else pair.source
    rewrite = read(pair.rewrite) if isinstance(pair.rewrite, Path) else pair.rewrite
    get_embedder()._cache.clear()  # each pair pays for its own sentences, as in a scan
    t0 = time.perf_counter()
    report = compare(source, rewrite, exhaustive=exhaustive)
    seconds = time.perf_counter() - t0
    return report, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--step", type=int, default=5, help="every N-th rewrite of each set (default 5; an even N takes one half only)")
    ap.add_argument("--sets", default="sheepdog,onestopenglish,frank,clough,pan")
    args = ap.parse_args()
    chosen = [p for p in pairs(args.sets.split(","), args.step) if args.half in ("all", p.half)]
    get_embedder().embed(["The model loads before the clock starts."])
    rows: dict[str, dict] = {}
    for k, p in enumerate(chosen):
        full, t_full = run(p, True)
        fast, t_fast = run(p, False)
        r = rows.setdefault(p.set, {"pairs": 0, "derived": 0, "full_right": 0, "fast_right": 0, "verdicts": 0,
                                    "share": [], "passages": 0, "t_full": [], "t_fast": []})
        r["pairs"] += 1
        r["derived"] += p.derived
        r["full_right"] += (full.verdict != "non-derived") == p.derived
        r["fast_right"] += (fast.verdict != "non-derived") == p.derived
        r["verdicts"] += full.verdict != fast.verdict
        r["share"].append(abs(full.judgement.coverage["rewrite_share"] - fast.judgement.coverage["rewrite_share"]))
        r["passages"] += len(full.passages) != len(fast.passages)
        r["t_full"].append(t_full)
        r["t_fast"].append(t_fast)
        if (k + 1) % 25 == 0:
            print(f"{k + 1}/{len(chosen)}", file=sys.stderr, flush=True)
    print(f"half {args.half}, every {args.step}th rewrite; each pair compared both ways, the sentence cache emptied before each\n")
    print("| set | pairs | right, exhaustive | right, cascade | verdicts differing | passage counts differing | rewrite share moved (mean) | s/pair exhaustive (median) | s/pair cascade (median) | total s exhaustive | total s cascade |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in rows.items():
        print(f"| {name} | {r['pairs']} | {r['full_right']} | {r['fast_right']} | {r['verdicts']} | {r['passages']} | "
              f"{statistics.mean(r['share']):.3f} | {statistics.median(r['t_full']):.3f} | {statistics.median(r['t_fast']):.3f} | "
              f"{sum(r['t_full']):.1f} | {sum(r['t_fast']):.1f} |")


if __name__ == "__main__":
    main()

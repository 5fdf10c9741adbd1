"""Text alignment on ../shared/data/pan13-verbatim, scored as PAN does (plagdet).

    python benchmarks/pan_align.py [--pairs N]

Every (suspicious, source) pair of pairs.tsv is compared with `unspun.compare` (site chrome kept:
these are not pasted web pages, and PAN's cases may lie in what looks like chrome); the passages
are scored against cases.jsonl with character-level precision, recall, granularity and plagdet,
over all pairs together. For scale: a published PAN-2015 system (Sanchez-Perez et al., their own
code) scores plagdet 0.860 (P 0.927, R 0.894, granularity 1.082) on this half.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from unspun.eval.pan import pan_cases, pan_detections, plagdet

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pan13-verbatim"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=0, help="only the first N pairs (default: all)")
    args = ap.parse_args()
    pairs, cases = pan_cases(DATA)
    if args.pairs:
        pairs = pairs[: args.pairs]
    keys = {f"{a}|{b}" for a, b in pairs}
    cases = [c for c in cases if c[0] in keys]
    t0 = time.perf_counter()
    found = pan_detections(pairs, DATA)
    seconds = time.perf_counter() - t0
    m = plagdet(cases, found)
    print(f"{len(pairs)} pairs, {len(cases)} cases, {len(found)} passages, {seconds:.0f} s ({seconds / len(pairs):.2f} s a pair)")
    print("| system | precision | recall | granularity | plagdet |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| unspun compare | {m['precision']:.3f} | {m['recall']:.3f} | {m['granularity']:.3f} | {m['plagdet']:.3f} |")
    print("| Sanchez-Perez et al. (PAN 2015), as published for this half | 0.927 | 0.894 | 1.082 | 0.860 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

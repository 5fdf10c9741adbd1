"""Fidelity against people: unspun's flags on FRANK's system summaries beside people's error labels.

    python benchmarks/frank_fidelity.py [--half all|dev|test] [--limit N]

Every system summary of ../shared/data/rewrites/frank (1,133, tests/eval/frank.py) is compared
with its article. A summary is flagged when the report has a changed fact or added content (an
unaligned sentence or an unsupported claim); it is in error when people found a wrong entity,
circumstance or relation, or information not in the article. Printed per half and per corpus
(CNN/DailyMail, BBC XSum):

* balanced accuracy of the flags (the mean of the recall on summaries in error and the
  specificity on the rest), precision and recall;
* the share of fully factual summaries (factuality 1) flagged;
* the AUC of ``fidelity.unsupported_share`` as a per-summary score;
* in the same run, a baseline: the share of the summary's words (every word, as written) that
  its article never uses, as a score (its AUC), and as a flag at the threshold that is best in
  hindsight on the same summaries (a flattering baseline).

``MIN_WORDS`` in src/unspun/fidelity/support.py was chosen on the dev half (articles at even
positions in name order); the test half took no part. For scale, on AggreFact's CNN/DM and
XSum parts, ROUGE-L reaches an AUC of 0.69 and 0.47 and MiniCheck-T5-L 0.67 and 0.77
(raunak-agarwal/factual-consistency-eval, docs/dataset-results.md): other summaries, so not
side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.eval.frank import auc, flag_rates, flagged, readable, summaries  # noqa: E402

import unspun  # noqa: E402
from unspun.words import tokens  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "rewrites" / "frank"


def novel_share(article: str, summary: str) -> float:
    seen = set(tokens(article))
    words = tokens(summary)
    return sum(w not in seen for w in words) / len(words) if words else 0.0


def rates(rows, decide):
    return flag_rates([r["in_error"] for r in rows], [r["factual"] for r in rows], [decide(r) for r in rows])


def best_threshold(rows) -> float:
    candidates = sorted({r["baseline"] for r in rows})
    return max(candidates, key=lambda t: rates(rows, lambda r: r["baseline"] >= t)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--half", default="all", choices=["all", "dev", "test"])
    ap.add_argument("--limit", type=int, default=0, help="only the first N summaries (a quick look)")
    ap.add_argument("--dump", type=Path, help="write each summary's flags and findings here (JSONL)")
    args = ap.parse_args()
    items = summaries(DATA, args.half)
    if args.limit:
        items = items[: args.limit]
    rows = []
    t0 = time.perf_counter()
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for s in items:
        article = s.article.read_text(encoding="utf-8")
        summary = readable(s.summary.read_text(encoding="utf-8"))
        d = unspun.compare(article, summary).to_dict()
        row = {
            "summary": s.summary.name, "half": s.half, "corpus": s.corpus, "in_error": s.in_error,
            "factual": s.factual, "flagged": flagged(d), "score": d["fidelity"].get("unsupported_share") or 0.0,  # absent in older versions
            "baseline": novel_share(article, summary),
        }
        rows.append(row)
        if dump:
            dump.write(json.dumps({**row, "fidelity": d["fidelity"]}, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - t0
    print(f"FRANK system summaries: {len(rows)} compared in {seconds:.0f} s ({1000 * seconds / max(1, len(rows)):.0f} ms each)\n")
    print("| subset | n | in error | unspun: balanced acc. | P | R | fully factual flagged | AUC unsupported_share "
          "| baseline AUC (new words) | baseline balanced acc. (threshold in hindsight) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, subset in (
        ("all", rows),
        *((h, [r for r in rows if r["half"] == h]) for h in ("dev", "test")),
        *((c, [r for r in rows if r["corpus"] == c]) for c in ("cnndm", "xsum")),
    ):
        if not subset:
            continue
        ba, p, r, ff = rates(subset, lambda x: x["flagged"])
        labels = [x["in_error"] for x in subset]
        t = best_threshold(subset)
        bba = rates(subset, lambda x, t=t: x["baseline"] >= t)[0]
        print(f"| {name} | {len(subset)} | {sum(labels)} | {ba:.3f} | {p:.3f} | {r:.3f} | {ff:.3f} "
              f"| {auc([x['score'] for x in subset], labels):.3f} | {auc([x['baseline'] for x in subset], labels):.3f} | {bba:.3f} |")


if __name__ == "__main__":
    main()

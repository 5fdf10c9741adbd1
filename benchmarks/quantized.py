"""MiniLM with int8 weights beside the fp32 model it is made from, in one run.

    python benchmarks/quantized.py [--sentences 1500] [--pairs 20]

Rows, for each model:
  * sentences a second: --sentences body sentences of pan13-verbatim's first sources, embedded
    uncached after a warm-up batch;
  * agreement with fp32: the cosine of each sentence's vector with its fp32 vector (median, 1st
    percentile), and how far the cosine of every sentence pair moves (mean, standard deviation);
  * `unspun.compare` on --pairs labelled pan13 pairs (source, suspicious document), cache emptied
    before each, in-process: seconds per pair, the share of it spent embedding, and how many
    verdicts and passages differ from fp32's.
The quality gates are what decide whether a model may be the default; see benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pan13-verbatim"
MODELS = ("minilm", "minilm-int8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=1500)
    ap.add_argument("--pairs", type=int, default=20)
    args = ap.parse_args()

    from unspun.pipeline import compare, prepare
    from unspun.represent import get_embedder

    texts: list[str] = []
    for path in sorted((DATA / "src").iterdir()):
        texts += prepare(path, "x").texts
        if len(texts) >= args.sentences:
            break
    texts = texts[: args.sentences]
    rows = [line.split("\t") for line in (DATA / "pairs.tsv").read_text().splitlines()[1:] if line]
    pairs = [(DATA / "src" / s.strip(), DATA / "susp" / q) for q, s in rows[: args.pairs]]

    vectors, speed, runs = {}, {}, {}
    for name in MODELS:
        model = get_embedder(name)
        model.embed(texts[:32])  # loads (and for int8, makes once) the model
        model._cache.clear()
        t0 = time.perf_counter()
        vectors[name] = model.embed(texts)
        speed[name] = len(texts) / (time.perf_counter() - t0)
        seconds, embed, reports = [], [], []
        for source, query in pairs:
            model._cache.clear()
            t0 = time.perf_counter()
            report = compare(source, query, model=name)
            seconds.append(time.perf_counter() - t0)
            embed.append(report.timings.get("embed", 0.0))
            reports.append(report)
        runs[name] = (seconds, embed, reports)

    ref = vectors["minilm"]
    ref_cos = ref @ ref.T
    upper = np.triu_indices(len(texts), 1)
    print(f"{len(texts)} sentences, {len(pairs)} pan13 pairs\n")
    print("| model | sentences/s | vector cos to fp32 (median, p1) | pair cosine moved (mean, sd) "
          "| compare s/pair (median) | embedding share | verdicts differing | passages differing |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in MODELS:
        v = vectors[name]
        own = (v * ref).sum(axis=1)
        moved = (v @ v.T - ref_cos)[upper]
        seconds, embed, reports = runs[name]
        verdicts = sum(a.verdict != b.verdict for a, b in zip(reports, runs["minilm"][2]))
        passages = sum(len(a.passages) != len(b.passages) for a, b in zip(reports, runs["minilm"][2]))
        print(f"| {name} | {speed[name]:.0f} | {np.median(own):.4f}, {np.quantile(own, 0.01):.4f} "
              f"| {moved.mean():+.4f}, {moved.std():.4f} | {statistics.median(seconds):.3f} "
              f"| {sum(embed) / sum(seconds):.0%} | {verdicts} | {passages} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The whole trace path on ../shared/data/pan13-verbatim: retrieval and alignment scored together.

    python benchmarks/trace_pan.py [--queries N] [--index DIR]

An index of the 1,949 source documents (built in a tmp folder, or DIR if it holds one), then
suspicious documents traced as `unspun trace` does (site chrome kept, as PAN's documents are not
web pages), three times in the same run:
  * baseline: the trace before issue 15, its 5 best candidates verified (`until_explained=False`);
  * unspun: verification until the query is explained, at most --verify 20 (the CLI's default),
    with the int8 MiniLM (the default model since issue 15), every sentence embedded
    (UNSPUN_EXHAUSTIVE=1) and with cheap evidence first (align/cascade.py, the default);
  * the same against an index built `--vectors` (--vectors-index DIR, built there if empty, and
    its build timed): the sources' sentence vectors come from the index, only the query is
    embedded (represent/stored.py).
Every verified derived source's passages are detections, scored with PAN's plagdet against every
labelled case of the traced documents, as labelled and "judged" (passages of unlisted sources
sharing 25 words in a row set aside: real reuse that pan13-verbatim does not label; see
unspun.eval.pan.pan_trace), and on the listed pairs only (as PAN scores text alignment); recall@20 of the sources as listed; trace seconds p50 and p95; and the
time MiniLM takes to embed the query's sentences once (uncached), with the ratio of the two p50s;
then, per row, where a trace's time goes by its own timer: the candidates, the query's embedding
(a stage of its own against an index built --vectors) and the verification.
Each trace starts with the sentence models' caches empty (MiniLM's and the multilingual codes'),
as one `unspun trace` process does.
--queries N takes N suspicious documents spread evenly over the 77 (default: all); --only picks
rows (before, exhaustive, cascade, vectors; default: all).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pan13-verbatim"


class _Fresh:
    """The index, its traces each started with the sentence model's cache empty: as `unspun trace`
    runs, one query a process (and so that one pass does not inherit the other's vectors)."""

    def __init__(self, index) -> None:
        self.index = index
        self.stages: list[dict[str, float]] = []  # each trace's seconds by stage

    def trace(self, *args, **kwargs):
        from unspun.represent.embedder import get_embedder

        # The multilingual model's too (the translated channel's query codes): pan13's queries
        # share copied sentences, and a warm cache hid part of that channel's cost.
        for name in ("minilm", "minilm-int8", "use"):
            get_embedder(name)._cache.clear()
        result = self.index.trace(*args, **kwargs)
        self.stages.append(result.timings)
        return result

    def __getattr__(self, name):
        return getattr(self.index, name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=0, help="suspicious documents traced, spread evenly (default: all)")
    ap.add_argument("--index", type=Path, default=None, help="an index of src/ to use (built there if empty)")
    ap.add_argument("--vectors-index", type=Path, default=None,
                    help="an index of src/ built --vectors to use (built there if empty)")
    ap.add_argument("--only", default="before,exhaustive,cascade,vectors", help="rows to run, comma-separated")
    args = ap.parse_args()

    from unspun.eval.pan import pan_cases, pan_trace
    from unspun.read import iter_documents, read
    from unspun.represent.embedder import get_embedder
    from unspun.retrieve import VERIFY, VERIFY_CLI
    from unspun.segment import body_segments
    from unspun.store import Index
    from unspun.timing import percentile

    pairs, cases = pan_cases(DATA)
    names = sorted({a for a, _ in pairs})
    if args.queries and args.queries < len(names):
        step = len(names) / args.queries
        names = [names[int(k * step)] for k in range(args.queries)]
    chosen = set(names)
    mine = [p for p in pairs if p[0] in chosen]
    only = set(args.only.split(","))
    tmp = Path(tempfile.mkdtemp())
    where = {"plain": args.index or tmp / "idx", "vectors": args.vectors_index or tmp / "idx-vectors"}
    wanted = {"plain": bool(only - {"vectors"}), "vectors": "vectors" in only}  # an index a row runs on
    for kind, path in where.items():
        if not wanted[kind]:
            continue
        with Index(path) as ix:
            # An index whose vectors another version of the model made (an older unspun) gets
            # them made again: a trace would embed those sources and time something else.
            if not len(ix) or (kind == "vectors" and ix.stats()["documents_with_stale_vectors"]):
                t0 = time.perf_counter()
                ix.add(iter_documents([DATA / "src"]), jobs=2, vectors=kind == "vectors")
                print(f"indexed {len(ix)} documents ({kind}) in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    rows = {}
    stages: dict[str, list[dict[str, float]]] = {}
    for key, kind, label, exhaustive, options in (
        ("before", "plain", f"before: {VERIFY} best candidates verified, fp32, every sentence embedded", True,
         {"verify": VERIFY, "until_explained": False, "model": "minilm"}),
        ("exhaustive", "plain", f"until explained, --verify {VERIFY_CLI}, int8, every sentence embedded", True,
         {"verify": VERIFY_CLI, "model": "minilm-int8"}),
        ("cascade", "plain", f"until explained, --verify {VERIFY_CLI}, int8, cheap evidence first (the default)", False,
         {"verify": VERIFY_CLI, "model": "minilm-int8"}),
        ("vectors", "vectors", "the same, index built --vectors (only the query embedded)", False,
         {"verify": VERIFY_CLI, "model": "minilm-int8"}),
    ):
        if key not in only:
            continue
        with Index(where[kind], create=False) as ix:
            ix.trace(DATA / "susp" / names[0], top=1, verify=1)  # models and codes loaded before timing
            seconds: list[float] = []
            # UNSPUN_EXHAUSTIVE: every sentence embedded, as before the cascade (align/cascade.py)
            os.environ["UNSPUN_EXHAUSTIVE"] = "1" if exhaustive else "0"
            t0 = time.perf_counter()
            fresh = _Fresh(ix)
            rows[label] = (pan_trace(fresh, DATA, mine, cases, timings=seconds, **options), seconds)
            stages[label] = fresh.stages
            print(f"{label}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    os.environ.pop("UNSPUN_EXHAUSTIVE", None)
    embeds: dict[str, list[float]] = {"minilm": [], "minilm-int8": []}
    for model, times in embeds.items():
        embedder = get_embedder(model)
        embedder.embed(["warm up"])
        for name in names:
            query = read(DATA / "susp" / name)
            query.chrome = []
            sentences = [s.text(query.text) for s in body_segments(query)]
            t = time.perf_counter()
            embedder._embed(sentences)  # uncached: the query's sentences embedded once
            times.append(time.perf_counter() - t)
    embed_p50 = statistics.median(embeds["minilm"])
    int8_p50 = statistics.median(embeds["minilm-int8"])
    print(f"\npan13-verbatim: {len(names)} suspicious documents traced, {len(mine)} labelled pairs, "
          f"{sum(1 for c in cases if c[0].split('|')[0] in chosen)} labelled cases; MiniLM embeds a query's "
          f"sentences once in {embed_p50:.2f} s p50 ({percentile(embeds['minilm'], 0.95):.2f} s p95), "
          f"its int8 model (the default) in {int8_p50:.2f} s p50\n")
    print("| trace | verified / query | plagdet | precision | recall | granularity | judged plagdet (P, R) "
          "| listed pairs plagdet (P, R) | recall@20 | p50 s | p95 s | p50 / embed | p50 / embed int8 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, (m, seconds) in rows.items():
        p50 = statistics.median(seconds)
        print(f"| {label} | {m['trace_verified_per_query']:.1f} | {m['trace_plagdet']:.3f} | {m['trace_precision']:.3f} "
              f"| {m['trace_recall']:.3f} | {m['trace_granularity']:.3f} | {m['judged_trace_plagdet']:.3f} "
              f"({m['judged_trace_precision']:.3f}, {m['judged_trace_recall']:.3f}) | {m['listed_trace_plagdet']:.3f} "
              f"({m['listed_trace_precision']:.3f}, {m['listed_trace_recall']:.3f}) | {m['trace_recall@20']:.3f} "
              f"| {p50:.2f} | {percentile(seconds, 0.95):.2f} | {p50 / embed_p50:.1f} | {p50 / int8_p50:.1f} |")
    # Where a trace's time goes (its own timer): the query's embedding is a stage of its own only
    # against an index that keeps the model's vectors; elsewhere the model runs inside "verify".
    print("\n| trace | candidates p50 s (p95) | query embedded p50 s (p95) | verify p50 s (p95) |")
    print("| --- | --- | --- | --- |")
    for label, timings in stages.items():
        cells = []
        for stage in ("candidates", "embed", "verify"):
            values = [t.get(stage, 0.0) for t in timings]
            cells.append(f"{statistics.median(values):.2f} ({percentile(values, 0.95):.2f})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

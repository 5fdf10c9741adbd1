"""Benchmark of `unspun scan`: unspun's local engine, unspun on Spark (local mode) and a plain
MinHash-LSH baseline (datasketch), side by side, on the evaluation corpus (pan13-verbatim src/ and
susp/, clough-stevenson, seeds), at two sizes: half of it (every other document by id) and all
of it. Prints, for each: wall time, peak memory (resident, the whole process tree: Spark's JVM and
its Python workers included), pairs found, and recall and precision of the known derived pairs
(rules in unspun/scan/evaluate.py; at half size, the known pairs whose two documents are in it).

The baseline: MinHash (128 permutations) over each document's word 8-gram shingles, LSH at
Jaccard threshold 0.1 with the banding datasketch picks, every colliding pair reported (no
verification): the cheap near-duplicate pass that data teams run today. 0.1 because rewrites and
copied passages have a small Jaccard similarity as wholes: on the full corpus, 0.5 (the usual
near-duplicate setting) finds 5 of the 311 known pairs, 0.3 finds 14, 0.1 finds 57.

    .venv/bin/python benchmarks/scan.py            # both sizes: local, Spark, MinHash
    .venv/bin/python benchmarks/scan.py --sizes half --only local,local-exhaustive,minhash

``local-exhaustive`` is the local engine with every sentence of every pair embedded
(UNSPUN_EXHAUSTIVE=1), as verification was before cheap evidence first (align/cascade.py).
Each row also gives its time as a multiple of MinHash's at the same size, and the scan's stages.

Each run is a child process of its own, so times include loading the models (and starting Spark).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root: tests.eval imports
DATA = ROOT.parent / "shared" / "data"
FOLDERS = [DATA / "pan13-verbatim" / "src", DATA / "pan13-verbatim" / "susp", DATA / "clough-stevenson", DATA / "seeds"]
THRESHOLD = 0.1
PERMUTATIONS = 128


def corpus(size: str):
    """The ids, and the documents read lazily (as `unspun scan` reads them: the local engine
    never holds them all). Half: every other document by id, picked in a first pass."""
    from unspun.read import iter_documents

    ids = sorted(d.id for d in iter_documents(FOLDERS))
    keep = set(ids[::2] if size == "half" else ids)
    return keep, (d for d in iter_documents(FOLDERS) if d.id in keep)


def run_one(kind: str, size: str) -> dict:
    """In the child: scan, score, return the figures."""
    from tests.eval.scan_sets import known_pairs, score

    ids, docs = corpus(size)
    known = {k for k in known_pairs(DATA) if k <= ids}
    t0 = time.perf_counter()
    if kind == "minhash":
        pairs = minhash_pairs(list(docs))
        candidates = len(pairs)
    else:
        from unspun.scan import LocalEngine, SparkEngine, scan

        if kind == "local-exhaustive":  # every sentence of every pair embedded (align/cascade.py)
            os.environ["UNSPUN_EXHAUSTIVE"] = "1"
        engine = SparkEngine(master="local[*]") if kind == "spark" else LocalEngine(jobs=os.cpu_count() or 1)
        result = scan(docs, engine)
        pairs, candidates = result.pairs, result.candidates
        stages = {k: round(v, 1) for k, v in result.timings.items()}
        if kind == "spark":
            engine.stop()
    seconds = time.perf_counter() - t0
    figures = score(pairs, known)
    figures.pop("wrong_pairs")
    return {"engine": kind, "size": size, "documents": len(ids), "seconds": round(seconds, 1),
            "candidates": candidates, "stages": stages if kind != "minhash" else {}, **figures}


def minhash_pairs(docs) -> list[dict]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    sketches = {}
    word = re.compile(r"\w+")
    for doc in docs:
        words = word.findall(doc.text.lower())
        shingles = {" ".join(words[k : k + 8]).encode("utf-8") for k in range(max(1, len(words) - 7))}
        m = MinHash(num_perm=PERMUTATIONS)
        m.update_batch(list(shingles))
        sketches[doc.id] = m
        lsh.insert(doc.id, m)
    found = set()
    for doc_id, m in sketches.items():
        for other in lsh.query(m):
            if other != doc_id:
                found.add(tuple(sorted((doc_id, other))))
    return [{"original": a, "derived": b, "direction": "unknown"} for a, b in sorted(found)]


class PeakMemory:
    """The peak resident memory of a process and all its children together, sampled every 0.25 s
    by a thread while it runs: ``with PeakMemory(proc.pid) as peak: proc.wait()``, then
    ``peak.mb``. (benchmarks/generated_corpus.py measures its children the same way.)"""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> int:
        return round(self.peak / 2**20)

    def _sample(self) -> None:
        import psutil

        parent = psutil.Process(self.pid)
        while not self._stop.is_set():
            try:
                total = 0
                for p in [parent, *parent.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.25)


def measure(kind: str, size: str) -> dict:
    """Runs one child; samples the resident memory of its whole process tree."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, size], stdout=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as peak:
        out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{kind} at {size} failed ({proc.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["peak_mb"] = peak.mb
    return figures


def direction(r: dict) -> str:
    if r["engine"] == "minhash":
        return "-"  # gives none
    return f"{r['direction_right']}/{r['direction_wrong']}/{r['direction_unknown']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="half,full")
    parser.add_argument("--only", default="local,spark,minhash", help="engines: local, local-exhaustive, spark, minhash")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(*args.child)))
        return
    rows = []
    header = (f"{'engine':<16} {'size':<5} {'docs':>5} {'time s':>7} {'x minhash':>9} {'peak MB':>8} {'cands':>6} {'pairs':>6} "
              f"{'recall':>7} {'precision':>9} {'direction r/w/u':>15}  prepare / candidates / verify s")
    print(header)
    for size in args.sizes.split(","):
        # MinHash first: every other row is measured against it
        kinds = sorted(args.only.split(","), key=lambda k: k != "minhash")
        for kind in kinds:
            r = measure(kind, size)
            rows.append(r)
            base = next((x["seconds"] for x in rows if x["engine"] == "minhash" and x["size"] == size), None)
            ratio = f"{r['seconds'] / base:.1f}" if base else "-"
            st = r.get("stages") or {}
            parts = " / ".join(f"{st.get(k, 0):.1f}" for k in ("prepare", "candidates", "verify")) if st else "-"
            print(f"{r['engine']:<16} {r['size']:<5} {r['documents']:>5} {r['seconds']:>7.1f} {ratio:>9} {r['peak_mb']:>8} "
                  f"{r['candidates']:>6} {r['pairs']:>6} {r['recall']:>7.3f} {r['precision']:>9.3f} "
                  f"{direction(r):>15}  {parts}", flush=True)
    for kind in {r["engine"] for r in rows}:
        by_size = {r["size"]: r["seconds"] for r in rows if r["engine"] == kind}
        if "half" in by_size and "full" in by_size:
            print(f"{kind}: the full corpus takes {by_size['full'] / by_size['half']:.2f} times the half")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()

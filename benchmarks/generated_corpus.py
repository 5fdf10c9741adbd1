"""Benchmark of `unspun scan` on a generated corpus of up to 50,000 documents: real English
sentences from ../shared/data shuffled into synthetic documents, with real derived pairs planted
among them. It shows how the local engine's time, memory and candidates grow with the corpus, and
whether the planted pairs are still found among many unrelated documents.

What it builds (deterministic for a ``--seed``; written to ``--work DIR``):

* **Background documents**: the sentences (the project's own segmenter, ``unspun.segment``) of
  pan13-verbatim ``src/`` and ``susp/``, the sources of rewrites/sheepdog, the advanced-level
  articles of rewrites/onestopenglish, the articles of rewrites/frank, the annotated bodies of
  article-extraction, the English references of crosslingual/wmt22-ru-en and the English NTREX
  documents, and the first sentence of each stsbenchmark pair (its lower-cased captions and
  headlines nearly all fail the rules below). Only one text per derived group
  goes in (a source, never its rewrites; one side of an STS pair), so that no two background
  sentences are rewrites of each other. A sentence is kept if it has 5 to 80 words, starts with a
  capital, digit or opening quote, ends with . ! ? or ..., and is mostly words (at least 70 % of
  its tokens letters only: no poll-table rows, no PDF debris); exact duplicates are dropped, and
  so is any sentence sharing a word 8-gram with a sentence kept before it or with a planted
  document (copied fragments, e.g. pan13's verbatim cases, would otherwise be unplanted reuse).
  The pool is shuffled and dealt out, each sentence at most once, into documents of 8 to 25
  sentences (paragraphs of 1 to 3 sentences). **The pool is far too small for that at 50,000
  documents**: with seed 0 it holds 82,250 sentences, 49,300 background documents of 8 to 25
  sentences would need some 815,000. Then every background document gets the floor or the
  ceiling of (pool / background documents) sentences, so that no sentence is used twice: at
  50,000 documents, 1 or 2 sentences (mean 1.63), snippets rather than news articles. Shorter
  documents rather than sentences reused: a sentence shared by unrelated documents is real reuse
  that the scan should report, and reuse at the rate needed (each sentence in some 10 documents)
  makes every document share sentences with dozens of others (measured with ``--reuse``: 85,694
  candidate pairs at 12,500 documents and 431,940 at 25,000, against 377 and 1,493 without).
  ``--reuse`` deals the pool again instead (reshuffled each pass) and reports the rate;
  ``--doc-sentences LO,HI`` sets the range.
* **Planted pairs**, the ground truth (``DIR/planted.tsv``), one per ``--rewrite-every``
  documents and one verbatim copy per ``--verbatim-every``:
  - rewrites: labelled derived pairs of ../shared/data/rewrites, each a source with ONE of its
    rewrites, so that no two planted documents are sibling rewrites: sheepdog (a PolitiFact item
    and one ChatGPT rewrite, its style drawn at random), onestopenglish (a Guardian article and
    its intermediate or elementary version) and frank (an article and its publisher's summary,
    ``reference``). Sheepdog sources that are one text scraped twice (``same_text``, as in
    tests/eval/rewrite_sets.py) are planted at most once. The groups are shuffled together, so
    each size holds the three sets in about their proportions;
  - verbatim copies: a document of 8 to 14 pool sentences, and another of 4 to 8 other pool
    sentences with a run of 3 to 5 consecutive sentences of the first copied into it, whole.
  Planted texts are the files as they are; the sentences of planted groups never enter the pool.
* **Sizes** (``--sizes``, default 12,500, 25,000 and 50,000 documents, planted ones included)
  are prefixes of one sequence: the larger corpus holds the smaller, plants spread evenly
  through it, so each size holds plants in proportion. The corpus is written as JSON Lines
  (``id``, ``text``; ids ``g0000001``... say nothing of what a document is) in one file per step
  between sizes, ``DIR/corpus/part-*.jsonl``; a size is scanned as the files up to it.
  ``DIR/documents.tsv`` says what each document is and how many sentences it has.

What it measures, for each size: ``unspun scan FILES --out DIR/scan-N --format jsonl --jobs 2``
(the local engine) as a child process, run through ``unspun.cli.main`` with one hook that also
saves the scan's stage timings (prepare / candidates / verify; the CLI does not print them). Time
is the child's wall time (model loading, reading, writing included); peak MB the resident memory
of the child and its workers together, sampled every 0.25 s as benchmarks/scan.py does. Recall is
the share of the planted pairs of that size found, in either order; "other pairs" are the pairs
found that are not planted (written with the reused text of each, for checking by eye, to
``DIR/scan-N/other_pairs.jsonl``; ``kinds`` says what their two documents are). With documents
of one or two sentences, one similar sentence makes a pair: most other pairs are two sentences of
one original page or transcript dealt into two documents, templated lines, or formulaic or
topical sentences (nobody planted them, but some are real restatements). Direction r/w/u:
of the planted pairs found whose original is known (the rewrite's source; the document copied
from), the scan's direction right, wrong, unknown. The MinHash-LSH row is benchmarks/scan.py's
baseline (``minhash_pairs``: 128 permutations over word 8-gram shingles, Jaccard threshold 0.1,
no verification) in a child process of its own; "x MinHash" is a time over MinHash's at that size.

    .venv/bin/python benchmarks/generated_corpus.py                       # 12,500, 25,000, 50,000
    .venv/bin/python benchmarks/generated_corpus.py --sizes 2000,4000      # a quick try
    .venv/bin/python benchmarks/generated_corpus.py --build-only --work /tmp/gc   # the corpus only

One scan at a time, each with ``--jobs`` workers (default 2). Times are of whatever machine runs
it, with whatever else runs there.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root: tests.eval imports
DATA = ROOT.parent / "shared" / "data"
REWRITES = DATA / "rewrites"
DEFAULT_WORK = Path("/tmp/unspun-generated-corpus")

MIN_WORDS, MAX_WORDS = 5, 80  # a pool sentence's words
GRAM = 8  # a pool sentence shares no word 8-gram with a kept one or a planted document
_START = re.compile(r"""^["'“‘(\[]?[A-Z0-9]""")
_END = re.compile(r"""[.!?…]["'”’)\]]*$""")

# The hook that runs the real CLI and also saves the scan's result figures (stage timings).
SCAN_CHILD = """
import json, os, sys
import unspun.cli.scanning as scanning
from unspun.cli import main
summary = scanning._summary
def hooked(result, *args, **kwargs):
    with open(os.environ["GENERATED_CORPUS_STAGES"], "w", encoding="utf-8") as f:
        json.dump({"timings": result.timings, "candidates": result.candidates, "documents": result.documents,
                   "seconds": result.seconds}, f)
    summary(result, *args, **kwargs)
scanning._summary = hooked
sys.exit(main(sys.argv[1:]))
"""


# -- sentences ---------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The text's sentences by the project's segmenter, whitespace made single spaces."""
    from unspun.segment import segment

    return [" ".join(s.text(text).split()) for s in segment(text) if s.kind == "sentence"]


def mostly_words(words: list[str]) -> bool:
    """At least 70 % of the tokens letters only, and a quarter words of 3 letters or more: not a
    table row ("FOX/Opinion Dynamics RV 11/17-18/09 26 63 11 -37 .") nor PDF debris."""
    letters = [w for w in words if w.isalpha()]
    return len(letters) >= 0.7 * len(words) and sum(1 for w in letters if len(w) >= 3) >= 0.25 * len(words)


def grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[k : k + GRAM]) for k in range(len(words) - GRAM + 1)}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


# -- planted rewrites --------------------------------------------------------------------------


@dataclass
class Group:
    """A labelled source with its rewrites (rows of a set's pairs.tsv)."""

    set: str
    source: str
    rewrites: list[tuple[str, str]] = field(default_factory=list)  # (file, kind)

    def path(self, name: str) -> Path:
        return REWRITES / self.set / "docs" / name


def rewrite_groups() -> list[Group]:
    """Every labelled group of sheepdog, onestopenglish and frank (frank: the publishers'
    ``reference`` summaries), sheepdog sources that are one text kept once."""
    from unspun.represent.lexical import ngrams
    from unspun.words import tokens

    out = []
    for name in ("sheepdog", "onestopenglish", "frank"):
        groups: dict[str, Group] = {}
        with open(REWRITES / name / "pairs.tsv", newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                if name == "frank" and r["kind"] != "reference":
                    continue
                groups.setdefault(r["source"], Group(name, r["source"])).rewrites.append((r["rewrite"], r["kind"]))
        kept: list[tuple[Group, frozenset]] = []
        for g in sorted(groups.values(), key=lambda g: g.source):
            # tests/eval/rewrite_sets.same_text's rule (half of the shorter one's word 5-grams in
            # the other: a page scraped twice, so a rewrite of one is derived from the other too),
            # each source's 5-grams computed once.
            mine = ngrams(tokens(read(g.path(g.source))), 5)
            if any(mine and other and len(mine & other) >= 0.5 * min(len(mine), len(other)) for _, other in kept):
                continue
            kept.append((g, mine))
        out.extend(g for g, _ in kept)
    return out


def group_sources(groups: list[Group]) -> set[str]:
    return {f"{g.set}/{g.source}" for g in groups}


# -- the pool ------------------------------------------------------------------------------------


def pool_texts(skip: set[str]) -> list[tuple[str, str]]:
    """(origin, text) of every background text: one text per derived group; ``skip`` the
    planted groups' sources (set/file)."""
    out: list[tuple[str, str]] = []
    for folder in ("src", "susp"):
        for p in sorted((DATA / "pan13-verbatim" / folder).iterdir()):
            out.append((f"pan13/{folder}", read(p)))
    for g in rewrite_groups_all():
        if f"{g.set}/{g.source}" not in skip:
            out.append((g.set, read(g.path(g.source))))
    with open(DATA / "article-extraction" / "truth.jsonl", encoding="utf-8") as f:
        out.extend(("article-extraction", json.loads(line)["body"]) for line in f if line.strip())
    for p in sorted((DATA / "crosslingual" / "wmt22-ru-en" / "docs" / "ref").iterdir()):
        out.append(("wmt22-ref", read(p)))
    for p in sorted((DATA / "crosslingual" / "ntrex128" / "docs" / "eng").iterdir()):
        out.append(("ntrex-eng", read(p)))
    for name in ("sts-train.csv", "sts-dev.csv"):
        with open(DATA / "stsbenchmark" / name, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 7:
                    out.append(("stsbenchmark", row[5]))  # one side of each pair: the other may restate it
    return out


def rewrite_groups_all() -> list[Group]:
    """Every source of the three sets (the same-text duplicates too: the 8-gram rule drops a
    copy of a planted one), for the pool."""
    out = []
    for name in ("sheepdog", "onestopenglish", "frank"):
        with open(REWRITES / name / "pairs.tsv", newline="", encoding="utf-8") as f:
            sources = sorted({r["source"] for r in csv.DictReader(f, delimiter="\t")})
        out.extend(Group(name, s) for s in sources)
    return out


def build_pool(skip: set[str], planted_texts: list[str], rng: random.Random) -> tuple[list[str], dict]:
    """The background sentences, shuffled, and counts of what was kept and why not."""
    from unspun.words import tokens

    seen: set[tuple[str, ...]] = set()
    for text in planted_texts:
        seen |= grams(tokens(text))
    exact: set[str] = set()
    pool: list[str] = []
    stats: Counter = Counter()
    by_origin: Counter = Counter()
    for origin, text in pool_texts(skip):
        for s in sentences(text):
            stats["segmented"] += 1
            words = tokens(s)
            if not (MIN_WORDS <= len(words) <= MAX_WORDS and _START.match(s) and _END.search(s)):
                stats["not a plain sentence"] += 1
                continue
            if not mostly_words(words):
                stats["mostly numbers or symbols"] += 1
                continue
            key = s.lower()
            if key in exact:
                stats["exact duplicate"] += 1
                continue
            g = grams(words)
            if g & seen:
                stats["shares an 8-gram"] += 1
                continue
            exact.add(key)
            seen |= g
            pool.append(s)
            by_origin[origin] += 1
    rng.shuffle(pool)
    stats["kept"] = len(pool)
    return pool, {"counts": dict(stats), "by_origin": dict(by_origin)}


# -- the corpus --------------------------------------------------------------------------------


@dataclass
class Doc:
    id: str
    text: str
    kind: str  # background, rewrite-source, rewrite, verbatim-source, verbatim-copy
    origin: str
    sentences: int = 0


def paragraphs(sents: list[str], rng: random.Random) -> str:
    out, k = [], 0
    while k < len(sents):
        n = rng.randint(1, 3)
        out.append(" ".join(sents[k : k + n]))
        k += n
    return "\n\n".join(out)


def schedule(total: int, bounds: list[int], n_rewrite: int, n_verbatim: int) -> list[str]:
    """The units in order ("bg" one document, "rw" and "vb" two): each plant when it falls due
    (spread evenly), never a pair across a size's boundary."""
    units: list[str] = []
    d = rw = vb = 0
    while d < total:
        room = min(b for b in bounds if b > d) - d
        if room >= 2 and rw < n_rewrite and rw * total <= d * n_rewrite:
            units.append("rw")
            rw, d = rw + 1, d + 2
        elif room >= 2 and vb < n_verbatim and vb * total <= d * n_verbatim:
            units.append("vb")
            vb, d = vb + 1, d + 2
        else:
            units.append("bg")
            d += 1
    return units


class Dealer:
    """Pool sentences in order, each once; with ``reuse``, the pool again, reshuffled, when it
    runs out (``passes`` counts them)."""

    def __init__(self, pool: list[str], rng: random.Random, reuse: bool) -> None:
        self.pool, self.rng, self.reuse = pool, rng, reuse
        self.order, self.k, self.passes, self.dealt = list(pool), 0, 1, 0

    def take(self, n: int) -> list[str]:
        out = []
        while len(out) < n:
            if self.k == len(self.order):
                if not self.reuse:
                    raise SystemExit(f"the pool of {len(self.pool)} sentences ran out (use --reuse or shorter documents)")
                self.order = list(self.pool)
                self.rng.shuffle(self.order)
                self.k, self.passes = 0, self.passes + 1
            out.append(self.order[self.k])
            self.k += 1
        self.dealt += n
        return out


def build(args) -> dict:
    """Writes the corpus, documents.tsv, planted.tsv and build.json into args.work."""
    from unspun.segment import segment
    from unspun.words import tokens

    t0 = time.perf_counter()
    rng = random.Random(args.seed)
    sizes = sorted(args.sizes)
    total = sizes[-1]
    n_rewrite, n_verbatim = round(total / args.rewrite_every), round(total / args.verbatim_every)
    groups = rewrite_groups()
    if n_rewrite > len(groups):
        raise SystemExit(f"{n_rewrite} rewrite plants wanted, {len(groups)} labelled groups: raise --rewrite-every")
    rng.shuffle(groups)
    planted_groups = groups[:n_rewrite]
    plants = []
    for g in planted_groups:
        rewrite, kind = rng.choice(sorted(g.rewrites))
        plants.append((g, rewrite, kind))
    planted_texts = [read(g.path(n)) for g, r, _ in plants for n in (g.source, r)]
    pool, pool_stats = build_pool(group_sources(planted_groups), planted_texts, rng)
    units = schedule(total, sizes, n_rewrite, n_verbatim)
    n_background = units.count("bg")
    # The verbatim units' shapes first, so that the background's share of the pool is known.
    shapes = []
    for _ in range(n_verbatim):
        a, b, run = rng.randint(8, 14), rng.randint(4, 8), rng.randint(3, 5)
        shapes.append((a, b, run, rng.randint(0, a - run), rng.randint(0, b)))
    left = len(pool) - sum(a + b for a, b, *_ in shapes)
    lo, hi = args.doc_sentences
    mean = left / max(1, n_background)
    lengths = [rng.randint(lo, hi) for _ in range(n_background)]
    policy = f"{lo} to {hi} sentences" + (" (the pool dealt again when it runs out)" if args.reuse else "")
    if not args.reuse and sum(lengths) > left:
        low = max(1, math.floor(mean))
        n_high = max(0, min(n_background, left - low * n_background))
        lengths = [low + 1] * n_high + [low] * (n_background - n_high)
        rng.shuffle(lengths)
        policy = (f"{low} or {low + 1} sentences (mean {sum(lengths) / max(1, len(lengths)):.2f}): the pool of {len(pool):,} "
                  f"sentences cannot give {n_background:,} documents {lo} to {hi} sentences each")
    dealer = Dealer(pool, rng, args.reuse)
    docs: list[Doc] = []
    truth: list[tuple[str, str, str, str, str]] = []  # original, derived, kind, origins
    ids = (f"g{k:07d}" for k in range(1, total + 1))
    plant_iter, shape_iter, length_iter = iter(plants), iter(shapes), iter(lengths)
    for unit in units:
        if unit == "bg":
            sents = dealer.take(next(length_iter))
            docs.append(Doc(next(ids), paragraphs(sents, rng), "background", "pool"))
        elif unit == "rw":
            g, rewrite, kind = next(plant_iter)
            a = Doc(next(ids), read(g.path(g.source)).strip(), "rewrite-source", f"{g.set}/{g.source}")
            b = Doc(next(ids), read(g.path(rewrite)).strip(), "rewrite", f"{g.set}/{rewrite}")
            pair = [a, b]
            rng.shuffle(pair)  # which comes first in the corpus says nothing
            docs.extend(pair)
            truth.append((a.id, b.id, f"{g.set}:{kind}", a.origin, b.origin))
        else:
            na, nb, run, start, at = next(shape_iter)
            src = dealer.take(na)
            other = dealer.take(nb)
            copy = other[:at] + src[start : start + run] + other[at:]
            a = Doc(next(ids), paragraphs(src, rng), "verbatim-source", "pool")
            b = Doc(next(ids), paragraphs(copy, rng), "verbatim-copy", f"pool, sentences {start + 1}-{start + run} of {a.id}")
            docs.extend([a, b])
            truth.append((a.id, b.id, "verbatim", a.origin, b.origin))
    for d in docs:
        d.sentences = len(segment(d.text))
    work = Path(args.work)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("part-*.jsonl"):
        old.unlink()
    position = {d.id: k for k, d in enumerate(docs)}
    start = 0
    for size in sizes:
        with open(corpus / f"part-{start:07d}-{size:07d}.jsonl", "w", encoding="utf-8") as f:
            for d in docs[start:size]:
                f.write(json.dumps({"id": d.id, "text": d.text}, ensure_ascii=False) + "\n")
        start = size
    with open(work / "documents.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["id", "kind", "origin", "sentences", "words"])
        for d in docs:
            w.writerow([d.id, d.kind, d.origin, d.sentences, len(tokens(d.text))])
    with open(work / "planted.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["original", "derived", "kind", "original_origin", "derived_origin", "first_size"])
        for a, b, kind, oa, ob in truth:
            first = min(s for s in sizes if max(position[a], position[b]) < s)
            w.writerow([a, b, kind, oa, ob, first])
    info = {
        "seed": args.seed, "sizes": sizes, "documents": len(docs),
        "pool": pool_stats, "background_documents": n_background, "background_lengths": policy,
        "pool_sentences_dealt": dealer.dealt, "pool_passes": dealer.passes,
        "reuse_rate": round(dealer.dealt / max(1, len(pool)), 3),
        "planted": dict(Counter(k.split(":")[0] for _, _, k, _, _ in truth)),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (work / "build.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


# -- measuring ---------------------------------------------------------------------------------


def measure(cmd: list[str], env: dict | None = None, log: Path | None = None) -> dict:
    """Runs one child; samples the resident memory of its whole process tree (benchmarks/scan.py's
    PeakMemory). Returns wall seconds, peak MB and the exit status."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scan import PeakMemory

    out = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, text=True)
    with PeakMemory(proc.pid) as peak:
        proc.wait()
        seconds = time.perf_counter() - t0
    if log:
        out.close()
    return {"seconds": round(seconds, 1), "peak_mb": peak.mb, "status": proc.returncode}


def parts(work: Path, size: int) -> list[str]:
    """The corpus files that make up the first ``size`` documents."""
    files = sorted((work / "corpus").glob("part-*.jsonl"))
    chosen = [f for f in files if int(f.stem.split("-")[2]) <= size]
    if not chosen or int(chosen[-1].stem.split("-")[2]) != size:
        raise SystemExit(f"size {size} is not one the corpus in {work} was built with")
    return [str(f) for f in chosen]


def run_scan(work: Path, size: int, jobs: int) -> dict:
    out = work / f"scan-{size}"
    out.mkdir(parents=True, exist_ok=True)
    stages_file = out / "stages.json"
    stages_file.unlink(missing_ok=True)
    env = {**os.environ, "GENERATED_CORPUS_STAGES": str(stages_file)}
    cmd = [sys.executable, "-c", SCAN_CHILD, "scan", *parts(work, size), "--out", str(out),
           "--format", "jsonl", "--jobs", str(jobs)]
    r = measure(cmd, env, out / "stdout.txt")
    if r["status"] not in (0, 4):
        raise SystemExit(f"scan at {size} failed ({r['status']}): see {out / 'stdout.txt'}")
    r.update(json.loads(stages_file.read_text(encoding="utf-8")))
    with open(out / "pairs.jsonl", encoding="utf-8") as f:
        r["pairs"] = [json.loads(line) for line in f if line.strip()]
    return r


def run_minhash(work: Path, size: int) -> dict:
    out = work / f"minhash-{size}"
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, __file__, "--minhash-child", str(out / "pairs.jsonl"), *parts(work, size)]
    r = measure(cmd, log=out / "stdout.txt")
    if r["status"]:
        raise SystemExit(f"MinHash at {size} failed ({r['status']}): see {out / 'stdout.txt'}")
    with open(out / "pairs.jsonl", encoding="utf-8") as f:
        r["pairs"] = [json.loads(line) for line in f if line.strip()]
    r["candidates"] = len(r["pairs"])
    return r


def minhash_child(out: str, paths: list[str]) -> None:
    """In the child: benchmarks/scan.py's baseline over the documents, pairs to ``out``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scan import minhash_pairs
    from unspun.read import iter_documents

    pairs = minhash_pairs(list(iter_documents(paths)))
    with open(out, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p) + "\n")


# -- scoring -------------------------------------------------------------------------------------


def load_truth(work: Path, size: int) -> tuple[dict[frozenset, tuple[str, str]], dict[str, dict]]:
    """The planted pairs of a size ({pair: (original, kind)}) and every document's row."""
    with open(work / "documents.tsv", encoding="utf-8", newline="") as f:
        docs = {r["id"]: r for r in csv.DictReader(f, delimiter="\t")}
    planted = {}
    with open(work / "planted.tsv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if int(r["first_size"]) <= size:
                planted[frozenset((r["original"], r["derived"]))] = (r["original"], r["kind"])
    return planted, docs


def score(pairs: list[dict], planted: dict, docs: dict) -> dict:
    found = {frozenset((p["original"], p["derived"])): p for p in pairs}
    hits = [k for k in planted if k in found]
    by_kind: dict[str, list[int]] = {}
    for k, (_, kind) in planted.items():
        name = kind.split(":")[0]
        by_kind.setdefault(name, [0, 0])
        by_kind[name][1] += 1
        by_kind[name][0] += k in found
    right = wrong = unknown = 0
    for k in hits:
        p, original = found[k], planted[k][0]
        if not p.get("directed", p.get("direction") != "unknown"):
            unknown += 1
        elif p["original"] == original:
            right += 1
        else:
            wrong += 1
    others = [p for k, p in found.items() if k not in planted]
    kinds = Counter(" / ".join(sorted(docs[x]["kind"] for x in (p["original"], p["derived"]))) for p in others)
    return {"planted": len(planted), "found": len(found), "hits": len(hits),
            "recall": len(hits) / len(planted) if planted else 1.0, "other": len(others),
            "other_kinds": dict(kinds.most_common()), "by_kind": by_kind, "direction": (right, wrong, unknown),
            "other_pairs": others}


def write_others(work: Path, size: int, others: list[dict], docs: dict) -> None:
    """The other pairs with their documents' kinds and the reused passages' text, to check by eye."""
    texts: dict[str, str] = {}
    wanted = {x for p in others for x in (p["original"], p["derived"])}
    for path in parts(work, size):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d["id"] in wanted:
                    texts[d["id"]] = d["text"]
    with open(work / f"scan-{size}" / "other_pairs.jsonl", "w", encoding="utf-8") as f:
        for p in others:
            a, b = p["original"], p["derived"]
            spans = [{"kind": s["kind"], "score": round(s["score"], 2),
                      "original": texts[a][s["original_start"] : s["original_end"]][:400],
                      "derived": texts[b][s["derived_start"] : s["derived_end"]][:400]}
                     for s in (p.get("passage_spans") or [])]
            row = {"original": a, "derived": b, "kinds": [docs[a]["kind"], docs[b]["kind"]],
                   "origins": [docs[a]["origin"], docs[b]["origin"]], "verdict": p["verdict"],
                   "rewrite_share": p["rewrite_share"], "source_share": p["source_share"], "score": p["score"],
                   "passages": spans, "original_text": texts[a][:300], "derived_text": texts[b][:300]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12500,25000,50000", help="documents in each corpus, planted ones included")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default=str(DEFAULT_WORK), help=f"where the corpus and scans go (default {DEFAULT_WORK})")
    parser.add_argument("--jobs", type=int, default=2, help="unspun scan --jobs (default 2)")
    parser.add_argument("--rewrite-every", type=int, default=200, help="one planted rewrite pair per N documents (default 200)")
    parser.add_argument("--verbatim-every", type=int, default=500, help="one planted verbatim copy per N documents (default 500)")
    parser.add_argument("--doc-sentences", default="8,25", help="background document length LO,HI when the pool allows")
    parser.add_argument("--reuse", action="store_true", help="keep LO..HI and deal the pool again when it runs out")
    parser.add_argument("--no-minhash", action="store_true", help="leave out the MinHash-LSH baseline")
    parser.add_argument("--build-only", action="store_true", help="write the corpus and stop")
    parser.add_argument("--minhash-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.minhash_child:
        minhash_child(args.minhash_child[0], args.minhash_child[1:])
        return
    args.sizes = sorted({int(s) for s in args.sizes.split(",")})
    args.doc_sentences = tuple(int(x) for x in args.doc_sentences.split(","))
    work = Path(args.work)
    info = build(args)
    pool = info["pool"]
    print(f"corpus in {work}: {info['documents']:,} documents, built in {info['seconds']} s")
    print(f"sentence pool: {pool['counts']['kept']:,} kept of {pool['counts']['segmented']:,} segmented "
          f"({', '.join(f'{k} {v:,}' for k, v in pool['counts'].items() if k not in ('kept', 'segmented'))}); "
          f"by origin: {', '.join(f'{k} {v:,}' for k, v in pool['by_origin'].items())}")
    print(f"background: {info['background_documents']:,} documents of {info['background_lengths']}; "
          f"{info['pool_sentences_dealt']:,} sentences dealt, {info['reuse_rate']} of the pool")
    print(f"planted pairs: {info['planted']}")
    if args.build_only:
        return
    with open(work / "documents.tsv", encoding="utf-8", newline="") as f:
        position_docs = list(csv.DictReader(f, delimiter="\t"))
    rows = []
    header = ("| engine | size | documents | sentences | planted | time s | growth | x MinHash | peak MB | candidates "
              "| pairs | recall | other pairs | direction r/w/u | prepare / candidates / verify s |")
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    print(header, flush=True)
    previous: dict[str, float] = {}
    details = []
    for size in args.sizes:
        planted, docs = load_truth(work, size)
        n_sentences = sum(int(d["sentences"]) for d in position_docs[:size])
        runs = [] if args.no_minhash else [("MinHash-LSH", lambda s=size: run_minhash(work, s))]
        runs.append((f"unspun local (--jobs {args.jobs})", lambda s=size: run_scan(work, s, args.jobs)))
        base = None
        for engine, fn in runs:
            t0 = time.perf_counter()
            r = fn()
            figures = score(r.pop("pairs"), planted, docs)
            others = figures.pop("other_pairs")
            if engine.startswith("unspun"):
                write_others(work, size, others, docs)
            if engine == "MinHash-LSH":
                base = r["seconds"]
            growth = f"{r['seconds'] / previous[engine]:.2f}" if engine in previous else "-"
            previous[engine] = r["seconds"]
            ratio = f"{r['seconds'] / base:.1f}" if base else "-"
            st = r.get("timings") or {}
            stages = " / ".join(f"{st.get(k, 0):.1f}" for k in ("prepare", "candidates", "verify")) if st else "-"
            direction = "/".join(map(str, figures["direction"])) if engine.startswith("unspun") else "-"
            line = (f"| {engine} | {size:,} | {r.get('documents', size):,} | {n_sentences:,} | {figures['planted']} | {r['seconds']:.1f} | {growth} "
                    f"| {ratio} | {r['peak_mb']:,} | {r['candidates']:,} | {figures['found']:,} | {figures['recall']:.3f} "
                    f"| {figures['other']:,} | {direction} | {stages} |")
            lines.append(line)
            print(line, flush=True)
            row = {"engine": engine, "size": size, "sentences": n_sentences, **r, **figures,
                   "elapsed_with_scoring": round(time.perf_counter() - t0, 1)}
            rows.append(row)
            details.append(f"{engine} at {size:,}: recall by kind "
                           + ", ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(figures["by_kind"].items()))
                           + "; other pairs by kinds: " + (", ".join(f"{k} {n}" for k, n in figures["other_kinds"].items()) or "none"))
    print()
    print("\n".join(lines))
    print()
    print("\n".join(details))
    (work / "results.json").write_text(json.dumps({"build": info, "rows": rows}, indent=1), encoding="utf-8")
    print(f"\nwrote {work / 'results.json'}; the other pairs of each scan, with their reused text, in "
          f"{work}/scan-N/other_pairs.jsonl")


if __name__ == "__main__":
    main()

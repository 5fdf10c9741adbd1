"""Quality gate of `unspun scan` on the evaluation corpus: pan13-verbatim (src/ and susp/),
clough-stevenson and seeds read together as one corpus, every derived pair looked for.

Truth (tests/eval/scan_sets.py): the known derived pairs are PAN pairs.tsv pairs with verbatim
cases, Clough cut/light/heavy answers with their original, and the seed pair; precision counts
pairs among Clough and seed documents (two answers to the same Clough task count neither way),
not unlisted pairs between PAN documents, and any pair across the collections as wrong.

The whole corpus (2,128 documents) takes several minutes on 2 cores: it is marked slow (run with
``-m slow``). The default run scans a subset: Clough, seeds, the first SUBSET_SUSPICIOUS PAN
suspicious documents with their listed sources and every DISTRACTOR_STEP-th other source.

Measured (2 cores): subset, 234 documents, recall 0.964, precision 1.000, about 100 s; the three
Clough pairs it misses are heavy paraphrases the aligner itself judges non-derived (compare on
the pair, either way round). Half the corpus (1,064 documents, benchmarks/scan.py): recall
0.965, precision 1.000. The subset's recall floor is pinned below its measure (Clough's share of
the known pairs is larger there); the full corpus is held to the issue's 0.95.

Direction of the known Clough and seed pairs found (both runs hold all of them): 20 right, 0
wrong, 35 unknown with the evidence rule of stages.py (the first rule, containment at 0.7 alone:
20 right, 3 wrong, 32 unknown). Wrong is pinned at its measure, right at its floor.
"""

from __future__ import annotations

import pytest

from unspun.read import iter_documents
from unspun.scan import LocalEngine, scan

from ..conftest import DATA, need
from . import baseline
from .scan_sets import known_pairs, score

# Floors (recall, precision, direction right) and ceiling (direction wrong): baseline.json,
# scan/subset and scan/full. The full corpus measured recall 0.987 (307 of 311), precision 1.000
# once the judge weighed the document as a whole (2026-12-01; 0.971 and 1.000 before): floors
# raised from the 0.95. The subset's: see the module docstring.
SUBSET_SUSPICIOUS = 10
DISTRACTOR_STEP = 20


def _corpus():
    pan = need(DATA / "pan13-verbatim")
    return list(iter_documents([pan / "src", pan / "susp", need(DATA / "clough-stevenson"), need(DATA / "seeds")]))


def _report(name, figures):
    print(f"\nscan quality, {name}: " + ", ".join(
        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()))


def _subset(docs):
    from unspun.eval.pan import pan_cases

    pairs, _ = pan_cases(DATA / "pan13-verbatim")
    suspicious = sorted({d.id for d in docs if d.id.startswith("suspicious-document")})[:SUBSET_SUSPICIOUS]
    sources = {src for susp, src in pairs if susp in suspicious}
    others = sorted(d.id for d in docs if d.id.startswith("source-document") and d.id not in sources)
    keep = set(suspicious) | sources | set(others[::DISTRACTOR_STEP])
    chosen = [d for d in docs if d.id in keep or not d.id.startswith(("source-document", "suspicious-document"))]
    return chosen, suspicious


def test_scan_quality_subset():
    docs, suspicious = _subset(_corpus())
    result = scan(docs, LocalEngine(jobs=2))
    figures = score(result.pairs, known_pairs(DATA, pan_suspicious=suspicious))
    _report(f"subset ({len(docs)} documents, {result.candidates} candidates, {result.seconds:.0f} s)", figures)
    baseline.check("scan/subset", figures)


@pytest.mark.slow
def test_scan_quality_full_corpus():
    docs = _corpus()
    assert len(docs) == 1949 + 77 + 100 + 2
    result = scan(docs, LocalEngine(jobs=2))
    figures = score(result.pairs, known_pairs(DATA))
    _report(f"full corpus ({len(docs)} documents, {result.candidates} candidates, {result.seconds:.0f} s)", figures)
    baseline.check("scan/full", figures)

"""Scoring a scan against the evaluation corpus (pan13-verbatim, clough-stevenson, seeds), by the
rules of the scan's quality gate (tests/eval/test_scan_quality.py; benchmarks/scan.py):

* known derived pairs: pan13-verbatim ``pairs.tsv`` pairs with verbatim cases in ``cases.jsonl``;
  each clough-stevenson ``cut``, ``light`` or ``heavy`` answer with ``orig_task<Task>.txt``; the
  seed pair. Recall is the share of them found (in either order).
* precision, over the pairs found whose truth is known: a known pair is right; a pair between
  Clough or seed documents that is not known is wrong, except two answers to the same Clough task
  (they share a source: neither right nor wrong); a pair between two PAN documents that is not
  known counts neither way (their reuse is obfuscated and unlabelled); a pair across the three
  collections is wrong.

Ids are those ``iter_documents`` gives each collection's folder: PAN ``src/`` and ``susp/`` file
names, Clough and seed file names.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PAN, CLOUGH, SEEDS = "pan", "clough", "seeds"
_TASK = re.compile(r"^g\dp[A-Z]_task([a-e])\.txt$")


def collection(doc_id: str) -> str | None:
    if doc_id.startswith(("source-document", "suspicious-document")):
        return PAN
    if doc_id.startswith("orig_task") or _TASK.match(doc_id):
        return CLOUGH
    if doc_id in ("press-release.txt", "blog-rewrite.txt"):
        return SEEDS
    return None


def known_pairs(data: Path, pan_suspicious: Iterable[str] | None = None) -> set[frozenset[str]]:
    """The known derived pairs, unordered; ``pan_suspicious`` limits PAN's to those documents."""
    pan = data / "pan13-verbatim"
    with_cases = set()
    for line in (pan / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        with_cases.add((c["susp"], c["src"]))
    wanted = set(pan_suspicious) if pan_suspicious is not None else None
    out: set[frozenset[str]] = set()
    with open(pan / "pairs.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            susp, src = line.rstrip("\n").split("\t")
            if (susp, src) in with_cases and (wanted is None or susp in wanted):
                out.add(frozenset((susp, src)))
    with open(data / "clough-stevenson" / "file_information.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Category"] in ("cut", "light", "heavy"):
                out.add(frozenset((row["File"], f"orig_task{row['Task']}.txt")))
    out.add(frozenset(("press-release.txt", "blog-rewrite.txt")))
    return out


def truth(a: str, b: str, known: set[frozenset[str]]) -> bool | None:
    """True (a known derived pair), False (wrong) or None (counts neither way)."""
    if frozenset((a, b)) in known:
        return True
    ca, cb = collection(a), collection(b)
    if ca is None or cb is None:
        return None
    if ca != cb:
        return False
    if ca == PAN:
        return None
    if ca == CLOUGH:
        ta, tb = _TASK.match(a), _TASK.match(b)
        if ta and tb and ta.group(1) == tb.group(1):
            return None
    return False


def score(pairs: Iterable[dict[str, Any]], known: set[frozenset[str]]) -> dict[str, Any]:
    """Recall of ``known``, precision over the pairs of known truth, and the direction of the
    known pairs found (Clough and seeds: the original is orig_task / press-release)."""
    found = {frozenset((p["original"], p["derived"])): p for p in pairs}
    hits = [k for k in known if k in found]
    judged = [truth(*sorted(k), known) for k in found]
    right = sum(1 for t in judged if t is True)
    wrong = sum(1 for t in judged if t is False)
    wrong_pairs = sorted(tuple(sorted(k)) for k in found if truth(*sorted(k), known) is False)
    directed = [found[k] for k in hits if k != frozenset() and any(x.startswith(("orig_task", "press-release")) for x in k)]
    return {
        "known": len(known),
        "found": len(hits),
        "recall": len(hits) / len(known) if known else 1.0,
        "pairs": len(found),
        "right": right,
        "wrong": wrong,
        "precision": right / (right + wrong) if right + wrong else 1.0,
        "direction_right": sum(1 for p in directed if p["original"].startswith(("orig_task", "press-release"))
                               and p["direction"] != "unknown"),
        "direction_unknown": sum(1 for p in directed if p["direction"] == "unknown"),
        "direction_wrong": sum(1 for p in directed if p["direction"] != "unknown"
                               and not p["original"].startswith(("orig_task", "press-release"))),
        "wrong_pairs": wrong_pairs[:20],
    }

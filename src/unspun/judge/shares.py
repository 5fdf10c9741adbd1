"""Shares and the reuse level: how much of each text lies in reused passages, and how.

Shares count non-space characters outside chrome, so layout and a page's trailer do not move them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..align.passages import passage_kind
from ..types import Document, Passage, Span

# The rewrite is wholly derived when at least this share of it lies in reused passages; with
# less, partially. Whether there is reuse at all was decided before, by the evidence (restated.py,
# evidence.py), not by the passages' length: a copied paragraph inside a long document is reuse
# however small a share of it.
WHOLLY = 0.7
# A paraphrase that takes in this many times its own length of source condenses it: a summary.
SUMMARY_RATIO = 2.0
KINDS = ("verbatim", "near-verbatim", "paraphrase")
OPTIONAL_KINDS = ("summary", "translation")  # listed only where a passage has that kind


def shares(source: Document, rewrite: Document, passages: Sequence[Passage]) -> dict[str, float]:
    return {
        "rewrite_share": _share(_countable(rewrite), [p.query_span for p in passages]),
        "source_share": _share(_countable(source), [p.source_span for p in passages]),
    }


def kind_shares(rewrite: Document, passages: Sequence[Passage]) -> dict[str, float]:
    mask = _countable(rewrite)
    kinds = list(KINDS) + [k for k in OPTIONAL_KINDS if any(p.kind == k for p in passages)]
    return {k: _share(mask, [p.query_span for p in passages if p.kind == k]) for k in kinds}


def reuse_level(source: Document, rewrite: Document, passages: Sequence[Passage]) -> str:
    """How the rewrite as a whole reuses its source: the rewrite's passages taken together against
    the whole source (a copied phrase counts wherever the source has it), by the same rule as a
    single passage (verbatim, near-verbatim or paraphrase); "translation" when it crossed languages;
    "summary" when a paraphrase condenses: most of it lies in summary passages, or its passages
    take in a stretch of the source (first to last) SUMMARY_RATIO times as long as themselves;
    "none" without passages."""
    if not passages:
        return "none"
    if any(p.kind == "translation" for p in passages):
        return "translation"  # words are not comparable across languages
    q = "\n".join(rewrite.text[p.query_span.start : p.query_span.end] for p in passages)
    level = passage_kind(q, source.text)
    if level == "paraphrase":
        reused = sum(len(p.query_span) for p in passages)
        summarised = sum(len(p.query_span) for p in passages if p.kind == "summary")
        stretch = max(p.source_span.end for p in passages) - min(p.source_span.start for p in passages)
        if summarised * 2 > reused or stretch >= SUMMARY_RATIO * reused:
            return "summary"
    return level


def _countable(doc: Document) -> np.ndarray:
    """A mask over the text: True for non-space characters outside chrome."""
    codes = np.frombuffer(doc.text.encode("utf-32-le"), dtype=np.uint32)
    mask = ~np.isin(codes, _SPACE_CODES)
    for span in doc.chrome:
        mask[span.start : span.end] = False
    return mask


_SPACE_CODES = np.array([ord(c) for c in " \t\n\r\f\v\u00a0\u2028\u2029\u200b\ufeff"], dtype=np.uint32)


def _share(mask: np.ndarray, spans: Sequence[Span]) -> float:
    total = int(mask.sum())
    if total == 0:
        return 0.0
    covered = np.zeros_like(mask)
    for s in spans:
        covered[s.start : s.end] = True
    return float((covered & mask).sum()) / total

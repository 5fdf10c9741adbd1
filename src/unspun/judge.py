"""Judge: passages become a verdict, reuse shares and a reuse level.

Shares count non-space characters outside chrome, so layout and a page's trailer do not move them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .align.passages import passage_kind
from .types import Document, Judgement, Passage, Span

# The rewrite is wholly derived when at least this share of it lies in reused passages; with
# less, partially. Whether there is reuse at all was decided before, by the evidence of the
# passages (align/evidence.py), not by their length: a copied paragraph inside a long document is
# reuse however small a share of it.
WHOLLY = 0.7


def judge(source: Document, rewrite: Document, passages: Sequence[Passage]) -> Judgement:
    q_mask = _countable(rewrite)
    s_mask = _countable(source)
    rewrite_share = _share(q_mask, [p.query_span for p in passages])
    source_share = _share(s_mask, [p.source_span for p in passages])
    kind_shares = {
        kind: _share(q_mask, [p.query_span for p in passages if p.kind == kind])
        for kind in ("verbatim", "near-verbatim", "paraphrase")
    }
    if any(p.kind == "translation" for p in passages):
        kind_shares["translation"] = _share(q_mask, [p.query_span for p in passages if p.kind == "translation"])
    if not passages:
        verdict = "non-derived"
    elif rewrite_share >= WHOLLY:
        verdict = "wholly-derived"
    else:
        verdict = "partially-derived"
    return Judgement(
        verdict=verdict,
        coverage={"rewrite_share": rewrite_share, "source_share": source_share},
        passages=list(passages),
        kind_shares=kind_shares,
        level=reuse_level(source, rewrite, passages),
    )


def reuse_level(source: Document, rewrite: Document, passages: Sequence[Passage]) -> str:
    """How the rewrite as a whole reuses its source: the rewrite's passages taken together against
    the whole source (a copied phrase counts wherever the source has it), by the same rule as a
    single passage (verbatim, near-verbatim or paraphrase); "translation" when it crossed languages;
    "none" without passages."""
    if not passages:
        return "none"
    if any(p.kind == "translation" for p in passages):
        return "translation"  # words are not comparable across languages
    q = "\n".join(rewrite.text[p.query_span.start : p.query_span.end] for p in passages)
    return passage_kind(q, source.text)


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

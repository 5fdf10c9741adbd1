"""Reuse across languages: the one place that says what changes when the source and the rewrite
are in different languages (``Plan``), and how sentence pairs are scored then: by the multilingual
model (e5), calibrated for it, instead of MiniLM.

e5's cosines sit in a narrow band (unrelated sentences near 0.76, translations near 0.92, Kazakh
lower than Russian), so one global cosine threshold separates poorly. The score that decides is
a margin: how far a pair stands above the runner-up in its row and its column (a translated
sentence is the clear best match of its original, a sentence on the same subject is one of
several). ``translation_probability`` is a logistic model of cosine and margin fitted on NTREX
sentence pairs (``benchmarks/calibrate_crosslingual.py``: true translations against the other
pairs of the same document and of another document), not on the data the verdicts are gated on
(WMT22, PAN-11, the seed).

The aligner keeps its thresholds: it works on the cosine mapped onto MiniLM's scale, where a seed
(0.62) is an e5 cosine of 0.855, above nearly all unrelated pairs (99th percentile 0.83), and an
extension (0.42) one of 0.82.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..language import detect
from ..represent import Embedder
from ..types import Document
from . import scores
from .params import AlignParams

MODEL = "e5"
# Across languages no shared words confirm a pair, and sentences on the same narrow subject (two
# shops' descriptions of a mattress) reach translation-like scores: a rewrite needs two
# translated sentences in expectation, not one (judge/restated.py).
MIN_EVIDENCE = 1.5

# Fitted by benchmarks/calibrate_crosslingual.py: intercept, cosine, margin.
TRANSLATION_COEFFICIENTS = (-55.754, 63.238, 124.927)
BACKGROUND = 0.76  # e5 cosine of unrelated sentences: the floor of a margin's runner-up
SEED_COSINE = 0.855  # maps to the aligner's seed threshold
SCALE = 5.7  # aligner units per unit of e5 cosine (0.82 maps to the extension threshold)


@dataclass(frozen=True)
class Plan:
    """What the comparison of one pair does, decided once from the two languages.

    Within one language: the caller's model, scores from align/scores.py, one restated sentence
    in expectation, and the document-level evidence may decide. Across languages: e5 whatever
    the caller asked for, the calibrated scores below, MIN_EVIDENCE translated sentences, only the
    restated sentences decide (the document model was fitted on English pairs), and a passage that
    shares no words is a translation."""

    crossing: bool
    model: str | Embedder | None = None  # None: the default model
    min_evidence: float = 1.0
    document_evidence: bool = True
    reworded_kind: str = "paraphrase"

    def pair_scores(self, query_texts: Sequence[str], source_texts: Sequence[str], cosine: np.ndarray,
                    words: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        if self.crossing:
            return pair_scores(query_texts, source_texts, cosine)
        return scores.pair_scores(query_texts, source_texts, cosine, words=words)


ACROSS = Plan(crossing=True, model=MODEL, min_evidence=MIN_EVIDENCE, document_evidence=False, reworded_kind="translation")


def plan(source: Document, rewrite: Document, model: str | Embedder | None = None) -> Plan:
    """The plan for comparing ``rewrite`` with ``source`` (their languages detected if unset)."""
    if crosses(*languages(source, rewrite)):
        return ACROSS
    return Plan(crossing=False, model=model)


def languages(source: Document, rewrite: Document) -> tuple[str | None, str | None]:
    """Each document's language (kept where the reader set one); English text costs nothing."""
    for doc in (source, rewrite):
        if doc.lang is None:
            doc.lang = detect(doc.text)
    return source.lang, rewrite.lang


def crosses(source_lang: str | None, rewrite_lang: str | None) -> bool:
    return source_lang is not None and rewrite_lang is not None and source_lang != rewrite_lang


def margins(cosine: np.ndarray) -> np.ndarray:
    """Each cell's cosine minus the best other cell of its row and of its column (at least
    BACKGROUND): positive where a pair is the clear best match both ways."""
    n, m = cosine.shape
    if cosine.size == 0:
        return np.zeros_like(cosine)
    rows = np.sort(cosine, axis=1)
    cols = np.sort(cosine, axis=0)
    row_best, col_best = rows[:, -1:], cols[-1:, :]
    row_second = rows[:, -2:-1] if m > 1 else np.full((n, 1), BACKGROUND)
    col_second = cols[-2:-1, :] if n > 1 else np.full((1, m), BACKGROUND)
    other_row = np.where(cosine >= row_best, row_second, row_best)
    other_col = np.where(cosine >= col_best, col_second, col_best)
    return cosine - np.maximum(np.maximum(other_row, other_col), BACKGROUND)


def translation_probability(cosine: np.ndarray) -> np.ndarray:
    b0, b1, b2 = TRANSLATION_COEFFICIENTS
    z = b0 + b1 * cosine.astype(np.float64) + b2 * margins(cosine.astype(np.float64))
    return 1.0 / (1.0 + np.exp(-z))


def aligner_scale(cosine: np.ndarray) -> np.ndarray:
    return np.clip(AlignParams().seed_threshold + SCALE * (cosine - SEED_COSINE), 0.0, 1.0).astype(np.float32)


def pair_scores(query_texts: Sequence[str], source_texts: Sequence[str], cosine: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As scores.pair_scores, across languages: the similarity the aligner works on and the
    probability that a pair is a translation. Word overlap still counts where it is higher (names
    and numbers survive translation; a quotation may stay in its language)."""
    return scores.pair_scores(
        query_texts, source_texts, cosine, scaled=aligner_scale(cosine), probability=translation_probability(cosine)
    )

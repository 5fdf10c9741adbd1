"""Cheap evidence first: which sentence pairs are worth the best model.

Embedding every sentence of both texts with MiniLM is most of what a comparison costs (87 % of
a pan13 pair). Most sentence pairs of two texts say unrelated things, and two kinds of cheap
evidence show it before any transformer runs:

* words: the tf-isf overlap and the shared word 5-grams of every pair (align/scores.py), which the
  scores need anyway. A rewrite sentence that copies a source sentence (half or more of its word
  5-grams, or the same words) is a certain reuse whatever the model says: it is settled by its
  words and not embedded (its copy's cosine is taken as near one, the rest of its row is the
  estimate below).
* WordLlama (represent/sketches.py, about 10,000 sentences/s): the cosine of its sentence vectors.

A pair is worth the best model when its cheap cosine or its word overlap says it could be a
match. Only the sentences of such pairs are embedded; every pair among them gets the model's
cosine, and every other pair the cheap cosine mapped to the model's scale, kept below the match
floor (judge/evidence.py), so an estimate can never make a match, a seed or a row's best. What
it costs: a pair the cheap evidence misses loses its match. The thresholds were chosen on the
dev halves of the rewrite sets, pan13 and Clough (benchmarks/cascade.py); the gates decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .scores import COPY_CERTAIN, word_evidence

# The models the estimate below was fitted for; another model embeds every sentence.
MODELS = ("minilm", "minilm-int8")
# The model's cosine as a linear function of WordLlama's, least squares over 183,000 sentence
# pairs of the dev pairs (MiniLM int8; correlation 0.76).
ESTIMATE = (0.071, 0.836)
# Below the match floor (0.42) and the aligner's extension threshold: an estimate is never a match.
ESTIMATE_CAP = 0.40
# A pair is worth the model at or over either: WordLlama cosine, word overlap (weighted Dice).
# On the dev pairs (benchmarks/cascade.py; 988 pairs, every 8th rewrite) 0.3 / 0.2 embeds a quarter
# of the sentences (pan13 a third) and keeps 98 % of the rows' best matches at cosine 0.6 or more;
# 0.2 / 0.15 embeds 45 % and keeps 99.5 %. Both changed 4 or fewer of the 988 verdicts, and each
# got as many right as embedding everything; the cheaper one is kept. (Measured with copied
# sentences settled by their words, as they are again; see cheap_scores.)
WORTH_CHEAP = 0.30
WORTH_LEXICAL = 0.20


@dataclass
class Cheap:
    """The cheap scores of every (query, source) sentence pair, and what the model must embed."""

    words: tuple[np.ndarray, np.ndarray, np.ndarray]  # scores.word_evidence: lexical, copied, identical
    estimate: np.ndarray  # cosine on the model's scale, for pairs the model does not score
    rows: np.ndarray  # query sentences to embed (bool)
    cols: np.ndarray  # source sentences to embed (bool)


def cheap_scores(query_texts: Sequence[str], source_texts: Sequence[str]) -> Cheap:
    words = word_evidence(query_texts, source_texts)
    cheap = _vectors(tuple(query_texts)) @ _vectors(tuple(source_texts)).T
    raw = (ESTIMATE[0] + ESTIMATE[1] * cheap).astype(np.float32)  # on the model's scale
    estimate = np.minimum(raw, ESTIMATE_CAP)
    # A copied sentence is settled by its words: its probability of reuse is certain whatever the
    # model says (scores.pair_scores), its copy's cosine is near one (WordLlama's, uncapped; 1 for
    # the same words), and its row is not embedded. What that costs: its cosines with the source's
    # other sentences are estimates, which can move a passage's edge beside a copy. On one
    # comparison that moved Clough's reuse levels (four-class accuracy 0.81 -> 0.78), which is why
    # one comparison embeds every sentence (pipeline.compare); a scan's rows and a trace's sources
    # do not report reuse levels, and their gates (tests/eval/test_scan_quality.py,
    # tests/test_trace_explained.py) decide.
    lexical, copied, same = words
    certain = same | (copied >= COPY_CERTAIN)
    estimate = np.where(same, np.float32(1.0), np.where(certain, raw, estimate))
    worth = ((cheap >= WORTH_CHEAP) | (lexical >= WORTH_LEXICAL)) & ~certain.any(axis=1, keepdims=True)
    return Cheap(words, estimate.astype(np.float32), worth.any(axis=1), worth.any(axis=0))


@lru_cache(maxsize=16)
def _vectors(texts: tuple[str, ...]) -> np.ndarray:
    """One side's WordLlama vectors, remembered: a scan verifies a document against each of its
    candidates in a row (stages.by_document), a trace its query against every source. A sentence's
    vector does not depend on the others in its batch, so this is what one batch of both gave."""
    from ..represent import sketches

    out = sketches.vectors(list(texts))
    out.setflags(write=False)  # shared by every caller
    return out


def cosine_matrix(cheap: Cheap, embed, query_texts: Sequence[str], source_texts: Sequence[str]) -> np.ndarray:
    """Every pair's cosine: the model's among the sentences worth embedding (``embed`` takes a list
    of texts and gives unit vectors), the estimate elsewhere."""
    cosine = cheap.estimate.copy()
    rows, cols = np.flatnonzero(cheap.rows), np.flatnonzero(cheap.cols)
    if len(rows) and len(cols):
        vectors = embed([query_texts[int(i)] for i in rows] + [source_texts[int(j)] for j in cols])
        cosine[np.ix_(rows, cols)] = vectors[: len(rows)] @ vectors[len(rows) :].T
    return cosine

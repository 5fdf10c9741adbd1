"""The evidence of derivation that a person weighs, measured on the sentence-pair scores.

Two texts on one subject align in places: their sentences say similar things. A rewrite differs
in ways that are unlikely by chance, and each measure here is one of them:

* ``matched``: rewrite sentences whose best source sentence has them as its best rewrite sentence
  too (mutual best matches): a rewrite restates its source sentence by sentence;
* ``in_order``: the longest run of those matches that keeps the same order on both sides (the
  matches of two texts on one subject fall in any order; a random order of k matches keeps about
  2 sqrt(k) of them in order);
* ``facts``: rare words and numbers that a matched pair shares (names, figures, odd phrases), and
  ``fact_bits``, how unlikely an unrelated sentence is to contain them (rarity.py);
* ``copied``: the share of the rewrite's word 4-grams found in the source (copying);
* ``restated``: the expected number of rewrite sentences that restate a source sentence as
  annotators rate "the same statement" (STS >= 4, restated.py);
* ``condensed``: matched rewrite sentences that take in two or more neighbouring source
  sentences (a summary condenses).

verdict.py weighs them with a model fitted on rewrites and on texts of the same kind that are not
derived (benchmarks/calibrate_judge.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..represent.lexical import STOPWORDS, ngrams
from ..types import Span
from ..words import sentence_tokens
from . import rarity

# A pair of sentences this similar (the aligner's extension threshold) can be a match at all.
MATCH_FLOOR = 0.42
# A sentence with fewer content words is a stock line ("Yeah.", "Thank you.", "Read more"): it
# matches anything that says the same and proves nothing.
MIN_CONTENT_WORDS = 3
COPY_NGRAM = 4  # word 4-grams: on sheepdog, containment of 4-grams separates best (5-grams, 3-grams: less)


@dataclass
class Evidence:
    sentences: int = 0  # rewrite sentences that can carry evidence (MIN_CONTENT_WORDS or more)
    source_sentences: int = 0
    matched: int = 0
    in_order: int = 0
    facts: list[str] = field(default_factory=list)
    fact_bits: float = 0.0
    copied: float = 0.0
    restated: float = 0.0
    condensed: int = 0
    match_sim: float = 0.0  # the in-order matches' mean similarity
    best: float = 0.0  # the closest sentence pair's similarity
    closest: tuple[int, int] | None = None  # (rewrite row, source column) of that pair
    pairs: list[tuple[int, int]] = field(default_factory=list)  # the in-order matches
    # Filled by verdict.py:
    probability: float = 0.0  # that the rewrite is derived, given this evidence
    chance: float = 1.0  # share of unrelated pairs of the same kind with at least this score
    # Filled by the judge:
    decided_by: str = "none"  # "restated", "document", "both" or "none"
    reason: str = ""
    closest_spans: tuple[Span, Span] | None = None  # (rewrite, source) of the closest pair
    closest_probability: float = 0.0  # that the closest pair states the same thing (STS >= 4)
    restated_aligned: float = 0.0  # restated sentences expected in the aligner's groups (restated.py)
    restated_needed: float = 0.0  # ... and how many a derived pair needs
    threshold: float = 0.0  # the document score a derived pair needs (verdict.threshold)

    def to_dict(self) -> dict[str, Any]:
        closest = None
        if self.closest_spans is not None:
            closest = {"rewrite": self.closest_spans[0].to_list(), "source": self.closest_spans[1].to_list(), "score": round(self.best, 4),
                       "probability": round(self.closest_probability, 4)}
            if self.closest is not None:  # numbered from 1 among the sentences outside chrome, as the reason says
                closest["rewrite_sentence"], closest["source_sentence"] = self.closest[0] + 1, self.closest[1] + 1
        return {
            "decided_by": self.decided_by,
            "reason": self.reason,
            "probability": round(self.probability, 4),
            "chance": round(self.chance, 4),
            "sentences": self.sentences,
            "matched": self.matched,
            "in_order": self.in_order,
            "facts": self.facts,
            "fact_bits": round(self.fact_bits, 2),
            "copied": round(self.copied, 4),
            "restated": round(self.restated, 3),
            "restated_aligned": round(self.restated_aligned, 3),
            "restated_needed": round(self.restated_needed, 3),
            "threshold": round(self.threshold, 4),
            "condensed": self.condensed,
            "match_similarity": round(self.match_sim, 4),
            "closest": closest,
        }


def weighty(texts: Sequence[str]) -> np.ndarray:
    """True for sentences with enough content words to be evidence on their own. A text made only
    of short sentences ("A man is smoking.") is weighed as it is: it has nothing else to say."""
    content = np.fromiter(map(_content_words, texts), dtype=int, count=len(texts))
    enough = content >= MIN_CONTENT_WORDS
    return enough if enough.any() else content > 0


# A trace weighs its query's sentences once for every source it verifies. Bounded, as
# sentence_tokens' cache is.
@lru_cache(maxsize=100_000)
def _content_words(text: str) -> int:
    return sum(w not in STOPWORDS for w in sentence_tokens(text))


def measure(
    rewrite_texts: Sequence[str], source_texts: Sequence[str], sim: np.ndarray, prob: np.ndarray,
    rows: np.ndarray | None = None, cols: np.ndarray | None = None,
) -> Evidence:
    """The evidence of one pair. ``rows`` and ``cols`` are ``weighty`` of each side's texts, where
    the caller has them already."""
    n, m = sim.shape
    ev = Evidence()
    if n == 0 or m == 0:
        return ev
    rows = weighty(rewrite_texts) if rows is None else rows
    cols = weighty(source_texts) if cols is None else cols
    ev.sentences, ev.source_sentences = int(rows.sum()), int(cols.sum())
    s = np.where(rows[:, None] & cols[None, :], sim, 0.0)
    p = np.where(rows[:, None] & cols[None, :], prob, 0.0)
    i, j = np.unravel_index(int(np.argmax(s)), s.shape)
    ev.best, ev.closest = float(s[i, j]), (int(i), int(j))
    ev.restated = float(p.max(axis=1).sum())
    best_col = s.argmax(axis=1)
    best_row = s.argmax(axis=0)
    matches = [(int(r), int(best_col[r])) for r in range(n) if s[r, best_col[r]] >= MATCH_FLOOR and best_row[best_col[r]] == r]
    ev.matched = len(matches)
    ev.pairs = longest_in_order(matches)
    ev.in_order = len(ev.pairs)
    ev.match_sim = float(np.mean([s[r, c] for r, c in ev.pairs])) if ev.pairs else 0.0
    ev.facts, ev.fact_bits = shared_facts(rewrite_texts, source_texts, ev.pairs)
    ev.copied = copied_share(rewrite_texts, source_texts)
    ev.condensed = sum(
        1 for r, c in ev.pairs if sum(s[r, k] >= MATCH_FLOOR for k in range(max(0, c - 1), min(m, c + 2))) >= 2
    )
    return ev


def longest_in_order(matches: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of matches increasing on both sides (patience sorting, n log n)."""
    matches = sorted(matches)
    tails: list[int] = []  # tails[k]: the smallest source column ending a chain of length k + 1
    tail_at: list[int] = []  # ... and the index of that match
    back = [-1] * len(matches)
    for k, (_, c) in enumerate(matches):
        pos = bisect.bisect_left(tails, c)
        back[k] = tail_at[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(c)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = c, k
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(matches[k])
        k = back[k]
    return chain[::-1]


def shared_facts(
    rewrite_texts: Sequence[str], source_texts: Sequence[str], pairs: Sequence[tuple[int, int]]
) -> tuple[list[str], float]:
    """Rare words and numbers that each matched rewrite sentence shares with its source sentence
    or a neighbour of it (a summary sentence draws on two or three), and their surprise in bits.

    A shared word is evidence by how unlikely the matched stretch of the source was to hold it
    anyway, under the likelier of two explanations: an unrelated English text of that length
    holds it (rarity.chance), or any stretch of this source does (a topic word, "PageRank" in an
    essay on PageRank, sits in most of its sentences and proves nothing)."""
    source_tokens = [sentence_tokens(t) for t in source_texts]
    source_words = [set(t) for t in source_tokens]
    m = len(source_words)
    found: dict[str, None] = {}
    total = 0.0
    for r, c in pairs:
        lo, hi = max(0, c - 1), min(m, c + 2)
        window = set().union(*source_words[lo:hi])
        length = sum(len(t) for t in source_tokens[lo:hi])
        for w in sorted({w for w in sentence_tokens(rewrite_texts[r]) if w in window and w not in found and rarity.is_rare(w)}):
            spread = min(1.0, sum(w in s for s in source_words) * (hi - lo) / m)
            total += rarity.surprise(max(rarity.chance(w, length), spread))
            found[w] = None
    return list(found), total


def copied_share(rewrite_texts: Sequence[str], source_texts: Sequence[str], n: int = COPY_NGRAM) -> float:
    """Share of the rewrite's word n-grams that the source has, over each whole text (sentence
    boundaries aside): what was copied word for word, down to the set phrases an AI rewriter keeps
    ("the Industry Trade Union of", "on 11 December 2023")."""
    q = _text_grams(tuple(rewrite_texts), n)
    return len(q & _text_grams(tuple(source_texts), n)) / len(q) if q else 0.0


# A trace asks for its query's n-grams once for every source it verifies; a few texts are kept.
@lru_cache(maxsize=4)
def _text_grams(texts: tuple[str, ...], n: int) -> frozenset[tuple[str, ...]]:
    return ngrams([w for t in texts for w in sentence_tokens(t)], n)

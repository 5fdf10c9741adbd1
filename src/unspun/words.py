"""Words: the one tokenizer. Every stage that counts, compares or fingerprints words uses it, so a
"word" means the same in chrome detection, segmentation, lexical scores, fingerprints and the
judge's evidence: a run of Unicode word characters (letters, digits, underscore), lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

WORD = re.compile(r"\w+", re.UNICODE)
# Letters only (no digits, no underscore): for telling a language by its commonest words, where a
# number or an identifier says nothing about the language.
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, in order."""
    return [t.lower() for t in WORD.findall(text)]


# A sentence's words, read once per run: a trace compares its query with every source it verifies,
# a scan a document with every partner, and each comparison asks several times (lexical scores,
# copies, the judge's evidence). A tuple, so that no caller can change what the next one gets.
# Bounded: 100,000 sentences are some 50 MB at most.
@lru_cache(maxsize=100_000)
def sentence_tokens(text: str) -> tuple[str, ...]:
    """``tokens`` of one sentence, remembered."""
    return tuple(tokens(text))


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def word_matches(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The words of ``text[start:end]`` as matches, with offsets into ``text``."""
    return WORD.finditer(text, start, len(text) if end is None else end)


def letter_runs(text: str) -> list[str]:
    """Runs of letters, as written (not lower-cased)."""
    return _LETTERS.findall(text)

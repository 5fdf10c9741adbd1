"""Lexical evidence: stemmed content words and word n-grams per segment, and the scores on them.

Cheap and exact where the embedding is fuzzy: a verbatim copy shares its word trigrams, a
paraphrase shares its names and numbers. Stems come from Snowball (English), so "criticised",
"criticized" and "criticises" meet.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

# snowballstemmer hands out PyStemmer's compiled stemmer when it is installed (a dependency: the
# same stems, twelve times faster). Either keeps the word it is working on in the object itself:
# shared by the web service's request threads it failed (IndexError) or, worse, returned another
# word's stem ("complex" -> "worker"), which the cache below then kept. One stemmer per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer

# Function words carry no evidence of reuse: every English text shares them.
STOPWORDS = frozenset(
    """a an the and or but if then than that this these those there here of in on at to for from by
    with without as is are was were be been being has have had do does did not no nor so such it its
    he she they them their his her we our you your i me my mine who whom which what when where why
    how all any both each few more most other some can could should would will shall may might must
    also very just only about into over under again further once out up down off above below between
    through during before after while because until against among per via""".split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def content_stems(words: Sequence[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words if w not in STOPWORDS)


def ngrams(words: Sequence[str], n: int) -> frozenset[tuple[str, ...]]:
    if n < 1:
        return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    # zip makes the tuples in C: twice as fast as slicing each in Python, the same set.
    return frozenset(zip(*(words[k:] for k in range(n))))


def containment(a: frozenset, b: frozenset) -> float:
    """Share of a found in b."""
    if not a:
        return 0.0
    return len(a & b) / len(a)

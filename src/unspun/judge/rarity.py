"""How unlikely a shared word is by chance: word frequencies of written English (wordfreq).

Two texts on one subject share its common words ("strike", "workers", "court"); a text made from
another also shares its rare ones: the names, the figures, the odd phrase ("West Oil Software",
"£22,100", "Prudential"). A word's frequency says how often an unrelated text of a given length
would contain it anyway, which is what turns "they share these words" into evidence.

wordfreq ships its frequency lists inside its wheel (no download). Its "small" English list holds
every word down to Zipf 3.01, just above RARE_ZIPF, so a word it lacks is rare by definition and
is given the floor frequency (1 in 10^9 words); the large list would add 0.16 s to every fresh
process for nothing the judge uses. It is imported on first use, or in the background while the
model embeds (``preload``), so reading or segmenting a document never pays for it.
"""

from __future__ import annotations

import math
import re
import threading
from functools import lru_cache

# A word at or below this Zipf frequency (log10 of occurrences per billion words) counts as rare:
# 3.0 is about once in a million words ("citadel", "jailed" sit near 3.5; "strike" at 4.7).
RARE_ZIPF = 3.0
# A number of two or more digits is a fact too ("2023" is common as a word, yet a text that
# shares "2023" and "11 December" with its source shares a date).
_NUMBER = re.compile(r"\d[\d.,]*\d|\d{2,}")
# Never more than this many bits from one word: a word wordfreq has never seen (a typo, a
# rare surname) is not infinitely unlikely.
MAX_BITS = 20.0


_preloading: threading.Thread | None = None
_preload_lock = threading.Lock()


def preload() -> None:
    """Import wordfreq and load its English list in a background thread, once: a compare starts
    this before embedding, which runs in onnxruntime without the GIL, so the 0.4 s of loading
    overlaps it instead of following it. ``zipf`` works whether or not this ran or finished (the
    import lock makes a second importer wait)."""
    global _preloading
    with _preload_lock:
        if _preloading is None:
            _preloading = threading.Thread(target=zipf, args=("the",), name="unspun-wordfreq", daemon=True)
            _preloading.start()


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # lazy: ~0.3 s of imports

    return zipf_frequency(word, "en", wordlist="small")


def is_rare(word: str) -> bool:
    if _NUMBER.fullmatch(word):
        return True
    return len(word) > 2 and zipf(word) <= RARE_ZIPF


def chance(word: str, length: int) -> float:
    """The probability that an unrelated English text of ``length`` words contains ``word``."""
    frequency = 10.0 ** (zipf(word) - 9.0) if zipf(word) > 0 else 1e-9
    return -math.expm1(-max(1, length) * frequency)


def surprise(p: float) -> float:
    """Bits of surprise of an event of probability p, at most MAX_BITS."""
    return min(MAX_BITS, -math.log2(max(p, 2.0**-MAX_BITS)))


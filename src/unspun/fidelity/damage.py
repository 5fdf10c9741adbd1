"""Damaged sentences: what spinning and careless rewriting leave behind.

* ``cut-off``: a sentence that stops on a word that cannot end one: an article or a conjunction
  ("...and."), or a preposition the source goes on from ("...a choice for oppression over." where
  the source reads "...over respect of fundamental human rights.");
* ``fragment``: a piece that starts in lower case right after a full stop ("...with the ILO.
  respecting basic human rights."), a sentence whose head was cut away. Not after an abbreviation
  ("10 a.m. local time", "the U.S. market", "e.g. rice") or an ellipsis ("and ... doubled down"),
  and not where the source holds the same words: a rewrite that copied them damaged nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..types import Finding, Span
from .facts import fold

_NEVER_LAST = {"the", "a", "an", "and", "or", "but", "nor", "because", "than", "whose", "of", "its", "their", "his", "her"}
_PREPOSITIONS = {
    "over", "for", "to", "with", "from", "by", "in", "on", "at", "into", "onto", "about", "against",
    "between", "among", "through", "during", "without", "within", "towards", "toward", "upon", "under",
    "after", "before", "across", "beyond", "despite", "like", "via",
}
_LAST_WORD = re.compile(r"(\w+)\W*$")
# A stop, then a lower-case piece (a lookahead: a skipped stop must not hide the next one).
_FRAGMENT = re.compile(r"[.!?](?=\s+([a-z][^.!?]*[.!?]?))")
# Words written with a full stop that ends no sentence when a lower-case word follows.
# (Compared lower-cased; "No"/"Nos" only as written: "said no. then" may be a cut.) A dotted word
# ("a.m", "U.S", "e.g", "Ph.D") or a single capital (an initial) is one too.
_ABBREVIATIONS = {
    "etc", "vs", "cf", "al", "approx", "eg", "ie", "co", "inc", "corp", "ltd", "jr", "sr", "dr", "mr", "mrs", "ms",
    "st", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "capt", "ft", "mt", "dept", "fig", "vol", "pp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
_CASED_ABBREVIATIONS = {"No", "Nos"}
_WORD_BEFORE_STOP = re.compile(r"(?:^|[\s(\[“\"‘'])((?:\w\.)+\w|\w+)$")


def _not_a_sentence_end(text: str, stop: int) -> bool:
    """Does the full stop at text[stop] end an abbreviation or stand in an ellipsis?"""
    if text[stop] != ".":
        return False
    if stop > 0 and text[stop - 1] in ".…" or text[stop + 1 : stop + 2] == ".":
        return True
    m = _WORD_BEFORE_STOP.search(text[:stop])
    if m is None:
        return False
    word = m.group(1)
    return word.lower() in _ABBREVIATIONS or word in _CASED_ABBREVIATIONS or (len(word) == 1 and word.isupper()) or "." in word


def _copied(text: str, stop: int, fragment_end: int, source_block: str | None) -> bool:
    """Does the source hold the same words, from the one before the stop to the fragment's end?"""
    if not source_block:
        return False
    start = max(text.rfind(" ", 0, max(0, stop - 1)) + 1, 0)
    piece = _normal(text[start:fragment_end])
    return len(piece) > 12 and piece in _normal(source_block)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).lower().strip()


# A trace checks each query sentence once for every source it verifies; the search for the last
# word tries every word of the sentence before it finds the one that ends it.
@lru_cache(maxsize=100_000)
def _last_word(sentence: str) -> str | None:
    """The sentence's last word, lower-cased, or None if it has none."""
    m = _LAST_WORD.search(sentence)
    return m.group(1).lower() if m else None


def damaged(rewrite: str, sentence: Span, source_block: str | None) -> list[Finding]:
    """Damage found in rewrite[sentence]; ``source_block`` is the aligned source text, if any."""
    text = rewrite[sentence.start : sentence.end]
    found = []
    last = _last_word(text) if text.rstrip().endswith((".", "!", "?")) else None
    if last is not None:
        cut = last in _NEVER_LAST
        if not cut and last in _PREPOSITIONS and source_block:
            # Stranded prepositions are English ("what it is made of."); a cut is when the
            # source goes on from that word.
            cut = re.search(rf"\b{re.escape(last)}\s+(?:[\[(…]+\S*\s+)?\w", source_block, re.IGNORECASE) is not None
        if cut:
            found.append(Finding("cut-off", "rewrite", sentence, text))
    for fm in _FRAGMENT.finditer(text):
        if _not_a_sentence_end(text, fm.start()) or _copied(text, fm.start(), fm.end(1), source_block):
            continue
        if found and found[-1].kind == "fragment" and found[-1].span.end > sentence.start + fm.start():
            continue  # inside the fragment just found
        start = sentence.start + fm.start(1)
        found.append(Finding("fragment", "rewrite", Span(start, start + len(fm.group(1))), fm.group(1)))
    return found

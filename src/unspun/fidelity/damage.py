"""Damaged sentences: what spinning and careless rewriting leave behind.

* ``cut-off``: a sentence that stops on a word that cannot end one: an article or a conjunction
  ("...and."), or a preposition the source goes on from ("...a choice for oppression over." where
  the source reads "...over respect of fundamental human rights.");
* ``fragment``: a piece that starts in lower case right after a full stop ("...with the ILO.
  respecting basic human rights."), a sentence whose head was cut away.
"""

from __future__ import annotations

import re

from ..types import Finding, Span

_NEVER_LAST = {"the", "a", "an", "and", "or", "but", "nor", "because", "than", "whose", "of", "its", "their", "his", "her"}
_PREPOSITIONS = {
    "over", "for", "to", "with", "from", "by", "in", "on", "at", "into", "onto", "about", "against",
    "between", "among", "through", "during", "without", "within", "towards", "toward", "upon", "under",
    "after", "before", "across", "beyond", "despite", "like", "via",
}
_LAST_WORD = re.compile(r"(\w+)\W*$")
_FRAGMENT = re.compile(r"[.!?]\s+([a-z][^.!?]*[.!?]?)")


def damaged(rewrite: str, sentence: Span, source_block: str | None) -> list[Finding]:
    """Damage found in rewrite[sentence]; ``source_block`` is the aligned source text, if any."""
    text = rewrite[sentence.start : sentence.end]
    found = []
    m = _LAST_WORD.search(text)
    if m and text.rstrip().endswith((".", "!", "?")):
        last = m.group(1).lower()
        cut = last in _NEVER_LAST
        if not cut and last in _PREPOSITIONS and source_block:
            # Stranded prepositions are English ("what it is made of."); a cut is when the
            # source goes on from that word.
            cut = re.search(rf"\b{re.escape(last)}\s+(?:[\[(…]+\S*\s+)?\w", source_block, re.IGNORECASE) is not None
        if cut:
            found.append(Finding("cut-off", "rewrite", sentence, text))
    for fm in _FRAGMENT.finditer(text):
        start = sentence.start + fm.start(1)
        found.append(Finding("fragment", "rewrite", Span(start, start + len(fm.group(1))), fm.group(1)))
    return found

"""Unsupported claims: words in the rewrite's kept sentences that the source never uses.

A rewrite sentence aligned with a source sentence restates it, but may also say more: a person,
a place, a number, a relation the source does not have. The question a reader asks is "where did
this word come from?". A content word the whole source never uses, in any inflection ("said" and
"says", "slept" and "sleep" are one word; "two" is "2"), is evidence that the sentence states
something the source does not support. One such word is often a paraphrase's synonym, unless it
is a rare one (a name, a place); two or more in one sentence rarely are. On FRANK (people's error
labels of system summaries) a summary with a sentence holding two or more such words, or a rare
one, had an entity, circumstance, relation or out-of-article error far more often than not; the
count and the rarity were chosen on one half of its articles and scored on the other
(benchmarks/frank_fidelity.py). A paraphrase (the seed's blog post) holds such words in most
sentences: its synonyms. Words cannot tell a synonym from a new claim; the report lists them so
that a reader can.

Each such sentence is an ``unsupported`` addition, with the words as its facts (kind ``word``)
and the source sentence it is aligned with as ``nearest``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..judge import rarity
from ..represent.lexical import STOPWORDS, stem
from ..types import FactRef, Finding, Segment, Span
from ..words import WORD, word_matches
from .facts import NUMBER_WORDS, number_readings
from .facts import numbers as stated_numbers

# Unsupported words one sentence must hold to be reported, or one that is rare in the language
# (wordfreq Zipf below RARE_ZIPF: a name, a place, a technical term; "the" is 7.7, "strike" 4.9,
# "Kilmarnock" 2.3). Both chosen on FRANK's dev half.
MIN_WORDS = 2
RARE_ZIPF = 4.5


@functools.lru_cache(maxsize=200_000)  # bounded: a server sees every word of every request
def _lemma(word: str, lang: str) -> str:
    """The dictionary form ("says" -> "say", "slept" -> "sleep"), where simplemma knows the
    language; the word itself otherwise."""
    try:
        import simplemma
    except ImportError:  # optional: stems alone still join most inflections
        return word
    try:
        return simplemma.lemmatize(word, lang=lang)
    except ValueError:  # a language simplemma has no dictionary for
        return word


@functools.lru_cache(maxsize=200_000)  # a trace asks of its query's words once for every source
def _forms(word: str, lang: str) -> frozenset[str]:
    """A word as written, its stem and its lemma."""
    return frozenset((word, stem(word), _lemma(word, lang)))


class Vocabulary:
    """Every form of every word a document uses: as written, its stem and its lemma; and the
    values of its numbers, written in figures or in words."""

    def __init__(self, text: str, lang: str = "en") -> None:
        self.lang = lang
        self.text = text
        self.forms: set[str] = set()
        # Each distinct word once; found as strings, not matches (a long source has thousands).
        for word in set(map(str.lower, set(WORD.findall(text)))):
            self.forms.update(self.keys(word))
        # Each word's answer, once: a rewrite repeats its words, and every sentence is asked.
        self._supported: dict[str, bool] = {}

    @functools.cached_property
    def numbers(self) -> set[float]:
        """The values of the numbers it states: read when first asked (a long source's facts
        take longer to read than its words, and most rewrites never need them)."""
        return {value for f in stated_numbers(self.text) for value in number_readings(f)}

    def keys(self, word: str) -> frozenset[str]:
        return _forms(word, self.lang)

    def missing(self, words: Iterable[tuple[re.Match[str], str]]) -> list[re.Match[str]]:
        """Of (match, its lower case) pairs, the matches of the words it does not support: a
        trace asks this of every query sentence for every source, so the answers already known
        are looked up inline."""
        known = self._supported
        out = []
        for m, word in words:
            ok = known.get(word)
            if ok is None:
                ok = self.supports(word)
            if not ok:
                out.append(m)
        return out

    def supports(self, word: str) -> bool:
        known = self._supported.get(word)
        if known is None:
            known = self._supported[word] = (
                (word in NUMBER_WORDS and float(NUMBER_WORDS[word]) in self.numbers)
                or not self.forms.isdisjoint(self.keys(word))
            )
        return known


def _iter_content_words(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The content words of text[start:end]: not function words, not figures (a changed figure
    is a changed fact)."""
    for m in word_matches(text, start, end):
        if (w := m.group(0).lower()) not in STOPWORDS and len(w) >= 2 and any(c.isalpha() for c in w):
            yield m


# A trace asks of each query sentence once for every source. Bounded: each entry holds its text.
@functools.lru_cache(maxsize=4096)
def _sentence_words(text: str, start: int, end: int) -> tuple[tuple[re.Match[str], ...], tuple[tuple[re.Match[str], str], ...]]:
    """(the content words of text[start:end]; those a source is asked about, with their lower
    case)."""
    words = tuple(_iter_content_words(text, start, end))
    return words, tuple(_asked(text, words))


def _asked(text: str, words: Iterable[re.Match[str]]) -> Iterator[tuple[re.Match[str], str]]:
    """Of content words, those a source is asked about, with their lower case: not "doesn" of
    "doesn't", a function word (a negation is a changed fact's business)."""
    for m in words:
        if text[m.end() : m.end() + 2] not in ("'t", "’t"):
            yield m, m.group(0).lower()


def _fact(m: re.Match[str]) -> FactRef:
    return FactRef("word", m.group(0), "rewrite", Span(m.start(), m.end()))


def unsupported_words(text: str, span: Span, source: Vocabulary) -> list[FactRef]:
    """Content words of text[span] that the source never uses."""
    return [_fact(m) for m in source.missing(_sentence_words(text, span.start, span.end)[1])]


def unsupported_claims(
    rewrite_text: str,
    rewrite_segments: Sequence[Segment],
    aligned: Sequence[Span | None],
    source: Vocabulary,
) -> tuple[list[Finding], float]:
    """(the aligned rewrite sentences holding MIN_WORDS or more unsupported words, as findings;
    the share of the content words of all the rewrite's sentences that are unsupported).
    ``aligned``: for each rewrite segment, the source block it is aligned with, or None."""
    findings: list[Finding] = []
    sentences = [(seg, nearest) for seg, nearest in zip(rewrite_segments, aligned) if seg.kind == "sentence"]
    words = _text_words(rewrite_text, tuple((seg.span.start, seg.span.end) for seg, _ in sentences))
    # Each distinct word answered once, then counted per sentence: a trace asks this of its query's
    # every sentence for every source, and a word is asked many times over.
    supported = words.supported(source)
    running = np.concatenate(([0], np.cumsum(~supported[words.asked])))
    missing = int(running[-1])
    for k in np.flatnonzero(running[words.bounds[1:]] - running[words.bounds[:-1]]):
        seg, nearest = sentences[k]
        if nearest is None:  # a sentence in no pair is content already
            continue
        found = source.missing(_sentence_words(rewrite_text, seg.span.start, seg.span.end)[1])
        if _telling((m.group(0).lower() for m in found), source.lang):
            text = rewrite_text[seg.span.start : seg.span.end]
            findings.append(Finding("unsupported", "rewrite", seg.span, text, tuple(map(_fact, found)), nearest=nearest))
    return findings, (missing / words.total if words.total else 0.0)


@dataclass(frozen=True)
class _TextWords:
    distinct: tuple[str, ...]  # the words a source is asked about, each once (lower case)
    asked: np.ndarray  # every sentence's asked words in turn, as indices into ``distinct``
    bounds: np.ndarray  # sentence k's are asked[bounds[k]:bounds[k + 1]]
    total: int  # the sentences' content words
    _forms: dict[str, _Forms] = field(default_factory=dict, compare=False)  # by language

    def supported(self, source: Vocabulary) -> np.ndarray:
        """Whether ``source`` supports each distinct word, as ``source.supports`` answers: the
        forms of every word, which this text keeps, met with the source's forms in one set
        intersection (C), instead of a Python call per word and source."""
        forms = self._forms.get(source.lang)
        if forms is None:
            forms = self._forms[source.lang] = _Forms.of(self.distinct, source.lang)
        out = np.zeros(len(self.distinct), dtype=bool)
        for form in source.forms & forms.keys:
            out[forms.owners[form]] = True
        for k, value in forms.numbers:
            if not out[k] and value in source.numbers:
                out[k] = True
        return out


@dataclass(frozen=True)
class _Forms:
    keys: frozenset[str]  # every form of every word
    owners: dict[str, list[int]]  # the words (indices) each form is a form of
    numbers: tuple[tuple[int, float], ...]  # the words that are numbers ("two"), with their values

    @classmethod
    def of(cls, words: Sequence[str], lang: str) -> _Forms:
        owners: dict[str, list[int]] = {}
        for k, word in enumerate(words):
            for form in _forms(word, lang):
                owners.setdefault(form, []).append(k)
        numbers = tuple((k, float(NUMBER_WORDS[w])) for k, w in enumerate(words) if w in NUMBER_WORDS)
        return cls(frozenset(owners), owners, numbers)


@functools.lru_cache(maxsize=8)  # a trace's query, asked of by every source
def _text_words(text: str, spans: tuple[tuple[int, int], ...]) -> _TextWords:
    """The words of the sentences at ``spans`` of ``text``, as unsupported_claims asks them."""
    index: dict[str, int] = {}
    asked: list[int] = []
    bounds = [0]
    total = 0
    for start, end in spans:
        words, pairs = _sentence_words(text, start, end)
        total += len(words)
        asked.extend(index.setdefault(word, len(index)) for _, word in pairs)
        bounds.append(len(asked))
    return _TextWords(tuple(index), np.array(asked, dtype=np.int64), np.array(bounds, dtype=np.int64), total)


def adds_something(text: str, span: Span, source: Vocabulary) -> bool:
    """Does text[span] say anything the source does not: words it never uses, as many as make an
    unsupported claim (MIN_WORDS, or one rare word), or a figure it never states? A rewrite
    sentence the aligner left unpaired that says nothing new (the source's words, reordered past
    what the aligner pairs, with one common word of its own: "beat", "wanted", "move") is not
    added content, by the same evidence as a kept sentence's claim."""
    # The words answer as soon as they are enough: the rest of a long run is not read.
    words = (word for _, word in _asked(text, _iter_content_words(text, span.start, span.end)))
    if _telling((word for word in words if not source.supports(word)), source.lang):
        return True
    return any(all(value not in source.numbers for value in number_readings(f)) for f in stated_numbers(text[span.start : span.end]))


def _telling(unsupported: Iterable[str], lang: str) -> bool:
    """Do these unsupported words (lower case) say something the source does not: MIN_WORDS of
    them, or one rare in the language (RARE_ZIPF; English frequencies, so English only)? Read
    only as far as they answer."""
    count = 0
    for word in unsupported:
        count += 1
        if count >= MIN_WORDS or (lang == "en" and rarity.zipf(word) < RARE_ZIPF):
            return True
    return False


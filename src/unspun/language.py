"""Language identification of documents and sentences (lingua: offline, its models ship in the
wheel), with a cheap test for English first.

lingua loads its models on first use, about 0.6 s, and then takes about 10 ms per document: too
much for paths that must cost what they did before languages mattered (comparing two English
texts, indexing an English archive). So a cheap test comes first:

* ``looks_english``: 15 % or more of a text's words are among the commonest English words (30 %
  for a text of 4 to 19 words).
  English running text is at 25 to 50 % (all but 47 of pan13's 1,949 sources are above 15 %);
  German and Spanish news at most 8 % (NTREX), Russian at none. Such a text is English without
  asking lingua.

Only a prefix is looked at: a language is clear after a few sentences, and lingua's cost grows
with the text.

A document's prefix of 120 characters or more is told by lingua's low-accuracy mode (trigrams
only), which lingua recommends for such lengths: its models load in under a second where the full
models of one script's languages take 3 to 14 s (Latin script: about 40 languages), a cost every
index worker and every `unspun compare` of a non-English text paid. On the 547 non-English
documents of ../shared/data/crosslingual and pan13 the two modes agree on every one. Short documents
use it too (see below); sentences keep the full models: there the extra n-grams decide.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .extras import available
from .words import letter_runs

PREFIX = 2000  # characters looked at
SENTENCE_MIN_LETTERS = 12  # shorter sentences take their document's language
# A sentence needs this many words that are not capitalised (lower-case, or in a script without
# case) to be asked about: names say nothing of the language around them, and lingua reads their
# letters as words. On the 83 English and 8 other article-extraction pages, 19 of the 22 sentences
# said to be in another language were names and figures ("Madelyn Rosario 1 assist." as Welsh,
# "Space Vizzion Concept." as Romanian). With this bar 3 are left; NTREX's foreign sentences in
# an English document are named right for 98.38 % against 98.46 %, its English sentences in a
# German one for 98.26 % against 98.97 % (headlines in title case now take the document's).
SENTENCE_MIN_LOWER = 2

# The commonest English words (function words of any running text; no content words).
_ENGLISH = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at "
    "which but have an had they you were their one all we can her has there been if more when "
    "will would who so no she my its our them than what about also into after do".split()
)
ENGLISH_SHARE = 0.15
ENGLISH_MIN_WORDS = 20
# A short text (a headline, a pasted sentence) of 4 to 19 words is English by a higher share: on
# NTREX's sentences of that length, 330 of 455 English ones reach 30 %, and 4 of 2,102 in other
# languages (3 Spanish, 1 Kazakh). Asking lingua instead costs 3 to 14 s of model loading per process.
SHORT_MIN_WORDS = 4
SHORT_ENGLISH_SHARE = 0.3


# A whole text's language comes from lingua's low-accuracy mode (trigrams only): 73 MB and 0.5 s
# to load, where the high-accuracy models of every language take 1.1 GB and 10 s, which one short
# pasted text cost the web service. From 120 characters the two modes agree (lingua advises low
# accuracy there). Under 120 characters the low-accuracy models propose and the precise ones
# decide: their three likeliest languages and English go to a high-accuracy detector of those
# languages alone (0.2 to 0.8 s to build, once per set; lingua loads each language's models once).
# Alone, the low-accuracy models called the headline "2 police killed in eastern afghan
# explosion" Swedish at 0.87, which made an English pair a cross-language one.
# On NTREX's sentences of 20 to 119 characters this names 97 to 100 % of each language right, as
# the high-accuracy models of every language do, against 92 to 98 % for the low-accuracy ones
# alone. Memory grows with the languages short texts bring (about 15 MB each, 250 MB for a first
# German sentence, all of them loaded only after thousands of varied ones).
# Per-sentence detection (``unspun read``) reads each sentence the same way. With every language's
# high-accuracy models one English page's heading ("Space Vizzion Concept.") cost 1.1 GB and 10 s;
# this way `unspun read` of three such pages takes 231 MB and 3.2 s in all. On NTREX's 5,850
# sentences in six languages the two ways agree on 5,836, and name 5,806 and 5,811 right
# (benchmarks/RESULTS.md).
SHORT_TEXT = 120
CANDIDATES = 3
_CACHED_SETS = 32  # precise detectors kept, one per candidate set seen


_detectors: dict[object, object] = {}
# Two request threads must not each build (and hold) a detector of their own.
_detector_lock = threading.Lock()


def _detector():
    """Every language's low-accuracy models (the precise ones are loaded per candidate set)."""
    if not available("lingua"):
        return None  # without the xling extra a text that is not plainly English has no language
    with _detector_lock:
        if "low" not in _detectors:
            from lingua import LanguageDetectorBuilder

            _detectors["low"] = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        return _detectors["low"]


def _precise(languages: frozenset):
    """A high-accuracy detector of these languages only."""
    with _detector_lock:
        if languages not in _detectors:
            from lingua import LanguageDetectorBuilder

            sets = [key for key in _detectors if isinstance(key, frozenset)]
            if len(sets) >= _CACHED_SETS:
                _detectors.pop(sets[0])
            _detectors[languages] = LanguageDetectorBuilder.from_languages(*languages).build()
        return _detectors[languages]


def _code(language) -> str | None:
    return language.iso_code_639_1.name.lower() if language is not None else None


def looks_english(text: str) -> bool:
    words = letter_runs(text[:PREFIX].lower())
    if len(words) < SHORT_MIN_WORDS:
        return False
    share = SHORT_ENGLISH_SHARE if len(words) < ENGLISH_MIN_WORDS else ENGLISH_SHARE
    return sum(w in _ENGLISH for w in words) >= share * len(words)


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "ru", "kk"...), or None when unsure."""
    sample = text[:PREFIX].strip()
    if len(sample) < 20:
        return None
    if looks_english(sample):
        return "en"
    detector = _detector()
    if detector is None:
        return None
    if len(sample) >= SHORT_TEXT:
        return _code(detector.detect_language_of(sample))
    return _short_languages([sample])[0]


def _short_languages(texts: Sequence[str]) -> list[str | None]:
    """Each short text's language: the low-accuracy models propose their CANDIDATES likeliest,
    and the high-accuracy models of those and English decide, one detector per set proposed."""
    from lingua import Language

    detector = _detector()
    if detector is None:
        return [None] * len(texts)
    by_set: dict[frozenset, list[int]] = {}
    for k, values in enumerate(detector.compute_language_confidence_values_in_parallel(list(texts))):
        if values:
            by_set.setdefault(frozenset(c.language for c in values[:CANDIDATES]) | {Language.ENGLISH}, []).append(k)
    out: list[str | None] = [None] * len(texts)
    for languages, ks in by_set.items():
        for k, language in zip(ks, _precise(languages).detect_languages_in_parallel_of([texts[k] for k in ks])):
            out[k] = _code(language)
    return out


def foreign_sentences(doc) -> list[tuple[int, int, str]]:
    """The body sentences of a document whose language is not the document's, as (start, end,
    language): a quotation left in its language, a paragraph pasted from elsewhere. Empty for a
    document in one language; an English document costs no lingua call."""
    from .segment import body_segments

    segments = body_segments(doc)
    texts = [s.text(doc.text) for s in segments]
    if doc.lang == "en" and all(looks_english(t) or len(letter_runs(t)) < ENGLISH_MIN_WORDS for t in texts):
        # Too short to test one by one: ask lingua only for sentences with no English word.
        unsure = [k for k, t in enumerate(texts) if not looks_english(t) and not (set(letter_runs(t.lower())) & _ENGLISH)]
    else:
        unsure = list(range(len(texts)))
    found = sentence_languages([texts[k] for k in unsure], default=doc.lang)
    return [
        (segments[k].span.start, segments[k].span.end, lang)
        for k, lang in zip(unsure, found)
        if lang is not None and lang != doc.lang
    ]


def sentence_languages(sentences: Sequence[str], default: str | None = None) -> list[str | None]:
    """The language of each sentence; one too short to tell, or of names alone (a heading, a line
    of a table of results), gets ``default``, the document's."""
    out: list[str | None] = [default] * len(sentences)
    ask = []
    for k, s in enumerate(sentences):
        words = letter_runs(s)
        if len(words) < 3 or sum(map(len, words)) < SENTENCE_MIN_LETTERS:
            continue
        if sum(not w[0].isupper() for w in words) < SENTENCE_MIN_LOWER:
            continue
        ask.append(k)
    if ask:
        for k, language in zip(ask, _short_languages([sentences[k] for k in ask])):
            out[k] = language or default
    return out

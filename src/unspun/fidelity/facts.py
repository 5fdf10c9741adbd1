"""Facts in a sentence: numbers, dates, names, quotations and polarity, each with its span.

Patterns rather than a tagger: no named-entity model that ships its weights in a well-kept PyPI
package works offline here (spaCy's models are not on PyPI), and the facts that rewrites get
wrong in news text (figures, dates, who, what was said, yes or no) have regular surface forms.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..types import Span
from ..words import tokens

MONTHS = {
    m: k
    for k, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# Each alternative starts with a digit or a month's capital: the lookahead lets the regex skip
# every other word at once instead of trying each alternative there (three times as fast; same
# matches).
DATE = re.compile(
    rf"\b(?=[\dJFMASOND])(?:{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?|{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?|{_MONTH}\s+{_YEAR}"
    rf"|{_YEAR}-[01]\d-[0-3]\d|(?<=\bin\s){_YEAR}|(?<=\bsince\s){_YEAR}|(?<=\buntil\s){_YEAR}|(?<=\bby\s){_YEAR}"
    rf"|(?<=\bof\s){_YEAR}|{_YEAR}(?=s?\b))"
)

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "dozen": 12, "half": 0.5, "twice": 2, "double": 2, "triple": 3,
}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
# Each regex below looks ahead for a character its matches can start with, so that it skips
# every other position at once instead of trying each alternative there: the same matches, in
# about two thirds of the time (NUMBER, NAME) or less (DATE, QUOTE).
NUMBER = re.compile(
    r"(?=[\d" + "".join(sorted({w[0] for w in NUMBER_WORDS})) + r"])(?:"
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?!\.\d)"
    r"(?:\s*(?P<pct>%|percent\b|per\s+cent\b))?(?:\s+(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<abbr>bn|m)\b)?"
    r"|\b(?P<word>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)"
    r"|" + "|".join(sorted((w for w in NUMBER_WORDS if w not in ("one", "half", "double")), key=len, reverse=True)) + r")\b"
    r"(?:\s+(?P<wscale>hundred|thousand|million|billion)\b)?(?:\s*(?P<wpct>percent\b|per\s+cent\b))?)",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(?:approximately|approx\.?|around|about|some|nearly|almost|roughly|over|more than|less than|fewer than|"
    r"up to|at least|at most|close to|an estimated|estimated|just over|just under|upwards of)\s*$",
    re.IGNORECASE,
)

# Capitalised words in a row, allowing a few lower-case joiners inside ("Industry Trade Union of
# Fuel and Energy Complex Workers", "Bank of England"), or an acronym ("ITUC", "U.S.").
NAME = re.compile(
    r"(?=[A-Z])\b(?:(?:[A-Z]\.){2,}(?![a-z])|[A-Z][\w'’.-]*[a-z0-9][\w'’-]*|[A-Z]{2,}[a-z]?)(?:\s+(?:(?:of|and|for|the|de|van|von|du|la|le)\s+)?(?:[A-Z][\w'’.-]*|[A-Z]{2,}))*"
)
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,7}s?\b")
# A quotation: closed, or opened and running to the end of the sentence or block (a quote that
# goes on into the next paragraph is closed only there).
QUOTE = re.compile(r"(?=[“\"«‘])(?:“([^”]{3,})(?:”|$)|\"([^\"]{3,})\"|«([^»]{3,})(?:»|$)|(?<!\w)‘([^’]{3,}?)’(?!\w))")

NEGATIONS = frozenset({
    "not", "no", "never", "without", "none", "nor", "neither", "cannot", "nobody", "nothing", "nowhere",
    # Inability said in one word ("incapable of doing it" / "cannot do it").
    "unable", "incapable",
    # Contractions written without their apostrophe ("dont", "cant"): informal writing, and text
    # whose apostrophes were lost on the way ("don’t" / "dont" is no change of polarity).
    "dont", "doesnt", "didnt", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "isnt", "arent", "wasnt",
    "werent", "havent", "hasnt", "hadnt", "shant", "mustnt", "neednt", "aint",
})
# Polar opposites that a careless or hostile rewrite swaps. Each side is a set of word stems.
ANTONYMS = [
    ({"legal", "lawful", "legitim"}, {"illeg", "unlaw", "illegitim", "outlaw"}),
    ({"reject", "refus", "deni", "dismiss", "turn down"}, {"accept", "approv", "grant", "uphold", "upheld", "allow"}),
    ({"critic", "condemn", "denounc", "attack"}, {"prais", "welcom", "applaud", "commend", "endors"}),
    ({"drop", "lift", "remov", "withdrawn", "withdraw", "cancel"}, {"impos", "introduc", "extend", "extens", "maintain", "mainten"}),
    ({"increas", "rise", "rose", "grow", "grew", "gain"}, {"decreas", "fall", "fell", "declin", "drop", "shrink", "shrank", "lose", "lost"}),
    ({"won", "win", "victori"}, {"lost", "lose", "defeat"}),
    ({"guilti", "convict"}, {"innoc", "acquit"}),
    ({"valid", "true", "correct"}, {"invalid", "fals", "incorrect"}),
    ({"possibl"}, {"imposs"}),
    ({"agre", "support", "back", "favour", "favor"}, {"disagre", "oppos", "against"}),
    ({"confirm"}, {"deni", "refut"}),
    ({"success"}, {"failur", "fail"}),
    ({"independ"}, {"depend"}),
    ({"includ"}, {"exclud"}),
    ({"major"}, {"minor"}),
    ({"before"}, {"after"}),
    ({"higher", "larger", "bigger"}, {"lower", "smaller"}),
    ({"vulner", "suscept"}, {"resist", "immun"}),
    ({"safe"}, {"danger", "unsaf"}),
    ({"strong"}, {"weak"}),
]


@dataclass(frozen=True)
class Fact:
    kind: str  # number, date, name, quote
    span: Span  # in the text the facts were taken from
    text: str  # as written
    value: Any = None  # normalised: a float, a (year, month, day) tuple, a name key, quote words
    hedged: bool = False


@dataclass
class Facts:
    numbers: list[Fact] = field(default_factory=list)
    dates: list[Fact] = field(default_factory=list)
    names: list[Fact] = field(default_factory=list)
    quotes: list[Fact] = field(default_factory=list)

    def all(self) -> list[Fact]:
        return sorted(self.numbers + self.dates + self.names + self.quotes, key=lambda f: f.span.start)


def extract(text: str, start: int = 0, end: int | None = None) -> Facts:
    """Facts in text[start:end]; spans index ``text``."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    found = _chunk_facts(chunk, _open_quote(text, start))
    if not any(found):  # most sentences: nothing to copy
        return Facts()
    if not start:
        return Facts(*(list(kind) for kind in found))
    # Made directly, not by dataclasses.replace (eight times slower): a long run holds hundreds.
    return Facts(*([Fact(f.kind, Span(f.span.start + start, f.span.end + start), f.text, f.value, f.hedged)
                    for f in kind] for kind in found))


def listed(text: str, start: int, end: int) -> list[tuple[str, str, Span]]:
    """(kind, as written, span in ``text``) of each fact of text[start:end], in the order of
    ``extract(text, start, end).all()``: what a finding lists, without each Fact made again."""
    found = _chunk_facts(text[start:end], _open_quote(text, start))
    ordered = sorted((f for kind in found for f in kind), key=lambda f: f.span.start)
    return [(f.kind, f.text, Span(f.span.start + start, f.span.end + start)) for f in ordered]


@lru_cache(maxsize=50_000)
def _chunk_facts(chunk: str, opened: str) -> tuple[tuple[Fact, ...], ...]:
    """The facts of one sentence, spans from its start; ``opened``: the closing mark of a
    quotation the paragraph opened before it. Cached: a trace reads its query's sentences once
    for every source it verifies, a scan a document's once for every pair it is in."""
    dates, found, taken = _dates_numbers(chunk)
    return tuple(found), tuple(dates), tuple(_names(chunk, taken)), tuple(_quotes(chunk, opened))


# An apostrophe inside a word: "I'm" and "Im", "don’t" and "dont" are one word of a quotation (a
# page that lost its apostrophes quotes the speaker as well as one that kept them).
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def unapostrophised(text: str) -> str:
    """The text without apostrophes inside words ("I'm" -> "Im"); quotation marks stay."""
    return _INNER_APOSTROPHE.sub("", text)


def quote_words(text: str) -> tuple[str, ...]:
    """A quotation's words as its facts compare them: ``tokens``, apostrophes inside words dropped."""
    return tuple(tokens(unapostrophised(text)))


def _quotes(chunk: str, opened: str) -> list[Fact]:
    quotes: list[Fact] = []
    # A sentence inside a quotation opened before it ("“We're excited,” he said, “as it's ...
    # history. We'll be performing ...”"): its words up to the closing mark are quoted too.
    skip = 0
    if opened:
        close = chunk.find(opened)
        skip = len(chunk) if close < 0 else close + 1
        words = quote_words(chunk[:skip])
        if len(words) >= 3:
            quotes.append(Fact("quote", Span(0, skip), chunk[:skip], words))
    rest = chunk[skip:]
    for m in QUOTE.finditer(rest):
        inner = next(g for g in m.groups() if g is not None)
        words = quote_words(inner)
        if len(words) >= 3:
            quotes.append(Fact("quote", Span(skip + m.start(), skip + m.end()), m.group(0), words))
    if rest.count('"') % 2:  # a straight-quoted quotation that runs on past the sentence
        a = rest.rfind('"')
        words = quote_words(rest[a:])
        if len(words) >= 3 and not any(q.span.start <= skip + a < q.span.end for q in quotes):
            quotes.append(Fact("quote", Span(skip + a, len(chunk)), rest[a:], words))
    return quotes


def _names(chunk: str, taken: list[tuple[int, int]]) -> list[Fact]:
    """The names of ``chunk``; ``taken``: its dates' spans (a month inside a date is no name)."""
    found: list[Fact] = []
    if _title_case(chunk):
        return found  # in a Headline Written Like This every word looks like a name
    for m in NAME.finditer(chunk):
        if _inside(taken, m.start()):
            continue  # a month inside a date
        name = m.group(0).rstrip(".'’")
        s = m.start()
        if _sentence_initial_common(chunk, m.start(), name) or _contraction(name.split()[0]):
            first = re.match(r"\S+\s+", name)
            if first is None:
                continue
            name, s = name[first.end() :], s + first.end()
        if name.lower() in _NOT_NAMES or not any(c.isalpha() for c in name) or not name_key(name):
            continue  # a pronoun, a figure, or joiners alone ("Of" opening a heading)
        if " " not in name and _sentence_initial_adverb(chunk, s, name):
            continue  # "Historically, ..." opens a sentence; it names no one
        found.append(Fact("name", Span(s, s + len(name)), name, name_key(name)))
    return found


_MILLIONS_OR_METRES = re.compile(r"\dm", re.IGNORECASE)


def number_readings(fact: Fact) -> tuple[float, ...]:
    """The values a number fact may mean: one, but for a figure abbreviated "m", which news writes
    for millions ("20m yen", "£3.5m") and sport for metres ("the 110m hurdles"): both are read, so
    that "110m yen" and "110 million yen" are one figure, and "100m" and "100 metres" too."""
    value = float(fact.value)
    if _MILLIONS_OR_METRES.fullmatch(fact.text[-2:]):
        return (value, value / SCALES["m"])
    return (value,)


def numbers(text: str) -> list[Fact]:
    """The numbers of ``text``, as ``extract(text).numbers`` has them, without reading its names
    and quotations (most of the cost of a long text's facts)."""
    return _dates_numbers(text)[1]


def names(text: str) -> list[Fact]:
    """The names of ``text``, as ``extract(text).names`` has them, without reading its numbers
    and quotations (a source's NameBook wants only its names)."""
    return _names(text, _dates(text)[1])


def _dates(chunk: str) -> tuple[list[Fact], list[tuple[int, int]]]:
    """The dates of ``chunk``, and their spans."""
    dates: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for m in DATE.finditer(chunk):
        value = _date_value(m.group(0))
        if value is not None:
            dates.append(Fact("date", Span(m.start(), m.end()), m.group(0), value))
            taken.append((m.start(), m.end()))
    return dates, taken


# Decades and centuries counted in years: "five decades" and "50 years" are one span of time.
_YEARS_PER = re.compile(r"\s+(decades|centuries)\b", re.IGNORECASE)
# A count of dozens ("two dozen"), and half of one ("a half-dozen", "half a dozen").
_DOZENS = re.compile(r"[\s-]+dozen\b", re.IGNORECASE)
_HALF_BEFORE = re.compile(r"\bhalf[\s-]+(?:a\s+)?$", re.IGNORECASE)


def _dates_numbers(chunk: str) -> tuple[list[Fact], list[Fact], list[tuple[int, int]]]:
    """The dates of ``chunk``, its numbers (those outside a date), and the dates' spans."""
    dates, taken = _dates(chunk)
    found: list[Fact] = []
    counted = -1  # where a "dozen" already read as a multiplier ends
    for m in NUMBER.finditer(chunk):
        if _inside(taken, m.start()) or m.start() < counted:
            continue
        number = _number_value(m)
        if number is None:
            continue
        unit = _YEARS_PER.match(chunk, m.end())
        if unit:  # "four decades" is 40 years, as a rewrite of "40 years" says it
            number *= 100 if unit.group(1).lower().startswith("centur") else 10
        dozens = _DOZENS.match(chunk, m.end()) if m.group(0).lower() != "dozen" else None
        if dozens:  # "two dozen emails" are twenty-four
            number *= 12
            counted = dozens.end()
        elif m.group(0).lower() == "dozen" and _HALF_BEFORE.search(chunk, max(0, m.start() - 8), m.start()):
            number = 6.0  # "a half-dozen countries", "half a dozen"
        hedged = bool(HEDGE.search(chunk[max(0, m.start() - 30) : m.start()]))
        end = counted if dozens else m.end()  # "two dozen" is one figure, as written
        found.append(Fact("number", Span(m.start(), end), chunk[m.start() : end], number, hedged))
    return dates, found, taken


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` lies in one of ``spans``: disjoint and in order (a regex's matches), so one
    binary search (a long chunk holds hundreds of names and dates)."""
    k = bisect.bisect_right(spans, at, key=lambda span: span[0]) - 1
    return k >= 0 and at < spans[k][1]


def _open_quote(text: str, start: int) -> str:
    """The closing mark ("”" or '"') of a quotation that the line holding ``start`` opened before
    it and has not closed, or "". Looked up in the text's marks (_quote_marks), not by reading the
    line again: a pan13 document is one long line, and each of its sentences asks."""
    newlines, opens, closes, straight = _quote_marks(text)
    k = bisect.bisect_left(newlines, start)
    line = newlines[k - 1] + 1 if k else 0
    o = bisect.bisect_left(opens, start) - 1
    c = bisect.bisect_left(closes, start) - 1
    last_open = opens[o] if o >= 0 and opens[o] >= line else -1
    last_close = closes[c] if c >= 0 and closes[c] >= line else -1
    if last_open > last_close:
        return "”"
    if (bisect.bisect_left(straight, start) - bisect.bisect_left(straight, line)) % 2:
        return '"'
    return ""


@lru_cache(maxsize=16)  # a trace's query and the source it is compared with; a scan's pair
def _quote_marks(text: str) -> tuple[array[int], ...]:
    """Where ``text`` has its line breaks, its “, its ” and its straight double quotes (8 bytes
    each: a long text's marks are kept while it is read)."""
    return tuple(array("q", (m.start() for m in re.finditer(mark, text))) for mark in ("\n", "“", "”", '"'))


# The words of more than three characters: a word of three or fewer fails at its start and
# inside it alike, so these are exactly the long ones of r"[A-Za-z][\w'’-]*" (every word once).
_LONG_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")


def _title_case(chunk: str) -> bool:
    long = _LONG_WORD.findall(chunk)
    return len(long) >= 4 and sum(w[0] < "a" for w in long) >= 0.8 * len(long)  # A-Z sort before a-z


def fold(text: str) -> str:
    """Typographic variants made one: curly quotes and apostrophes straight, dashes one hyphen,
    non-breaking and other spaces plain, accents dropped ("José" = "Jose")."""
    text = text.translate(_TYPOGRAPHY)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_TYPOGRAPHY = str.maketrans({
    "’": "'", "‘": "'", "ʼ": "'", "′": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
})


@lru_cache(maxsize=100_000)  # a document names its people and places again and again
def name_key(name: str) -> tuple[str, ...]:
    """A name's words, lower-cased and folded: "U.S." = "US", "José" = "Jose", "We’re" = "We're",
    "BBC’s" = "BBC" (a possessive names the same one)."""
    words = fold(name).split()
    return tuple(k for w in words if w.lower() not in _JOINERS and (k := _POSSESSIVE.sub("", w.lower()).strip(".'").replace(".", "")))


_POSSESSIVE = re.compile(r"'s$")


def antonym_side_counts(stems: list[str]) -> Counter[tuple[int, int]]:
    """How many of a sentence's word stems take each (antonym pair index, side). (Its negations,
    with the statement each governs, are changes.py's _negations_with_scope.)"""
    return Counter(side for s in stems for side in _stem_sides(s))


@lru_cache(maxsize=100_000)  # every aligned pair asks of its two sentences' stems
def _stem_sides(stem: str) -> tuple[tuple[int, int], ...]:
    """[(antonym pair index, side)] that one stem takes."""
    return tuple(key for key in _SIDES if takes_side(stem, *key))


def takes_side(stem: str, k: int, side: int) -> bool:
    """Does the stem state side ``side`` of antonym pair ``k``: is it one of that side's options,
    or does it begin with one of four or more letters ("declin")?"""
    options, prefixes = _SIDES[k, side]
    return stem in options or stem.startswith(prefixes)


# Each side's options, and those a stem may begin with, made once (str.startswith takes them all
# at once; a stem first seen cost 0.2 ms with one test per option).
_SIDES = {(k, side): (frozenset(options), tuple(o for o in options if len(o) >= 4))
          for k, pair in enumerate(ANTONYMS) for side, options in enumerate(pair)}


_JOINERS = {"of", "and", "for", "the", "de", "van", "von", "du", "la", "le"}
_NOT_NAMES = {
    "i", "a", "the", "he", "she", "it", "we", "they", "this", "that", "these", "those", "there", "his",
    "her", "its", "their", "our", "in", "on", "at", "for", "if", "but", "and", "or", "as", "an", "by",
}


def _at_sentence_start(chunk: str, pos: int) -> bool:
    # Walks back over the spaces before ``pos`` rather than copying ``chunk[:pos]``: a long
    # unpaired run holds hundreds of names, and a copy for each made the run's reading quadratic.
    k = pos
    while k and chunk[k - 1].isspace():
        k -= 1
    return not k or chunk[k - 1] in ".!?:;“\"‘(\n" or chunk.endswith(("—", "–", "--"), 0, k)


def _sentence_initial_common(chunk: str, pos: int, name: str) -> bool:
    """Is the first word capitalised only because it opens a sentence ("However", "The")?"""
    first = name.split()[0]
    return first.lower() in _COMMON_OPENERS and _at_sentence_start(chunk, pos)


_CONTRACTION = re.compile(r"(\w+)['’](?:re|ll|s|ve|d|m|t)", re.IGNORECASE)  # compiled once: asked of every name


# A pronoun and its verb written without the apostrophe, as pages that lost theirs have them ("Im
# not going", onestopenglish's -int pages). Only the forms that are no word themselves: "Ill",
# "Were", "Well", "Shell" (a company) and "Its" are left to the other rules.
_BARE_CONTRACTIONS = frozenset(
    "im ive youre youve youll youd theyre theyve theyll theyd weve thats whats theres heres hes shes itll".split())


def _contraction(word: str) -> bool:
    """"We're", "It’s", "They'll": a pronoun with a verb, capitalised where it opens a sentence;
    and a negated verb ("Don’t", "Can't", or "Dont" without its apostrophe), never a name."""
    if word.lower() in NEGATIONS or word.lower() in _BARE_CONTRACTIONS:
        return True
    m = _CONTRACTION.fullmatch(word)
    if m is None:
        return False
    stem_word = m.group(1).lower()
    return stem_word in _COMMON_OPENERS or stem_word in {"let", "who", "what"} or (
        m.group(0)[-1:].lower() == "t" and stem_word.endswith("n"))


_ADVERB = re.compile(r"[A-Z][a-z]{2,}(?:ally|ously|edly|ingly|ently|antly|ately|ively|fully|ibly|ably|ssly|erally|ilarly)")


def _sentence_initial_adverb(chunk: str, pos: int, name: str) -> bool:
    """A one-word "name" opening a sentence that reads as an adverb ("Historically,",
    "Unfortunately", "Reportedly"): capitalised for its position, not a name."""
    return _ADVERB.fullmatch(name) is not None and _at_sentence_start(chunk, pos)


_COMMON_OPENERS = {
    "the", "a", "an", "this", "that", "these", "those", "however", "since", "after", "before", "when",
    "while", "in", "on", "at", "for", "from", "with", "without", "by", "as", "if", "but", "and", "or",
    "so", "yet", "also", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their",
    "our", "my", "there", "here", "then", "thus", "therefore", "moreover", "furthermore", "although",
    "though", "because", "around", "about", "some", "many", "most", "all", "each", "every", "no",
    "not", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "what",
    "which", "who", "whom", "whose", "where", "why", "how", "according", "during", "despite", "until",
    "unlike", "like", "over", "under", "between", "among", "into", "through", "both", "either",
    "neither", "such", "other", "another", "any", "several", "few", "more", "less", "only", "even",
    "still", "now", "today", "yesterday", "recently", "later", "earlier", "meanwhile", "instead",
    "indeed", "finally", "first", "second", "third", "last", "next", "once", "again", "whether",
    "upon", "within", "along", "across", "against", "towards", "toward", "following", "given",
}


def _date_value(text: str) -> tuple[int | None, int | None, int | None] | None:
    year = month = day = None
    for token in re.findall(r"[A-Za-z]+|\d+", text):
        low = token.lower()
        if low in MONTHS:
            month = MONTHS[low]
        elif token.isdigit():
            n = int(token)
            if len(token) == 4:
                year = n
            elif 1 <= n <= 31 and day is None:
                day = n
            elif len(token) == 2 and month is not None and day is not None:
                continue
    if year is None and month is None:
        return None
    if re.fullmatch(rf"{_YEAR}-[01]\d-[0-3]\d", text.strip()):
        y, mo, d = (int(x) for x in text.strip().split("-"))
        return (y, mo, d)
    return (year, month, day)


def _number_value(m: re.Match) -> float | None:
    if m.group("num"):
        value = float(m.group("num").replace(",", "") + ("." + m.group("frac") if m.group("frac") else ""))
        scale = m.group("scale") or m.group("abbr")  # "20 million", "20m", "1.5bn"
        if scale:
            value *= SCALES[scale.lower()]
        return value
    word = (m.group("word") or "").lower()
    if not word:
        return None
    if "-" in word:
        tens, ones = word.split("-")
        value = float(NUMBER_WORDS[tens] + NUMBER_WORDS[ones])
    else:
        value = float(NUMBER_WORDS[word])
    scale = m.group("wscale")
    if scale:
        value *= SCALES[scale.lower()]
    return value

"""Changed facts: what an aligned sentence pair states differently on the two sides.

A fact counts as changed only when the rewrite puts something else in its place: a number or date
replaced by another, a name replaced by one the source never uses, a quotation altered or
invented, a statement's polarity flipped. A fact merely left out is an omission, not a change,
and equivalent forms are the same fact ("11 December 2023" = "December 11, 2023", "around 500" =
"500", "seven" = "7", "ITUC" = "International Trade Union Confederation (ITUC)", "Triangle" =
"Luc Triangle").
"""

from __future__ import annotations

import re

from ..represent.lexical import stem
from ..segment import sentences
from ..types import Change, Span
from ..words import tokens
from .facts import ANTONYMS, Fact, Facts, _stem_match, extract, name_key, negations, polarity_cues

# Words that describe a role rather than name someone: sharing one does not make two names one.
_TITLE_WORDS = {
    "president", "general", "secretary", "minister", "prime", "chief", "executive", "director",
    "committee", "union", "council", "court", "government", "department", "ministry", "office",
    "national", "international", "federal", "state", "city", "republic", "mr", "mrs", "ms", "dr",
    "prof", "professor", "sir", "lord", "lady", "king", "queen", "the", "company", "group",
    "association", "organisation", "organization", "confederation", "federation", "trade", "workers",
    "university", "college", "institute", "school", "hospital", "bank", "agency", "party", "reverend",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "new",
    "upper", "lower", "greater", "saint", "st", "san", "mount", "lake", "river", "county",
}


class NameBook:
    """Everything a document calls a name, with the aliases it defines ("... Confederation (ITUC)")."""

    def __init__(self, *texts: str) -> None:
        self.tokens: set[str] = set()
        self.acronyms: dict[str, set[str]] = {}
        self.lower_words: set[str] = set()
        for text in texts:
            self.lower_words.update(w for w in re.findall(r"\b[a-z][a-z'’-]+\b", text))
            for fact in extract(text).names:
                self.tokens.update(t for t in fact.value if t not in _TITLE_WORDS)
                self.tokens.update(fact.value)
            for m in re.finditer(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the)\s+)?){2,})\(([A-Z][A-Z0-9&]{1,7})\)", text):
                expansion = name_key(m.group(1))
                self.acronyms.setdefault(m.group(2).lower(), set()).update(expansion)

    def is_common_word(self, key: tuple[str, ...]) -> bool:
        """A one-word "name" the text also writes in lower case ("Dynamic" in a heading of a text
        on dynamic programming) is a common word, capitalised for position."""
        return len(key) == 1 and key[0] in self.lower_words

    def knows(self, key: tuple[str, ...]) -> bool:
        """Does this document use this name, or a part or an alias of it?"""
        distinctive = [t for t in key if t not in _TITLE_WORDS] or list(key)
        known = sum(
            1 for t in distinctive if t in self.tokens or t in self.acronyms or any(_kin(t, u) for u in self.tokens)
        )
        return known * 2 >= len(distinctive) and known > 0


def same_name(a: tuple[str, ...], b: tuple[str, ...], acronyms: dict[str, set[str]]) -> bool:
    """Do a and b name the same one? Half or more of the distinctive words of the shorter are in
    the longer ("Triangle" = "Luc Triangle"; "ITUC General Secretary Luc Triangle" is not
    "ITUC General Secretary Sharan Burrow"), or one is the other's acronym or stem."""
    da = {t for t in a if t not in _TITLE_WORDS} or set(a)
    db = {t for t in b if t not in _TITLE_WORDS} or set(b)
    small, large = sorted((da, db), key=len)
    if len(small & large) * 2 >= len(small) and small & large:
        return True
    # "Kazakh" / "Kazakhstan", "Britain" / "British": one word the stem of the other.
    if any(_kin(x, y) for x in da for y in db):
        return True
    for x, y in ((da, b), (db, a)):
        for t in x:
            if t in acronyms and acronyms[t] & set(y):
                return True
            if len(t) >= 2 and t == "".join(w[0] for w in y if w not in {"of", "and", "for", "the"}):
                return True
    return False


def _kin(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return len(short) >= 5 and long.startswith(short[:-1]) and len(long) - len(short) <= 5


def compare_pair(
    source_text: str,
    source_span: Span,
    rewrite_text: str,
    rewrite_span: Span,
    source_names: NameBook,
    rewrite_names: NameBook,
) -> list[Change]:
    """Changed facts between source_text[source_span] and rewrite_text[rewrite_span]."""
    fs = extract(source_text, source_span.start, source_span.end)
    fr = extract(rewrite_text, rewrite_span.start, rewrite_span.end)
    changes: list[Change] = []
    changes += _replaced(fs.numbers, fr.numbers, "number", _same_number)
    changes += _replaced(fs.dates, fr.dates, "date", _same_date)
    changes += _names(fs, fr, source_names, rewrite_names)
    changes += _quotes(fs, fr, source_span, rewrite_span)
    changes += _polarity_changes(source_text, source_span, rewrite_text, rewrite_span)
    return changes


def _polarity_changes(source_text: str, source_span: Span, rewrite_text: str, rewrite_span: Span) -> list[Change]:
    """Polarity is compared sentence by sentence, each rewrite sentence against the source
    sentence of the block that shares most words with it: a block's other sentences (a merge, a
    split) must not count."""
    source_sents = sentences(source_text, source_span.start, source_span.end)
    out = []
    for r in sentences(rewrite_text, rewrite_span.start, rewrite_span.end):
        rw = set(tokens(rewrite_text[r.start : r.end]))
        s = max(source_sents, key=lambda x: len(rw & set(tokens(source_text[x.start : x.end]))), default=None)
        if s is None:
            continue
        flip = _polarity(source_text[s.start : s.end], rewrite_text[r.start : r.end])
        if flip:
            out.append(Change("negation", s, r, flip[0], flip[1]))
    return out


def _same_number(a: Fact, b: Fact) -> bool:
    return abs(float(a.value) - float(b.value)) <= 1e-9 * max(1.0, abs(float(a.value)))


def _same_date(a: Fact, b: Fact) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a.value, b.value))


def _replaced(source: list[Fact], rewrite: list[Fact], kind: str, same) -> list[Change]:
    """Source facts with no equal in the rewrite, paired in order with rewrite facts that have no
    equal in the source: each such pair is one fact replaced by another."""
    unused = list(rewrite)
    lost = []
    for f in source:  # each rewrite fact answers for one source fact ("99% ... 99%")
        match = next((g for g in unused if same(f, g)), None)
        if match is None:
            lost.append(f)
        else:
            unused.remove(match)
    return [Change(kind, f.span, g.span, f.text, g.text) for f, g in zip(lost, unused)]


def _names(fs: Facts, fr: Facts, source_names: NameBook, rewrite_names: NameBook) -> list[Change]:
    acronyms = {**source_names.acronyms, **rewrite_names.acronyms}
    lost = [f for f in fs.names if not any(same_name(f.value, g.value, acronyms) for g in fr.names)]
    # A name is new when the whole source never uses it (a rewrite may name someone the
    # source names elsewhere: that is a move, not a change).
    new = [
        g for g in fr.names
        if not source_names.knows(g.value)
        and not rewrite_names.is_common_word(g.value)
        and not source_names.is_common_word(g.value)
        and not any(same_name(f.value, g.value, acronyms) for f in fs.names)
    ]
    lost = [f for f in lost if not source_names.is_common_word(f.value) and not rewrite_names.is_common_word(f.value)]
    return [Change("name", f.span, g.span, f.text, g.text) for f, g in zip(lost, new)]


def _quotes(fs: Facts, fr: Facts, source_span: Span, rewrite_span: Span) -> list[Change]:
    """A quotation in the rewrite whose words the source's quotations do not hold (altered, or
    put in someone's mouth); or a source quotation that the rewrite no longer quotes."""
    changes = []
    source_words = [set(q.value) for q in fs.quotes]
    for q in fr.quotes:
        words = set(q.value)
        # A quotation is verbatim or it is not: one word the speaker did not say is a change.
        if not any(words <= s for s in source_words):
            partner = max(fs.quotes, key=lambda s: len(set(s.value) & words), default=None)
            src_span = partner.span if partner else source_span  # words put in someone's mouth
            changes.append(Change("quote", src_span, q.span, partner.text if partner else "", q.text))
    for q in fs.quotes:
        if not fr.quotes:  # quoted in the source, paraphrased in the rewrite: rewrite_value ""
            changes.append(Change("quote", q.span, rewrite_span, q.text, ""))
    return changes


def _polarity(source: str, rewrite: str) -> tuple[str, str] | None:
    """Has the statement's polarity flipped? Negations counted on both sides, and antonyms
    ("legal"/"illegal", "criticised"/"praised") that one side uses where the other uses the
    opposite. Returns the two cue words, or None."""
    ws, wr = tokens(source), tokens(rewrite)
    ns, sides_s = polarity_cues(source, [stem(w) for w in ws])
    nr, sides_r = polarity_cues(rewrite, [stem(w) for w in wr])
    flips = 0
    cue = ("", "")
    set_s, set_r = set(sides_s), set(sides_r)
    for k, side in set_s:
        if (k, side) not in set_r and (k, 1 - side) in set_r:
            flips += 1
            cue = (_cue_word(ws, k, side), _cue_word(wr, k, 1 - side))
    if (ns % 2) != (nr % 2):
        flips += 1
        if cue == ("", ""):
            cue = (_first(negations(source)) or "(affirmative)", _first(negations(rewrite)) or "(affirmative)")
    return cue if flips % 2 else None


def _cue_word(words: list[str], k: int, side: int) -> str:
    options = ANTONYMS[k][side]
    return next((w for w in words if _stem_match(stem(w), options)), "")


def _first(found: list[str]) -> str:
    return found[0] if found else ""

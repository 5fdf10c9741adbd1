"""Changed facts: what an aligned sentence pair states differently on the two sides.

A fact counts as changed only when the rewrite puts something else in its place: a number or date
replaced by another, a name replaced by one the source never uses, a quotation altered or
invented, a statement's polarity flipped. A fact merely left out is an omission, not a change,
and equivalent forms are the same fact ("11 December 2023" = "December 11, 2023", "around 500" =
"500", "seven" = "7", "ITUC" = "International Trade Union Confederation (ITUC)", "Triangle" =
"Luc Triangle").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..represent.lexical import STOPWORDS, stem
from ..segment import sentences
from ..types import Change, Span
from ..words import tokens, word_matches
from .countries import same_country
from .facts import (
    MONTHS,
    NAME,
    NEGATIONS,
    Fact,
    Facts,
    _contraction,
    _sentence_initial_common,
    antonym_side_counts,
    extract,
    fold,
    name_key,
    names,
    number_readings,
    quote_words,
    takes_side,
    unapostrophised,
)

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
    """Everything a document calls a name, with the aliases it defines ("... Confederation (ITUC)").
    Each part is read from the text when first asked: a comparison asks for the aliases only when
    a pair's texts differ, and for the names only when a name does not match its pair's."""

    def __init__(self, *texts: str) -> None:
        self.texts = texts

    @functools.cached_property
    def tokens(self) -> set[str]:
        out: set[str] = set()
        for text in self.texts:
            for fact in names(text):  # its names alone: its numbers and quotations are not asked
                out.update(fact.value)
        return out

    @functools.cached_property
    def acronyms(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for text in self.texts:
            for m in re.finditer(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the)\s+)?){2,})\(([A-Z][A-Z0-9&]{1,7})\)", text):
                out.setdefault(m.group(2).lower(), set()).update(name_key(m.group(1)))
        return out

    @functools.cached_property
    def lower_words(self) -> set[str]:
        return {w for text in self.texts for w in re.findall(r"\b[a-z][a-z'’-]+\b", text)}

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


@functools.lru_cache(maxsize=8)
def name_book(text: str) -> NameBook:
    """A text's NameBook, remembered (it is only read): a trace compares its query with every
    source, and each comparison made the query's book again."""
    return NameBook(text)


class _Aliases(Mapping[str, set[str]]):
    """The acronyms of both texts of a pair, the rewrite's over the source's, merged when first
    looked up: most pairs' names match without them."""

    def __init__(self, source: NameBook, rewrite: NameBook) -> None:
        self._books = (source, rewrite)

    @functools.cached_property
    def _merged(self) -> dict[str, set[str]]:
        return {**self._books[0].acronyms, **self._books[1].acronyms}

    def __getitem__(self, key: str) -> set[str]:
        return self._merged[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._merged)

    def __len__(self) -> int:
        return len(self._merged)


def same_name(a: tuple[str, ...], b: tuple[str, ...], acronyms: Mapping[str, set[str]]) -> bool:
    """Do a and b name the same one? Half or more of the distinctive words of the shorter are in
    the longer ("Triangle" = "Luc Triangle"; "ITUC General Secretary Luc Triangle" is not
    "ITUC General Secretary Sharan Burrow"), or one is the other's acronym or stem, or both name
    one country."""
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
    return same_country(a, b)  # "US" / "American", "UK" / "British", "Holland" / "Dutch"


def _kin(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    if long == short + "s" and 2 <= len(short) <= 4:
        # An acronym's or a short name's possessive that lost its apostrophe ("BBCs", "Rios"), or
        # its plural; longer names differ so ("Edward", "Edwards").
        return True
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
    if _same_text(source_text[source_span.start : source_span.end], rewrite_text[rewrite_span.start : rewrite_span.end]):
        # The same words, in the same order, with the same marks: the same statement, so none of
        # its facts changed. Only what stands around it can differ, such as a quotation the
        # paragraph opened before it on one side and not the other. Such a pair is not a changed
        # quotation. pan13's traces showed 27 quote flags on pairs like this, all from stray
        # quotation marks earlier in the line. Checking first is also cheaper: such pairs are
        # more than half of those a pan13 trace compares (2,299 of 3,678).
        return []
    fs = extract(source_text, source_span.start, source_span.end)
    fr = extract(rewrite_text, rewrite_span.start, rewrite_span.end)
    context = _Context(source_text, source_span, rewrite_text, rewrite_span)
    acronyms = _Aliases(source_names, rewrite_names)
    speakers = _speaker_changes(source_text, source_span, rewrite_text, rewrite_span, acronyms)
    changes: list[Change] = []
    changes += _replaced(fs.numbers, fr.numbers, "number", _same_number, context)
    changes += _replaced(fs.dates, fr.dates, "date", _same_date, context)
    # A name swapped in an attribution ("said Oza" / "said Bhasin") is reported once, as a speaker.
    changes += [
        c for c in _names(fs, fr, source_names, rewrite_names, acronyms, context)
        if not any(_overlaps(c.source, x.source) or _overlaps(c.rewrite, x.rewrite) for x in speakers)
    ]
    changes += speakers
    changes += _quotes(fs, fr, source_text, source_span, rewrite_text, rewrite_span)
    changes += _polarity_changes(source_text, source_span, rewrite_text, rewrite_span)
    return changes


def _same_text(a: str, b: str) -> bool:
    """The same text but for spacing and typography (line breaks, curly or straight quotes)."""
    return a == b or " ".join(fold(a).split()) == " ".join(fold(b).split())


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


class _Context:
    """Where a fact stands in its sentence pair: the words around it. A fact replaced by another
    stands in the same place on both sides ("Around 500 workers from" / "Around 700 workers
    from"); a fact lost in one place and another new in an unrelated place ("... 50 million
    deaths in Europe" / "... population in the 1300s"), or the items of two lists that failed
    to align ("June 9 -- Coral Sky" / "June 23 – Virginia Beach"), are no replacement."""

    _REACH = 3  # neighbouring words looked at on each side
    _NEEDED = 2  # of which this many, next to the fact, must be the same on the two sides

    def __init__(self, source_text: str, source_span: Span, rewrite_text: str, rewrite_span: Span) -> None:
        self.sides = ((source_text, source_span), (rewrite_text, rewrite_span))

    def pairs(self, lost: Sequence[Fact], new: Sequence[Fact], same: Sequence[tuple[Fact, Fact]] = ()) -> list[tuple[Fact, Fact]]:
        """Lost source facts paired with new rewrite facts that stand in the same context, best
        first; ``same`` are facts the two sides share (each pair one token, so that "seven
        striking" and "7 striking" are the same neighbours)."""
        if not lost or not new:
            return []
        shared_s = {id(f): f"\x01{k}" for k, (f, _) in enumerate(same)}
        shared_r = {id(g): f"\x01{k}" for k, (_, g) in enumerate(same)}
        src, src_at = self._tokens(0, lost, [f for f, _ in same], shared_s)
        rw, rw_at = self._tokens(1, new, [g for _, g in same], shared_r)
        scored = []
        for f in lost:
            for g in new:
                i, j = src_at[id(f)], rw_at[id(g)]
                score = self._run(src, rw, i, j, -1) + self._run(src, rw, i, j, 1)
                if score >= self._NEEDED:
                    scored.append((-score, abs(i / max(1, len(src)) - j / max(1, len(rw))), f.span.start, g.span.start, f, g))
        scored.sort(key=lambda x: x[:4])
        out, used_f, used_g = [], set(), set()
        for *_, f, g in scored:
            if id(f) in used_f or id(g) in used_g:
                continue
            used_f.add(id(f))
            used_g.add(id(g))
            out.append((f, g))
        return sorted(out, key=lambda p: p[0].span.start)

    def _run(self, src: list[str], rw: list[str], i: int, j: int, step: int) -> int:
        """Same words on both sides next to positions i and j, going one way (-1 left, 1 right);
        the sentence's edge on both sides counts as one."""
        n = 0
        for d in range(1, self._REACH + 1):
            a, b = i + step * d, j + step * d
            out_a, out_b = not 0 <= a < len(src), not 0 <= b < len(rw)
            if out_a or out_b:
                return n + (1 if out_a and out_b else 0)
            if src[a] != rw[b] or src[a] == "\x00":
                return n
            n += 1
        return n

    def _tokens(self, side: int, slots: Sequence[Fact], shared: Sequence[Fact], labels: dict[int, str]) -> tuple[list[str], dict[int, int]]:
        """The words of one side, folded and lower-cased, with each slot fact one token "\\x00"
        (no neighbour of anything) and each shared fact its pair's token; and each slot's place."""
        text, span = self.sides[side]
        marks = sorted(
            [(f.span.start, f.span.end, id(f), "\x00") for f in slots]
            + [(f.span.start, f.span.end, id(f), labels[id(f)]) for f in shared if id(f) in labels],
        )
        items: list[tuple[int, str, int | None]] = [(a, label, key) for a, _, key, label in marks]
        for m in word_matches(text, span.start, span.end):
            if not any(a <= m.start() < b for a, b, _, _ in marks):
                items.append((m.start(), fold(m.group(0)).lower(), None))
        items.sort(key=lambda x: x[0])
        where = {key: k for k, (_, _, key) in enumerate(items) if key is not None}
        return [t for _, t, _ in items], where


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
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in number_readings(a) for y in number_readings(b))


def _same_date(a: Fact, b: Fact) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a.value, b.value))


def _replaced(
    source: list[Fact], rewrite: list[Fact], kind: str, same: Callable[[Fact, Fact], bool], context: _Context
) -> list[Change]:
    """Source facts with no equal in the rewrite, paired with rewrite facts that have no equal in
    the source and stand in the same context: each such pair is one fact replaced by another."""
    unused = list(rewrite)
    lost = []
    kept = []
    for f in source:  # each rewrite fact answers for one source fact ("99% ... 99%")
        match = next((g for g in unused if same(f, g)), None)
        if match is None:
            lost.append(f)
        else:
            unused.remove(match)
            kept.append((f, match))
    return [Change(kind, f.span, g.span, f.text, g.text) for f, g in context.pairs(lost, unused, kept)]


def _names(fs: Facts, fr: Facts, source_names: NameBook, rewrite_names: NameBook, acronyms: Mapping[str, set[str]],
           context: _Context) -> list[Change]:
    lost = [f for f in fs.names if not any(same_name(f.value, g.value, acronyms) or _letters_lost(f.text, g.text)
                                           for g in fr.names)]
    # A name is new when the whole source never uses it (a rewrite may name someone the
    # source names elsewhere: that is a move, not a change).
    new = [
        g for g in fr.names
        if not source_names.knows(g.value)
        and not rewrite_names.is_common_word(g.value)
        and not source_names.is_common_word(g.value)
        and not any(same_name(f.value, g.value, acronyms) or _letters_lost(f.text, g.text) for f in fs.names)
    ]
    lost = [f for f in lost if not source_names.is_common_word(f.value) and not rewrite_names.is_common_word(f.value)]
    return [Change("name", f.span, g.span, f.text, g.text) for f, g in context.pairs(lost, new)]


def _letters_lost(a: str, b: str) -> bool:
    """Is one name the other without its letters outside ASCII ("Gávea" / "Gvea", "Anaïs" /
    "Anas"): a page that lost them in its encoding, as onestopenglish's -int pages did."""
    short, long = sorted((a, b), key=len)
    return short.isascii() and not long.isascii() and len(short) >= 2 and "".join(c for c in long if c.isascii()) == short


# Who said it. "X said", "said X", "according to X", "X told ...", "X, the ..., said"; a
# pronoun ("he said") names no speaker, and a sentence without one is left alone.
_SAY = (
    r"(?:said|says|told|tells|comments|commented|added|adds|explained|explains|stated|states|wrote|writes|"
    r"noted|notes|tweeted|tweets|insisted|insists|argued|argues|warned|warns|claimed|claims|recalled|recalls)"
)
# What follows a speaker's name ("Johnston said", "Marco Villa, the company’s chief operating
# officer, said", "Taylor told Dempsey") and what comes before it ("said Oza", "according to the
# Sioux Falls Argus Leader"). Matched next to the names NAME finds, not around an embedded NAME:
# a name that fails to be followed by a verb must not be re-tried every way it can be split.
_AFTER_SPEAKER = re.compile(
    r"(?:,\s+(?:the\s+|a\s+|an\s+|who\s+|[a-z]\w*['’]s\s+)?[^,;“”\"()]{2,100}?,)?\s+"
    rf"(?:(?:also|later|then|previously|once|has|had|have)\s+)?{_SAY}\b"
)
# Before the name only the verbs that introduce a speaker there ("said Oza"; "told Dempsey" names
# the listener, "claims Medicare" is a noun).
_SAY_BEFORE_NAME = r"(?:said|says|comments|commented|added|adds|explained|explains|noted|wrote|writes|tweeted|recalled)"
_BEFORE_SPEAKER = re.compile(rf"\b(?:{_SAY_BEFORE_NAME}|[Aa]ccording\s+to)\s+(?:the\s+)?$")


def _attributions(text: str, span: Span) -> list[tuple[Span, str, tuple[str, ...]]]:
    """The speakers a sentence names: (span, as written, name key)."""
    found: list[tuple[Span, str, tuple[str, ...]]] = []
    chunk = text[span.start : span.end]
    for m in NAME.finditer(chunk):
        after = _AFTER_SPEAKER.match(chunk, m.end()) is not None
        before = _BEFORE_SPEAKER.search(chunk, max(0, m.start() - 40), m.start()) is not None
        # A run of capitalised words may go on over a full stop ("... Stephanie Grisham. However"):
        # the speaker is the piece next to the verb.
        stops = [x.span() for x in re.finditer(r"(?<=[a-z0-9])\.\s+", m.group(0))]
        starts, ends = [0] + [b for _, b in stops], [a for a, _ in stops] + [len(m.group(0))]
        last = len(starts) - 1
        chosen = ([0] if before else []) + ([last] if after and (last > 0 or not before) else [])
        for k in chosen:
            at = m.start() + starts[k]
            name = m.group(0)[starts[k] : ends[k]].rstrip(".'’")
            while name and (_sentence_initial_common(chunk, at, name) or _contraction(name.split()[0]) or
                            name.split()[0].lower() in {"the", "a", "an", "and", "but", "so", "or"}):
                first = re.match(r"\S+\s*", name)
                assert first is not None
                name, at = name[first.end() :], at + first.end()
            key = name_key(name)
            if key and name.lower() not in _PRONOUNS and key[0] not in _WHEN:  # "said Monday that"
                found.append((Span(span.start + at, span.start + at + len(name)), name, key))
    return found


_WHEN = set(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight"}
_PRONOUNS = {"i", "he", "she", "it", "we", "they", "you", "who", "this", "that", "one", "someone", "everyone"}


def _same_speaker(a: tuple[str, ...], b: tuple[str, ...], acronyms: Mapping[str, set[str]]) -> bool:
    """"Oza" = "Rusmik Oza" = "Head of Research Rusmik Oza"; "Toyota" = "Toyota"; "ITUC" = its
    expansion. A shared title ("White House Press Secretary") does not make two people one."""
    da = [t for t in a if t not in _TITLE_WORDS] or list(a)
    db = [t for t in b if t not in _TITLE_WORDS] or list(b)
    if da[-1] == db[-1] or _kin(da[-1], db[-1]) or set(da) <= set(db) or set(db) <= set(da):
        return True
    return (len(da) == 1 or len(db) == 1) and same_name(a, b, acronyms)


def _speaker_changes(
    source_text: str, source_span: Span, rewrite_text: str, rewrite_span: Span, acronyms: Mapping[str, set[str]]
) -> list[Change]:
    """A statement or quotation the source puts in one speaker's mouth and the rewrite in
    another's: each rewrite sentence against the source sentence that shares most words with
    it, when the two are the same statement otherwise (four words in a row in common, or the
    shorter one's words all in the other)."""
    source_sents = sentences(source_text, source_span.start, source_span.end)
    out = []
    for r in sentences(rewrite_text, rewrite_span.start, rewrite_span.end):
        new_speakers = _attributions(rewrite_text, r)
        if not new_speakers:
            continue
        rw = tokens(fold(rewrite_text[r.start : r.end]))
        s = max(source_sents, key=lambda x: len(set(rw) & set(tokens(fold(source_text[x.start : x.end])))), default=None)
        if s is None:
            continue
        old_speakers = _attributions(source_text, s)
        if not old_speakers:
            continue
        names = {t for _, _, k in old_speakers + new_speakers for t in k}
        sw = [t for t in tokens(fold(source_text[s.start : s.end])) if t not in names]
        if not _same_statement(sw, [t for t in rw if t not in names]):
            continue
        lost = [a for a in old_speakers if not any(_same_speaker(a[2], b[2], acronyms) for b in new_speakers)]
        gained = [b for b in new_speakers if not any(_same_speaker(a[2], b[2], acronyms) for a in old_speakers)]
        out += [Change("speaker", a[0], b[0], a[1], b[1]) for a, b in zip(lost, gained)]
    return out


def _same_statement(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if set(short) <= set(long):
        return True
    grams = {tuple(long[k : k + 4]) for k in range(len(long) - 3)}
    return any(tuple(short[k : k + 4]) in grams for k in range(len(short) - 3))


def _quotes(
    fs: Facts, fr: Facts, source_text: str, source_span: Span, rewrite_text: str, rewrite_span: Span
) -> list[Change]:
    """A quotation in the rewrite whose words the source's quotations do not hold (altered, or
    put in someone's mouth); or a source quotation that the rewrite no longer quotes.

    Evidence that it is the same quotation, or the same statement, is asked for: an altered
    quotation shares half its words or more with a source quotation; words put in someone's
    mouth stand in a sentence that otherwise says what the source sentence says ("... calling
    them “a crime against every worker”"). A quotation in a pair that only loosely matches
    (another quotation of the same speaker that the source never carried) is new material, not
    a changed fact; so is a source quotation the rewrite does not say at all (an omission)."""
    changes = []
    source_words = [set(q.value) for q in fs.quotes]
    # An interrupted quotation joined ("“We're excited,” he said, “as it's ...”" / "“We’re
    # excited, as it’s ...,” he said") holds the words of its pieces.
    joined = set().union(*source_words) if len(source_words) > 1 else set()
    frame_s = _outside(source_text, source_span, fs.quotes)
    frame_r = _outside(rewrite_text, rewrite_span, fr.quotes)
    same_frame = _same_statement(frame_s, frame_r)
    for q in fr.quotes:
        words = set(q.value)
        # A quotation is verbatim or it is not: one word the speaker did not say is a change.
        if any(words <= s for s in source_words) or (joined and words <= joined):
            continue
        if _quoted_elsewhere(source_text, q.value):
            continue  # the source quotes these very words in another sentence: not altered
        if any(words <= s for s in _single_quoted(source_text)):
            continue  # quoted there between straight single quotes, as British papers quote
        partner = max(fs.quotes, key=lambda s: len(set(s.value) & words), default=None)
        shared = len(set(partner.value) & words) if partner else 0
        if shared * 2 < min(len(words), len(set(partner.value)) if partner else len(words)) and not same_frame:
            continue
        src_span = partner.span if partner else source_span  # words put in someone's mouth
        changes.append(Change("quote", src_span, q.span, partner.text if partner else "", q.text))
    rewrite_words = {t for t in quote_words(fold(rewrite_text[rewrite_span.start : rewrite_span.end])) if t not in _FUNCTION_WORDS}
    for q in fs.quotes:
        # Quoted in the source, paraphrased in the rewrite (rewrite_value ""): the rewrite says
        # it, half of its words or more, unquoted. A quotation it does not say is left out.
        content = {t for t in q.value if t not in _FUNCTION_WORDS}
        if not fr.quotes and len(content & rewrite_words) >= max(2, (len(content) + 1) // 2):
            changes.append(Change("quote", q.span, rewrite_span, q.text, ""))
    return changes


@functools.lru_cache(maxsize=8)
def _folded(text: str) -> str:
    """The text as quotation words are read (facts.quote_words): no apostrophes inside words."""
    return unapostrophised(fold(text).lower())


def _quoted_elsewhere(text: str, words: tuple[str, ...]) -> bool:
    """Does the text quote these words in a row (three or more), anywhere: the run with a
    quotation mark at its start or its end? Straight single quotes count here ('My intention is
    never to drink again.'), which extract() leaves alone as they double as apostrophes."""
    if len(words) < 3:
        return False
    run = r"\W+".join(re.escape(fold(w).lower()) for w in words)
    return re.search(rf"['\"]\W{{0,3}}{run}|{run}\W{{0,3}}['\"]", _folded(text)) is not None


# A quotation between straight single quotes: opened before a letter or digit and not inside a
# word, closed not before one; an apostrophe inside ("don't", "O'Toole") does not close it.
_SINGLE_QUOTED = re.compile(r"(?<!\w)'(?=\w)((?:[^'\n]|'(?=\w))+?)'(?!\w)")


@functools.lru_cache(maxsize=8)
def _single_quoted(text: str) -> tuple[frozenset[str], ...]:
    """The words of each quotation of three words or more that ``text`` puts between straight
    single quotes, which extract() leaves alone (they double as apostrophes)."""
    found = (frozenset(quote_words(m.group(1))) for m in _SINGLE_QUOTED.finditer(text))
    return tuple(w for w in found if len(w) >= 3)


_FUNCTION_WORDS = {
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "in", "on", "at", "of", "to", "for", "and", "or",
    "but", "it", "its", "s", "we", "re", "i", "you", "he", "she", "they", "this", "that", "with", "as", "by", "so",
}


def _outside(text: str, span: Span, quotes: list[Fact]) -> list[str]:
    """The words of text[span] outside its quotations and outside the attributions beside them
    ("...,” said Brent Sherwood, vice president of ... at Blue Origin." / "Sherwood said: “..."):
    what the sentence says besides the quotation. Two outlets quoting one speaker at one event
    write the same attribution beside different quotations, and that is not the same statement."""
    out, pos = [], span.start
    after_quote = False
    for q in sorted(quotes, key=lambda f: f.span.start):
        out += tokens(fold(_unattributed(text[pos : q.span.start], after_quote, True)))
        pos = max(pos, q.span.end)
        after_quote = True
    return out + tokens(fold(_unattributed(text[pos : span.end], after_quote, False)))


# A speaker as an attribution names one: a few capitalised words, or a pronoun.
_SPEAKER = r"(?:(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|[Ii]t)"
# What a quotation's attribution after it is: "…,” said X[, description]." / "…,” X said."
_ATTRIBUTION_AFTER = re.compile(rf"\W*(?:{_SAY}\s+[^.;!?“”\"]*|{_SPEAKER}\s+(?:also\s+)?{_SAY}\b[^.;!?“”\"]*)(?:[.;!?]|$)")
# And before it: "X said: “…" / "said X, “…".
_ATTRIBUTION_BEFORE = re.compile(rf"(?:{_SPEAKER}\s+(?:also\s+)?{_SAY}|{_SAY}\s+{_SPEAKER})\W*$")


def _unattributed(piece: str, after_quote: bool, before_quote: bool) -> str:
    """A piece of text between quotations without the attribution that opens it (it follows a
    quotation) or closes it (a quotation follows)."""
    if after_quote:
        m = _ATTRIBUTION_AFTER.match(piece)
        if m is not None:
            piece = piece[m.end() :]
    if before_quote:
        m = _ATTRIBUTION_BEFORE.search(piece)
        if m is not None:
            piece = piece[: m.start()]
    return piece


def _polarity(source: str, rewrite: str) -> tuple[str, str] | None:
    """Has the statement's polarity flipped? Antonyms ("legal"/"illegal", "criticised"/"praised")
    that one side uses where the other uses the opposite, and negations that one side puts on a
    statement the other side makes plainly (see _negation_flips). An even number of flips cancels
    ("not rejected" / "accepted"). Returns the two cue words, or None."""
    ws, wr = tokens(source), tokens(rewrite)
    # Antonyms are read from the words that are mostly stances where they stand ("backed", not
    # "back", which is mostly "came back"; no "against", mostly "played against").
    ss, sr = [w for w in ws if w not in _NOT_STANCES], [w for w in wr if w not in _NOT_STANCES]
    count_s = antonym_side_counts([stem(w) for w in ss])
    count_r = antonym_side_counts([stem(w) for w in sr])
    flips = 0
    cue = ("", "")
    swapped = set()  # antonym pairs whose one side became the other
    for k, side in sorted(count_s):
        # A word swapped for its opposite: fewer words on one side, more on the other. A side both
        # take as often is no flip ("lift bans ... imposed after" / "lift a ban"), but "removal
        # of sanctions imposed" / "extension of sanctions imposed" is.
        if count_s[k, side] > count_r[k, side] and count_r[k, 1 - side] > count_s[k, 1 - side]:
            flips += 1
            swapped.add(k)
            cue = (_cue_word(ss, k, side), _cue_word(sr, k, 1 - side))
    # A negating word swapped for its antonym ("denied" / "confirmed") is one flip, counted above,
    # not a second one that would cancel it.
    negated = [pair for pair in _negation_flips(ws, wr)
               if not any(k in swapped for k, _ in antonym_side_counts([stem(c) for c in pair if c in _NEGATING_WORDS]))]
    flips += len(negated)
    if negated and cue == ("", ""):
        cue = negated[0]
    return cue if flips % 2 else None


# Words whose stems are in ANTONYMS but which, as written, seldom state a side: the adverb and
# noun "back" (the verb's forms, "backed", "backs", still count) and the preposition "against"
# ("scored against Aston Villa" beside "fought back" is no change of stance).
_NOT_STANCES = frozenset({"back", "against"})
# "No more than 44 per cent": a bound on the figure, not its denial.
_COMPARATIVES = frozenset({"more", "less", "fewer", "greater", "higher", "lower", "later", "earlier", "longer", "shorter",
                           "bigger", "smaller", "larger", "older", "younger"})


# Negative words in phrases that assert: "protect not just workers, but also consumers" says it
# protects both; "none other than Huma Abedin" names her; "nothing but praise" is praise. ChatGPT's
# rewrites in sheepdog drop or add these freely, and each read as a flipped statement.
_ASSERTING = frozenset({
    ("not", "only"), ("not", "just"), ("not", "merely"), ("not", "simply"),
    ("none", "other", "than"), ("nothing", "but"), ("no", "doubt"),
    ("failing", "that"),  # "born in November or, failing that, in October": "or else"
})


# Words that deny what they govern, as "not" does: "was not involved" is "denied her
# involvement", "did not have the standards" is "lacked the standards", "not consulting" is "failure
# to consult". Read as negations, a rewrite that says one where its source says the other keeps
# the statement's polarity; one that drops them ("denied" / "was involved") flips it.
_NEGATING_WORDS = frozenset(
    "deny denies denied denying denial lack lacks lacked lacking fail fails failed failing failure "
    "refuse refuses refused refusing refusal neglected neglecting absence devoid".split()
)


def _negations_with_scope(words: list[str]) -> list[tuple[str, list[str], set[str]]]:
    """Each negation in a sentence's words with the stems of the statement it governs: the content
    words among the next six words, at most three, its head first ("did not take into account":
    take, account); and, for telling whether the other side negates the same statement, those of
    the next WIDE_REACH words (a negation may stand further from its statement there: "you
    cannot, as a girl in Iceland, be called Harriet"). "No" before a figure ("No 2", "no. 10") is a
    number's label, not a negation."""
    found = []
    for k, w in enumerate(words):
        after = k + 1  # where the governed statement starts
        if tuple(words[k : k + 3]) in _ASSERTING or tuple(words[k : k + 2]) in _ASSERTING:
            continue
        if w == "t" and k > 0 and words[k - 1].endswith("n"):  # "doesn't", "won't": doesn + t
            cue = words[k - 1] + "'t"
        elif w in NEGATIONS and not (w == "no" and k + 1 < len(words) and words[k + 1][:1].isdigit()):
            cue = w
        elif w in _NEGATING_WORDS:
            cue = w
        elif (w, words[k + 1] if k + 1 < len(words) else "") in (("rather", "than"), ("instead", "of")):
            cue, after = f"{w} {words[k + 1]}", k + 2
        elif w == "in" and words[k + 1 : k + 3] == ["place", "of"]:  # "instead of", as a phrase
            cue, after = "in place of", k + 3
        else:
            continue
        if cue in ("no", "not") and words[after : after + 2][1:] == ["than"] and words[after] in _COMPARATIVES:
            # A bound ("no more than 44 per cent") governs its comparison: it flips only beside
            # the same comparison unbounded ("more than 44 per cent"), not beside "only 44", nor
            # beside another figure's ("more than 320,000" elsewhere in a long sentence).
            found.append((cue, [_comparison(words, after)], {_comparison(words, after)}))
            continue
        # The content words of the next WIDE_REACH words, each with its distance from the cue.
        content = [(d, stem(x)) for d, x in enumerate(words[after : after + WIDE_REACH])
                   if x not in STOPWORDS and x not in NEGATIONS and x not in _NEGATING_WORDS and x != "t"]
        scope = [x for d, x in content if d < 6][:3]
        if scope:
            found.append((cue, scope, {x for _, x in content}))
    return found


def _comparison(words: list[str], k: int) -> str:
    """The comparison at words[k] ("more", then "than"), with what it compares to when the
    sentence goes on: "more than 44"."""
    return " ".join([stem(words[k]), "than", *words[k + 2 : k + 3]])


def _comparisons(words: list[str]) -> set[str]:
    return {_comparison(words, k) for k, w in enumerate(words) if w in _COMPARATIVES and words[k + 1 : k + 2] == ["than"]}


WIDE_REACH = 12  # words after a negation read for "the other side negates it too"


def _negation_flips(source_words: list[str], rewrite_words: list[str]) -> list[tuple[str, str]]:
    """Negations one side puts on a statement the other side keeps without it: a negation whose
    governed words the other sentence also says (its head, and two of them where there are two),
    where no negation of the other sentence governs any of them. A negation on a clause the other
    side left out ("..., and it did not get much better" in a source the summary cuts short, "she
    didn't start hitting the gym to look better" beside "first started exercising") is an
    omission, not a flip."""
    source_side = (source_words, _negations_with_scope(source_words))
    rewrite_side = (rewrite_words, _negations_with_scope(rewrite_words))
    out = []
    for (_, negated), (other, other_scopes), is_source in ((source_side, rewrite_side, True), (rewrite_side, source_side, False)):
        other_stems = {stem(x) for x in other} | _comparisons(other)
        for cue, scope, reach in negated:
            kept = [x for x in scope if x in other_stems]
            if scope[0] not in other_stems or len(kept) < min(2, len(scope)):
                continue  # the negated statement is not on the other side
            # The other side negates it too: one of its negations governs words of this one's
            # statement, or one negation's head lies within WIDE_REACH of the other ("We can't
            # have toys with lead paint" / "We cannot afford to have our children play with toys
            # tainted with lead paint"; "you cannot, as a girl in Iceland, be called Harriet" /
            # "you cannot be called Harriet").
            if any(set(scope) & set(theirs) or scope[0] in their_reach or theirs[0] in reach
                   for _, theirs, their_reach in other_scopes):
                continue
            out.append((cue, "(affirmative)") if is_source else ("(affirmative)", cue))
    return out


def _cue_word(words: list[str], k: int, side: int) -> str:
    return next((w for w in words if takes_side(stem(w), k, side)), "")

"""Which text of a verified pair is the original, and what says so.

A pair is directed only on evidence a person would use, and every decision carries a one-line
``evidence`` string saying what decided it; without such evidence the pair stays undirected
(``directed`` False, ``original`` the smaller id, an arbitrary stable order) rather than guessed.

1. Dates (``dated``). Each document's date is what it states: ``Document.published`` (HTML
   metadata, a JSONL field), for a WARC record the page's own date (``meta["page_date"]``), or a
   ``Date:`` line at the top of a plain text. A WARC record's ``published`` is when it was
   captured: that only bounds when the page existed. So: two stated dates that differ decide
   (the earlier is the original); a page captured before the other states it was published is
   the original; two capture dates decide only on different days (a crawl fetches related pages
   within hours, in any order). Dates are compared at the coarser of the two precisions: a date
   and a time on that day are the same day, not an order.
2. Text evidence (``evidence``): marks a derived text leaves, each pointing at one side:

   * containment: one text mostly inside the other, more than the other is inside it, and not
     the longer of the two (``contained``: the rule before this module, kept as it was);
   * dropped details: facts (numbers, dates, names, quotes) in content only one side has, and
     facts of aligned sentences that the other side's counterparts leave out. A rewrite drops
     details of its source and rarely brings new ones (it has no other source), so the side
     holding more of them is the original;
   * added chrome: blocks of site furniture (author boxes, cookie notices) on one side;
   * damaged sentences: cut-off sentences and headless fragments, as careless rewriting leaves;
   * misspellings: words far rarer than a word one letter away ("allready"), in English text.

   Each mark weighs the log-odds that it lies on the derived side (WEIGHTS, fitted add-one
   smoothed on the Clough-Stevenson answers of tasks a-c against their originals); the marks for
   each side add up as in naive Bayes, and the pair is directed when one side leads by
   ``log(ODDS)`` (19 to 1). Two guards, since the marks are not truly independent: when each side
   alone reaches ``log(ODDS)`` the marks contradict each other and the pair stays undirected (a
   student's answer that adds formulas of its own to a text it otherwise follows); and
   containment, uncontradicted by any mark, decides on its own as it did before.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from itertools import repeat
from typing import Any

from ..judge import WHOLLY

MARGIN = 0.05  # containment: how much more inside the other the derived one must be
WHOLE = 0.9  # ... and a text this much inside the other is "whole" there
CONTAINER = 0.6  # ... which, with the other this much inside it, leaves the direction open

# Log-odds per mark that it lies on the derived side: log((right + 1) / (wrong + 1)) over the 30
# Clough answers of tasks a-c that compare judges derived, each against its original
# (containment counted per pair, the others per mark):
#   containment: 11 pairs pointed at the answer, 0 at the original
#   facts:       413 unmatched facts on the original's side, 66 on the answer's
#   chrome:      1 block on the answers, 0 on the originals
#   damage:      6 damaged sentences in the answers, 0 in the originals
#   typos:       16 misspelt words in the answers, 0 in the originals
#   omitted:     167 facts of aligned sentences the answer leaves out, 67 the original leaves out
WEIGHTS = {"contained": math.log(12), "facts": math.log(414 / 67), "chrome": math.log(2), "damage": math.log(7),
           "typos": math.log(17), "omitted": math.log(168 / 68)}
ODDS = 19.0
HEADER_LINES = 6  # a Date: line counts within the first few non-empty lines (an e-mail-like header)


@dataclass(frozen=True)
class Dated:
    """A document's date: ``value`` as ISO text (a date, or a date and UTC time), ``kind``
    "published" (the page or file states it), "stated" (a Date: line) or "captured" (a WARC
    record's capture time: the page existed then)."""

    value: str
    kind: str

    @property
    def day(self) -> str:
        return self.value[:10]


@dataclass(frozen=True)
class Marks:
    """What one side of a compared pair shows: facts in content only it has, site chrome blocks,
    damaged sentences."""

    facts: int = 0
    chrome: int = 0
    damage: int = 0
    typos: int = 0
    omitted: int = 0  # facts of its aligned sentences that their counterparts leave out


@dataclass(frozen=True)
class Orientation:
    original: str
    derived: str
    direction: str  # dated, evidence, unknown
    evidence: str  # what decided it, one line; "" when undirected

    @property
    def directed(self) -> bool:
        return self.direction != "unknown"

    def astuple(self) -> tuple[str, str, str]:
        return self.original, self.derived, self.direction


# -- dates ------------------------------------------------------------------------------------


def document_date(doc: Any) -> Dated | None:
    """A Document's (or Packed's) best date: what it states, else when it was captured."""
    meta = getattr(doc, "meta", None) or {}
    published = parse_date(getattr(doc, "published", None))
    if meta.get("format") == "warc":
        stated = parse_date(meta.get("page_date"))
        if stated is not None:
            return Dated(stated, "published")
        return Dated(published, "captured") if published is not None else None
    if published is not None:
        return Dated(published, "published")
    line = date_line(getattr(doc, "text", "") or "")
    return Dated(line, "stated") if line is not None else None


_DATE_LINE = re.compile(r"^\s*(?:date|dated|published|posted(?: on)?)\s*:\s*(.+?)\s*$", re.IGNORECASE)


def date_line(text: str) -> str | None:
    """The date of a ``Date: ...`` (or ``Published: ...``) line among the first non-empty lines
    of a plain text, as ISO text; None when there is none or it does not parse."""
    seen = 0
    for line in text[:4000].splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        m = _DATE_LINE.match(line)
        if m:
            return parse_date(m.group(1))
    return None


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_DAY_MONTH_YEAR = re.compile(r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def parse_date(value: Any) -> str | None:
    """ISO text for a date as documents write it: ISO 8601 (a time zone made UTC), RFC 2822
    (e-mail, HTTP), "12 January 2024", "January 12, 2024". None when it is none of these:
    a date that cannot be read orders nothing (11/01/2024 could be either month)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is not None:
            parsed = parsed.replace(tzinfo=None) - (parsed.utcoffset() or timedelta(0))
        # A bare date stays a date: its precision is a day, not midnight.
        return parsed.date().isoformat() if len(text) <= 10 else parsed.isoformat()
    for pattern, order in ((_DAY_MONTH_YEAR, (0, 1, 2)), (_MONTH_DAY_YEAR, (1, 0, 2))):
        m = pattern.match(text)
        if m:
            day, month, year = (m.group(i + 1) for i in order)
            number = _MONTHS.get(month[:3].lower())
            if number is None or (len(month) > 3 and not _is_month_name(month)):
                return None
            try:
                return datetime(int(year), number, int(day)).date().isoformat()
            except ValueError:
                return None
    try:
        mail = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if mail is None:
        return None
    if mail.tzinfo is not None:
        mail = mail.replace(tzinfo=None) - (mail.utcoffset() or timedelta(0))
    return mail.isoformat()


def _is_month_name(word: str) -> bool:
    names = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december", "sept")
    return word.lower().rstrip(".") in names


def _before(x: Dated, y: Dated) -> bool | None:
    """Whether x is before y, compared at the coarser precision; None when they are the same."""
    if len(x.value) <= 10 or len(y.value) <= 10:
        a, b = x.day, y.day
    else:
        a, b = x.value, y.value
    return None if a == b else a < b


_VERB = {"published": "published", "stated": "dated", "captured": "captured"}


def by_dates(a: str, b: str, dates: Mapping[str, Dated | None]) -> Orientation | None:
    da, db = dates.get(a), dates.get(b)
    if da is None or db is None:
        return None
    captured = {da.kind == "captured", db.kind == "captured"}
    if captured == {True}:
        # Two capture times: only days apart say anything.
        if da.day == db.day:
            return None
        first, second = (a, b) if da.day < db.day else (b, a)
    elif captured == {True, False}:
        # A capture bounds when a page existed: it is first only if captured before the other's
        # stated date, never after.
        cap, other = (a, b) if da.kind == "captured" else (b, a)
        before = _before(dates[cap], dates[other])  # type: ignore[arg-type]
        if not before:
            return None
        first, second = cap, other
    else:
        before = _before(da, db)
        if before is None:
            return None
        first, second = (a, b) if before else (b, a)
    f, s = dates[first], dates[second]
    assert f is not None and s is not None
    day = min(len(f.value), len(s.value)) <= 10  # shown at the precision they were compared at
    if f.kind == s.kind:
        phrase = f"{_VERB[f.kind]} {_show(f, day)} before {_show(s, day)}"
    else:
        phrase = f"{first} {_VERB[f.kind]} {_show(f, day)}, before {second} was {_VERB[s.kind]} {_show(s, day)}"
    return Orientation(first, second, "dated", phrase)


def _show(d: Dated, day: bool) -> str:
    return d.day if day else d.value.replace("T", " ")


# -- text evidence -----------------------------------------------------------------------------


_ABBREVIATION_BEFORE = re.compile(r"\b(?:e\.g|i\.e|etc|cf|vs|viz|approx|incl|al|no|fig)\.\s*$", re.IGNORECASE)


def report_marks(report: Any) -> dict[str, Marks]:
    """Each document's marks from a ``compare`` report (the longer text as its source): the
    facts of its unmatched content and those its aligned sentences hold that their counterparts
    leave out, its chrome blocks, its damaged sentences, its misspellings. The report checks
    damage on its rewrite only; the source is checked here the same way, so both sides are
    weighed alike. {} for a report without its documents."""
    from ..fidelity import unpaired
    from ..fidelity.damage import damaged
    from ..segment import body_segments

    j = report.judgement
    src, rw = getattr(report, "source", None), getattr(report, "rewrite", None)
    if src is None or rw is None:
        return {}
    dropped = getattr(j, "dropped", None) or []
    pairs = [(q, s) for p in report.passages for q, s, _ in getattr(p, "pairs", ())]
    # Every unmatched rewrite sentence, as the weights were fitted on: the report's additions
    # leave out those that say nothing new, and its unsupported claims hold words, not facts.
    additions = unpaired(rw, body_segments(rw), [q for q, _ in pairs], "rewrite")
    src_damage = []
    for seg in body_segments(src):
        block = next((rw.text[q.start:q.end] for q, s in pairs if s.start <= seg.span.start < s.end), None)
        src_damage += damaged(src.text, seg.span, block)
    rw_damage = getattr(j, "damaged", None) or []
    src_omitted, rw_omitted = _omitted(src.text, rw.text, pairs)
    return {
        src.id: Marks(facts=sum(len(d.facts or ()) for d in dropped), chrome=len(src.chrome),
                      damage=_real_damage(src.text, src_damage), typos=misspellings(src.text, rw.text),
                      omitted=src_omitted),
        rw.id: Marks(facts=sum(len(a.facts or ()) for a in additions), chrome=len(rw.chrome),
                     damage=_real_damage(rw.text, rw_damage), typos=misspellings(rw.text, src.text),
                     omitted=rw_omitted),
    }


_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")  # lower case: typos of common words, not names
_LOWER_TOKEN = re.compile(r"\b[a-z]{2,}\b")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
TYPO_RARER = 100  # a misspelling is this much rarer than the word it misspells
ENGLISH_KNOWN = 0.7  # below this share of its words known to the English list, a text is not English prose


def misspellings(text: str, other: str) -> int:
    """Distinct misspelt words in ``text``: lower-case words missing from wordfreq's common
    English list, that ``other`` does not use either, and that are written at least TYPO_RARER
    times less often than a word one edit away (a letter added, dropped, changed, or two
    swapped: "allready", "similer"; not "weighting", "subsets"). 0 for text that is not English."""
    candidates = _typo_candidates(text)
    return len(candidates - _lower_words(other)) if candidates else 0


@lru_cache(maxsize=16)  # a scan weighs a document against each of its candidates in a row
def _typo_candidates(text: str) -> frozenset[str]:
    """The words of ``text`` that would count as misspelt whatever the other text uses (empty
    for text that is not English)."""
    from ..judge.rarity import zipf

    words = _LOWER_WORD.findall(text)
    # English prose is mostly common English words (its function words alone see to that).
    common = _LOWER_TOKEN.findall(text)
    if not words or sum(zipf(w) > 0 for w in common) < ENGLISH_KNOWN * len(common):
        return frozenset()
    return frozenset(w for w in set(words) if not zipf(w) > 0 and _looks_misspelt(w))


@lru_cache(maxsize=16)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(_LOWER_WORD.findall(text))


@lru_cache(maxsize=100_000)
def _looks_misspelt(word: str) -> bool:
    """A word one edit away is written TYPO_RARER times more often. Cached: a scan weighs each
    text against every text of its candidate pairs, and a word's edits number some 500."""
    # The most frequent edit's Zipf value is the largest (the rounded log is monotonic): one
    # dictionary lookup an edit, one logarithm a word.
    table = _large_list()
    return _zipf_of(max(map(table.get, _edits(word), repeat(0.0)))) - _zipf_large(word) >= math.log10(TYPO_RARER)


def _zipf_large(word: str) -> float:
    """wordfreq's Zipf frequency of a lower-case a-z word in its large list (in wordfreq's wheel):
    rare words and common misspellings have a frequency there, so "allready" is measured against
    "already" rather than against nothing. Read from the list itself: ``zipf_frequency`` would
    first tokenize the word (about 20 us), and a text's candidate misspellings have some 500 edits
    each, nearly all of them no word at all (that was a third of a scan's verification). For such
    a word the two are equal (checked on 240,000 words and edits)."""
    return _zipf_of(_large_list().get(word, 0.0))


def _zipf_of(frequency: float) -> float:
    return round(math.log10(frequency) + 9.0, 2) if frequency > 0 else 0.0


@lru_cache(maxsize=1)
def _large_list() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="large")


def _edits(w: str):
    for i in range(len(w) + 1):
        head, tail = w[:i], w[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
        for c in _LETTERS:
            yield head + c + tail
            if tail and c != tail[0]:
                yield head + c + tail[1:]


def _omitted(src: str, rw: str, pairs: list[tuple[Any, Any]]) -> tuple[int, int]:
    """Facts of aligned sentences missing from their counterparts, for each side: (the
    source's facts the rewrite's sentences leave out, the rewrite's the source's leave out)."""
    from collections import Counter

    from ..fidelity.facts import extract

    def keys(text: str, span: Any) -> Counter:
        return Counter(repr(f.value) if f.value is not None else f.text.lower()
                       for f in extract(text, span.start, span.end).all())

    out_src = out_rw = 0
    for q, s in pairs:
        ks, kq = keys(src, s), keys(rw, q)
        out_src += sum((ks - kq).values())
        out_rw += sum((kq - ks).values())
    return out_src, out_rw


def _real_damage(text: str, found: list[Any]) -> int:
    """Damaged sentences, less "fragments" that follow an abbreviation ("e.g. relevance of..."):
    those are one sentence read as two, not a cut."""
    return sum(1 for f in found
               if not (f.kind == "fragment" and _ABBREVIATION_BEFORE.search(text[max(0, f.span.start - 12):f.span.start])))


def contained(a: str, b: str, share: Mapping[str, float], length: Mapping[str, int] | None) -> str | None:
    """The id that lies mostly inside the other by the containment rule (module docstring), or None."""
    length = length or {a: 0, b: 0}
    for x, y in ((a, b), (b, a)):
        if (share[x] >= WHOLLY and round(share[x] - share[y], 6) >= MARGIN and length[x] <= length[y]
                and not (share[x] >= WHOLE and share[y] >= CONTAINER)):
            return x
    return None


def by_text(a: str, b: str, share: Mapping[str, float], length: Mapping[str, int] | None,
            marks: Mapping[str, Marks] | None, odds: float = ODDS) -> Orientation | None:
    """The pair directed by the marks a derived text leaves (module docstring), or None."""
    votes: list[tuple[str, float, str]] = []  # (the id it says is derived, weight, what it says)
    inside = contained(a, b, share, length)
    if inside is not None:
        other = b if inside == a else a
        votes.append((inside, WEIGHTS["contained"],
                      f"lies {_pct(share[inside])} inside the other (the other {_pct(share[other])} inside it)"))
    ma, mb = (marks or {}).get(a), (marks or {}).get(b)
    if ma is not None and mb is not None:
        for kind, says in _SAYS.items():
            x, y = getattr(ma, kind), getattr(mb, kind)
            if x == y:
                continue
            if kind in _THE_ORIGINALS:  # the side with more of these kept what the other dropped
                derived, theirs, own = (b, x, y) if x > y else (a, y, x)
            else:
                derived, theirs, own = (a, x - y, 0) if x > y else (b, y - x, 0)
            votes.append((derived, WEIGHTS[kind] * abs(x - y), says(theirs, own)))
    # Naive Bayes: the marks' log-odds for each side being the derived one, netted.
    weight = {a: 0.0, b: 0.0}
    for x, w, _ in votes:
        weight[x] += w
    derived = a if weight[a] > weight[b] else b
    original = b if derived == a else a
    # Containment uncontradicted decides on its own, as it did before the marks were weighed
    # (it pointed right on every Clough pair it fired on, 21 of them).
    alone = inside == derived and weight[original] == 0
    if abs(weight[a] - weight[b]) < math.log(odds) and not alone:
        return None
    if min(weight.values()) >= math.log(odds):
        return None  # each reading has the odds on its own: the marks contradict each other
    # The strongest reasons first, at most three: one line a person reads.
    reasons = [v[2] for v in sorted(votes, key=lambda v: -v[1]) if v[0] == derived][:3]
    return Orientation(original, derived, "evidence", f"{derived} " + "; ".join(reasons))


# Each mark as the evidence line says it of the derived side.
_SAYS = {
    "facts": lambda theirs, own: f"drops {_n(theirs, 'detail')} the other has (has {own} of its own)",
    "omitted": lambda theirs, own: f"leaves out {_n(theirs, 'detail')} of the sentences both have (the other {own})",
    "chrome": lambda k, _: f"adds {_n(k, 'block')} of site chrome",
    "damage": lambda k, _: f"has {_n(k, 'damaged sentence')} more",
    "typos": lambda k, _: f"has {_n(k, 'misspelt word')} more",
}
_THE_ORIGINALS = {"facts", "omitted"}


def _pct(x: float) -> str:
    return f"{round(100 * x)} %"


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


# -- both ----------------------------------------------------------------------------------------


def orient_pair(a: str, b: str, share: Mapping[str, float], length: Mapping[str, int] | None = None, *,
                dates: Mapping[str, Dated | None] | None = None,
                marks: Mapping[str, Marks] | None = None) -> Orientation:
    """The pair's direction: dates first, then text evidence, else undirected in id order."""
    decided = by_dates(a, b, dates or {}) or by_text(a, b, share, length, marks)
    if decided is not None:
        return decided
    x, y = sorted((a, b))
    return Orientation(x, y, "unknown", "")

"""Segment: text into paragraphs and sentences, with exact character offsets.

A small rule-based splitter rather than a library: offsets must index the text exactly as given
(CRLF, odd spacing and all), it runs on every document of a corpus so it must be fast, and it has
to split the run-together sentences that spun text is full of ("...the right to form groups.He
cautioned..."), which the common splitters keep as one sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .types import Document, Segment, Span
from .words import word_count, word_matches

# A paragraph ends at a blank line (or a line of only whitespace).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# A sentence ends at ., !, ? or … (optionally followed by closing quotes or brackets) when the
# next thing is whitespace and then something that can open a sentence.
_BOUNDARY = re.compile(
    r"""[.!?…]+["'”’)\]]*          # the end of a sentence
        (?:\s+(?=["'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])   # space, then an opener
        |(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))       # or no space: "groups.He cautioned"
    """,
    re.VERBOSE,
)

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "nos",
    "fig", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "al", "cf", "vol", "pp", "ed", "eds", "est", "dept", "univ", "u.s", "u.k", "p", "op",
}


MAX_WORDS = 80  # longer "sentences" (tables, run-on lists) are cut into chunks for the model
HEADING_MAX_WORDS = 12


def paragraphs(text: str) -> list[Span]:
    """Non-empty paragraphs, trimmed of surrounding whitespace."""
    spans = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.extend(_trimmed(text, pos, m.start()))
        pos = m.end()
    spans.extend(_trimmed(text, pos, len(text)))
    return spans


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans within text[start:end]."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    spans: list[Span] = []
    pos = 0
    for m in _BOUNDARY.finditer(chunk):
        stop = m.start() + len(m.group(0).rstrip())
        if _is_abbreviation(chunk, m.start()):
            continue
        spans.extend(_trimmed(text, start + pos, start + stop))
        pos = m.end()
    spans.extend(_trimmed(text, start + pos, end))
    out: list[Span] = []
    for s in _attach_markers(text, spans):
        out.extend(_cap_length(text, s))
    return out


def segment(text: str, doc_id: str = "") -> list[Segment]:
    """All segments of a text, in order: headings and sentences, each with its paragraph index."""
    return list(_segment(text, doc_id))


# A trace segments its query once for every source it verifies, a scan a document once for every
# pair it is in: the last few texts' segments are kept (Segments are frozen; each caller gets its
# own list).
@lru_cache(maxsize=32)
def _segment(text: str, doc_id: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for p_index, para in enumerate(paragraphs(text)):
        sents = sentences(text, para.start, para.end)
        if len(sents) == 1 and _is_heading(text[para.start : para.end]):
            out.append(Segment(doc_id, sents[0], "heading", p_index))
            continue
        out.extend(Segment(doc_id, s, "sentence", p_index) for s in sents)
    return tuple(out)


def _is_heading(para: str) -> bool:
    stripped = para.rstrip()
    return (
        "\n" not in stripped
        and word_count(stripped) <= HEADING_MAX_WORDS
        and not stripped.endswith((".", "!", "?", ";", ",", "…", "”", '"'))
    )


def _is_abbreviation(chunk: str, dot: int) -> bool:
    if chunk[dot] != ".":
        return False
    # The run of word characters and dots that ends at the dot, looked for backwards within a
    # window (what `[\w.]+$` would find there, without a regex search from every position).
    lo = max(0, dot - 24)
    i = dot
    while i > lo and (chunk[i - 1].isalnum() or chunk[i - 1] in "._"):
        i -= 1
    if i == dot:
        return False
    token = chunk[i:dot].lower()
    if token in _ABBREVIATIONS:
        return True
    # Initials ("J. K. Rowling", "U.S.") and single letters.
    return len(token) == 1 and token.isalpha() and chunk[dot - 1].isupper()


_LIST_MARKER = re.compile(r"^(\(?[0-9]{1,3}|\(?[a-zA-Z]|[ivxIVX]{1,4})[.)]$")


def _attach_markers(text: str, spans: list[Span]) -> list[Span]:
    """A list marker on its own ("1.", "b)", "iv.") belongs to the sentence after it."""
    out: list[Span] = []
    pending: int | None = None
    for s in spans:
        if _LIST_MARKER.match(text[s.start : s.end]):
            if pending is None:
                pending = s.start
            continue
        if pending is not None:
            s = Span(pending, s.end)
            pending = None
        out.append(s)
    if pending is not None:
        out.append(Span(pending, spans[-1].end))
    return out


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if end > start else []


def _cap_length(text: str, span: Span) -> list[Span]:
    if span.end - span.start < 2 * MAX_WORDS:  # too short to hold more than MAX_WORDS words
        return [span]
    ws = list(word_matches(text, span.start, span.end))
    if len(ws) <= MAX_WORDS:
        return [span]
    out = []
    start = span.start
    for i in range(MAX_WORDS, len(ws), MAX_WORDS):
        cut = ws[i].start()
        out.extend(_trimmed(text, start, cut))
        start = cut
    out.extend(_trimmed(text, start, span.end))
    return out


def body_segments(doc: Document) -> list[Segment]:
    """The document's segments that lie outside its chrome (marked by ``clean``): what is
    compared, indexed and embedded."""
    segments = segment(doc.text, doc.id)
    if not doc.chrome:
        return segments
    return [s for s in segments if not any(c.start <= s.span.start and s.span.end <= c.end for c in doc.chrome)]


def body_texts(doc: Document) -> list[str]:
    """The texts of ``body_segments``: what the index and trace embed and fingerprint."""
    return [s.text(doc.text) for s in body_segments(doc)]

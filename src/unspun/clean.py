"""Clean (basic): mark the site chrome that trails a pasted web article.

Text copied from a browser often ends with the page around the article: an author box, a list of
recent posts, a cookie notice. Reuse found there is noise, and counting it hides what was really
copied. This pass finds the first unmistakable chrome heading in the last part of the text and
marks everything from it to the end, plus lone cookie/consent and share lines anywhere. Chrome is
marked as spans on the Document, never deleted, so offsets stay valid.
"""

from __future__ import annotations

import re

from .segment import paragraphs
from .types import Document, Span

# Headings that start the trailing part of a page, never the article.
_TRAILER_HEADING = re.compile(
    r"""^(about\ (the\ )?(author|us|[\w'’.-]+(\ [\w'’.-]+){0,2})
        |(recent|related|popular|latest|more|similar|trending)\ (posts|articles|stories|news)
        |you\ (may|might)\ also\ like.*
        |(leave\ a\ (reply|comment)|comments?|\d+\ comments?)
        |(share|follow)\ (this|us).*
        |(tags?|categories|filed\ under)\s*:.*
        )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that are chrome wherever they stand.
_CHROME_LINE = re.compile(
    r"""^(this\ (web)?site\ uses\ cookies.*
        |we\ use\ cookies.*
        |(accept|reject)(\ all)?\ cookies.*
        |read\ more|continue\ reading.*
        |share\ (on|via)\ .*
        |subscribe(\ to\ our\ newsletter)?.*
        |(click|tap)\ here\ to\ .*
        )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Only the last part of a text can be its trailer; an "About ..." heading early on is content.
TRAILER_ZONE = 0.5


def mark_chrome(doc: Document) -> Document:
    spans: list[Span] = []
    paras = paragraphs(doc.text)
    zone_start = int(len(doc.text) * (1 - TRAILER_ZONE))
    trailer_from = None
    for p in paras:
        line = doc.text[p.start : p.end]
        if p.start >= zone_start and "\n" not in line and _TRAILER_HEADING.match(line):
            trailer_from = p.start
            break
    for p in paras:
        if trailer_from is not None and p.start >= trailer_from:
            break
        if _CHROME_LINE.match(doc.text[p.start : p.end]):
            spans.append(p)
    if trailer_from is not None:
        spans.append(Span(trailer_from, len(doc.text.rstrip())))
    doc.chrome = spans
    return doc

"""Attribution: does the rewrite credit its source, or only name its publisher in the story?

Credit is a link to the source's URL or domain, its title, or an explicit credit phrase ("Source:
ITUC", "originally published by", "according to a statement by the ITUC"). Naming the
organisation as an actor ("the ITUC called for...") is not credit.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

from ..types import Attribution, Document, Finding, Span
from ..words import tokens

_CREDIT = re.compile(
    r"\b(?:source|sources|via|credit|courtesy of|originally (?:published|appeared|posted)(?: (?:by|on|in|at))?"
    r"|first (?:published|appeared) (?:by|on|in|at)|republished (?:from|with permission of)"
    r"|according to (?:a|the|an) (?:statement|press release|report|release|article|post|letter) (?:by|from|of|issued by|published by)"
    r"|(?:in|from) (?:a|the) (?:statement|press release|release) (?:by|from|issued by|published by)"
    r"|as reported by|(?:this|the) (?:article|story|post) (?:is|was) (?:based on|adapted from))\b\s*:?\s*",
    re.IGNORECASE,
)


def publisher_names(source: Document, publisher: str | None) -> list[str]:
    """Ways the source's publisher may be written: given, from the page, or the organisation the
    source names most (an acronym used at least twice, with its expansion if it gives one)."""
    names = [n for n in (publisher, source.meta.get("sitename")) if n]
    counts = Counter(re.findall(r"\b[A-Z][A-Z0-9&]{1,7}\b", source.text))
    names += [a for a, c in counts.most_common(1) if c >= 2]
    for name in list(names):
        m = re.search(rf"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the)\s+)?){{2,}})\({re.escape(name)}\)", source.text)
        if m:
            names.append(m.group(1).strip())
    return list(dict.fromkeys(names))


def attribution(source: Document, rewrite: Document, *, url: str | None = None, title: str | None = None,
                publisher: str | None = None) -> Attribution:
    text = rewrite.text
    evidence: list[Finding] = []
    credited = False
    url = url or source.url
    if url:
        try:
            host = urlparse(url if "://" in url else "https://" + url).netloc.lower().removeprefix("www.")
        except ValueError:  # not a URL at all ("http://[x", an unclosed IPv6 bracket): the link alone
            host = ""
        for needle, kind in ((url, "link"), (host, "domain")):
            if needle and (at := text.lower().find(needle.lower())) >= 0:
                evidence.append(_found(kind, text, at, at + len(needle)))
                credited = True
                break
    title = title or source.title
    if title and len(tokens(title)) >= 4:
        at = text.lower().find(title.lower())
        if at >= 0:
            evidence.append(_found("title", text, at, at + len(title)))
            credited = True
    names = publisher_names(source, publisher)
    names_org = False
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            names_org = True
            before = text[max(0, m.start() - 80) : m.start()]
            credit = _CREDIT.search(before)
            if credit and _credit_reaches(before[credit.end():]):
                credited = True
                start = m.start() - len(before) + credit.start()
                evidence.append(_found("credit", text, start, m.end()))
            else:
                evidence.append(_found("names-org", text, m.start(), m.end()))
    return Attribution(credited, names_org, evidence, names[0] if names else None)


def _found(kind: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind, "rewrite", Span(start, end), text[start:end])


def _credit_reaches(between: str) -> bool:
    """The credit phrase governs the name when only a few words stand between them."""
    return len(tokens(between)) <= 4 and not re.search(r"[.!?]", between)

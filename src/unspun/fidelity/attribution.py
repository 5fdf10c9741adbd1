"""Attribution: does the rewrite credit its source, or only name its publisher in the story?

Credit is a link to the source's URL or domain, its title, or an explicit credit phrase ("Source:
ITUC", "originally published by", "according to a statement by the ITUC", "Rolling Stone
reported"). Naming the organisation as an actor ("the ITUC called for...") is not credit.

The publisher is whoever publishes the source, never merely an organisation the source talks
about: the name given, the page's site name, the name its URL's host spells ("rollingstone.com":
"Rolling Stone"), or, for a bare text with none of those (a press release pasted as text), the
organisation that speaks in it ("The ITUC condemns...", "Ascom today announced...", an "About
Ascom" line). An acronym a page uses often (a state in tour dates, the agency a story is about)
is not its publisher. Aliases are the names the source itself gives it ("International Trade
Union Confederation (ITUC)"). Every piece of evidence is the text found in the rewrite, and the
``publisher`` reported is the alias the rewrite actually uses when it names the publisher.
"""

from __future__ import annotations

import re
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
# A publication credited after its name: "Rolling Stone reported details of the tour".
_CREDIT_AFTER = re.compile(r"(?:[’']s)?\s+(?:first\s+|previously\s+|originally\s+|earlier\s+)?(?:reported|reports)\b")

# Second-level labels under a country code ("thesun.co.uk", "abc.net.au"): the name is the label before.
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"}
_ACRONYM = r"[A-Z][A-Z0-9&]{1,9}"
_WORD = r"[A-Z][\w&’'.-]*"
_NAME = rf"(?:{_ACRONYM}|{_WORD}(?:[ \t]+(?:of|and|for|the|&|{_WORD})){{0,5}})"
# What a releasing organisation does in its own lead sentence, in the present tense of a statement
# ("condemns", "welcomes") or the release's "today announced": news reports of an organisation
# say it in the past ("NASA announced Nov. 18").
_STATES = (
    r"(?:strongly\s+|today\s+|warmly\s+)?(?:condemns|demands|calls\s+(?:on|for|upon)|urges|welcomes|announces|denounces"
    r"|deplores|applauds|congratulates|expresses|reiterates|insists|launches|unveils|introduces|rejects|protests"
    r"|salutes|mourns|is\s+(?:pleased|proud|delighted|deeply\s+concerned)|stands\s+with)\b"
    r"|today\s+announced\b|announced\s+today\b"
)
_SPEAKS = re.compile(rf"^(?:[A-Z][A-Z .,'-]*\s+[—–-]+\s+)?(?:The\s+)?({_NAME})(?:\s+\(({_ACRONYM})\))?"
                     rf"(?:,[^,.]{{1,160}},)?\s+(?:{_STATES})")
_ABOUT = re.compile(rf"^About[ \t]+(?:the[ \t]+)?({_NAME})[ \t]*$", re.MULTILINE)
_NOT_ORG = {"Us", "Me", "Him", "Her", "Them", "This", "It", "The Author", "Author", "Today", "We", "They"}


def publisher_names(source: Document, publisher: str | None = None, *, url: str | None = None,
                    also_in: str = "") -> list[str]:
    """Ways the source's publisher may be written, most certain first.

    From the publisher given, the page's site name and the host of ``url`` (else the source's own
    URL): their spellings and the aliases the source gives them. Only when none of those gives a
    name, the organisation that speaks in the source (see ``speaker``); never an organisation the source
    merely mentions. ``also_in``: more text (the rewrite) in which to look for a spelling of the
    host's name ("rollingstone.com" written "Rolling Stone")."""
    names: list[str] = []
    for given in (publisher, source.meta.get("sitename")):
        if isinstance(given, str) and given.strip():
            names += _spellings(given.strip())
    label = _host_label(_host(url or source.url))
    if label:
        for text in (source.title or "", source.text, also_in):
            names += _written_as(label, text)
    if not names:  # no name from the page or the caller: the voice of the text itself
        found = speaker(source)
        if found:
            names.append(found)
    names = list(dict.fromkeys(names))
    for name in list(names):
        names += _expansions(name, source.text)
    return list(dict.fromkeys(n for n in names if n and n not in _NOT_ORG))


def speaker(source: Document) -> str | None:
    """The organisation a release speaks for: the subject of its lead sentence in a release's own
    voice ("The ITUC condemns...", "Ascom today announced...") or its "About X" line, named at least
    twice in the source. None when the text shows no such voice."""
    text = source.text
    lead = _lead(text)
    candidates = []
    if lead and (m := _SPEAKS.match(lead)):
        candidates.append(m.group(2) or m.group(1))  # "The Trade Union Confederation (ITUC) condemns": ITUC
    candidates += [m.group(1) for m in _ABOUT.finditer(text)]
    for name in candidates:
        name = name.strip()
        if name in _NOT_ORG or name == source.meta.get("author"):
            continue  # "About Us", "About Jane Doe" (the author's box) name no organisation
        if len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text)) >= 2:
            return name
    return None


def attribution(source: Document, rewrite: Document, *, url: str | None = None, title: str | None = None,
                publisher: str | None = None) -> Attribution:
    text = rewrite.text
    evidence: list[Finding] = []
    credited = False
    url = url or source.url
    if url:
        host = _host(url)
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
    names = publisher_names(source, publisher, url=url, also_in=text)
    names_org = False
    found_as: str | None = None
    taken = bytearray(len(text))  # characters already evidence (the link, the title, a longer alias)
    for e in evidence:
        taken[e.span.start : e.span.end] = b"\x01" * (e.span.end - e.span.start)
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(taken[m.start() : m.end()]):
                continue  # inside a longer alias, the link or the title already found
            names_org = True
            found_as = found_as or m.group()
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            before = text[max(0, m.start() - 80) : m.start()]
            credit = _CREDIT.search(before)
            if credit and _credit_reaches(before[credit.end():]):
                credited = True
                start = m.start() - len(before) + credit.start()
                evidence.append(_found("credit", text, start, m.end()))
            elif after := _CREDIT_AFTER.match(text, m.end()):
                credited = True
                evidence.append(_found("credit", text, m.start(), after.end()))
            else:
                evidence.append(_found("names-org", text, m.start(), m.end()))
    return Attribution(credited, names_org, evidence, found_as or (names[0] if names else None))


def _found(kind: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind, "rewrite", Span(start, end), text[start:end])


def _credit_reaches(between: str) -> bool:
    """The credit phrase governs the name when only a few words stand between them."""
    return len(tokens(between)) <= 4 and not re.search(r"[.!?]", between)


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return urlparse(url if "://" in url else "https://" + url).netloc.lower().removeprefix("www.")
    except ValueError:  # not a URL at all ("http://[x", an unclosed IPv6 bracket)
        return ""


def _host_label(host: str) -> str:
    """The name part of a host: "rollingstone" of "rollingstone.com", "thesun" of "thesun.co.uk"."""
    labels = host.split(":")[0].split(".")
    if len(labels) < 2:
        return ""
    labels = labels[:-1]
    if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    label = labels[-1]
    return label if len(label) >= 3 and not label.isdigit() else ""


def _written_as(label: str, text: str) -> list[str]:
    """Capitalised spellings in ``text`` of a host's name: "Rolling Stone", "SpaceNews", "The Hill"
    for "rollingstone", "spacenews", "thehill". One plain capitalised word that is only the label
    ("Cleveland" for "cleveland") is the host's name only as written with capitals inside it, as a
    place or a common word of the same letters is not the publisher."""
    found: dict[str, None] = {}
    want = re.sub(r"[^\w]", "", label)
    start = re.escape(label[0].upper())
    for m in re.finditer(rf"(?<![\w.])(?=({start}[\w&'’.-]*(?:[ \t]+[A-Z0-9][\w&'’.-]*){{0,3}}))", text):
        parts = m.group(1).split()
        for n in range(1, len(parts) + 1):
            candidate = re.sub(r"\.(?:com|org|net|co\.uk)$", "", " ".join(parts[:n]).rstrip(".,'’:;"))
            letters = re.sub(r"[^\w]", "", candidate).lower()
            if letters == want and (n > 1 or candidate != candidate.capitalize()):
                found[candidate] = None
                break
            if len(letters) >= len(want):
                break
    return list(found)


def _spellings(name: str) -> list[str]:
    """A site name and its shorter forms: "SpaceNews.com" also "SpaceNews"; "LinkNaija | Nigeria's
    popular news platform" as "LinkNaija"; "The Hollywood Reporter" also "Hollywood Reporter"
    (dropping "The" only where what is left is still a name, not "Guardian" or "Hill")."""
    first = re.split(r"\s+[|–—-]\s+|\s*\|\s*", name)[0].strip()
    out = [first]
    bare = re.sub(r"\.(?:com|org|net|co\.uk|ca|de|in)$", "", first, flags=re.IGNORECASE)
    if bare != first and len(bare) >= 3:
        out.append(bare)
    for n in list(out):
        rest = n[4:] if n.startswith("The ") else ""
        if len(rest.split()) >= 2:
            out.append(rest)
    return out


def _expansions(name: str, text: str) -> list[str]:
    """The aliases the source gives a name: "International Trade Union Confederation (ITUC)" makes
    each of the two an alias of the other."""
    out = []
    if re.fullmatch(_ACRONYM, name):
        m = re.search(rf"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the)\s+)?){{2,}})\({re.escape(name)}\)", text)
        if m:
            out.append(re.sub(r"^The\s+", "", m.group(1).strip()))
    else:
        m = re.search(rf"(?<!\w){re.escape(name)}\s+\(({_ACRONYM})\)", text)
        if m:
            out.append(m.group(1))
    return out


def _lead(text: str) -> str:
    """The first sentence of the body: the first paragraph of a dozen words or more that ends as
    prose does (past the headline, a dateline, a photo credit)."""
    for para in re.split(r"\n", text):
        para = para.strip()
        if len(tokens(para)) >= 12 and re.search(r"[.!?][\"”’)]?$", para):
            return re.split(r"(?<=[.!?])\s+", para, maxsplit=1)[0]
    return ""

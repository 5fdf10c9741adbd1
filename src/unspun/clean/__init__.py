"""Clean: mark what is not the article (site chrome; headline, byline and credits as metadata).

Nothing is deleted: chrome becomes ``Document.chrome`` spans, metadata lines
``Document.meta["metadata"]`` spans, so every offset still points into the text as given. The
line classifier is in chrome.py.
"""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from urllib.parse import urlparse

from ..types import Document, Span, merge_spans
from .chrome import BODY, CHROME, METADATA, ChromeParams, classify, lines


def mark_chrome(doc: Document, params: ChromeParams = ChromeParams()) -> Document:
    spans = lines(doc.text)
    labels = classify([doc.text[s.start : s.end] for s in spans], params)
    if BODY not in labels:
        # Nothing reads as prose (a menu, lyrics, a list of figures): that is what the document
        # says, not furniture around an article, so none of it is chrome.
        labels = [METADATA if label == METADATA else BODY for label in labels]
    doc.chrome = _merge([s for s, label in zip(spans, labels) if label == CHROME], doc.text)
    doc.meta["metadata"] = [s for s, label in zip(spans, labels) if label == METADATA]
    return doc


def _merge(spans: list[Span], text: str) -> list[Span]:
    """Join chrome lines separated only by whitespace into one span."""
    return merge_spans(spans, lambda end, start: not text[end:start].strip())


# Across a site's pages: a line that stands in this share of them (and in at least two) is the
# site's own furniture (its footer, its newsletter box), not any one article.
SITE_SHARE = 0.3
SITE_MIN_PAGES = 3


def mark_site_chrome(docs: list[Document]) -> list[Document]:
    """Second kind of evidence, for many documents read together: text that repeats across the
    pages of one site. Documents are grouped by the host of their URL, else their site name,
    else the folder they came from; groups of fewer than SITE_MIN_PAGES are left alone."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        key = (urlparse(doc.url).netloc if doc.url else "") or doc.meta.get("sitename") or ""
        if not key and doc.meta.get("origin"):
            key = "dir:" + os.path.dirname(str(doc.meta["origin"]))
        if key:
            groups[key].append(doc)
    for pages in groups.values():
        if len(pages) < SITE_MIN_PAGES:
            continue
        per_page = [{_norm(page.text[s.start : s.end]): s for s in lines(page.text)} for page in pages]
        seen = Counter(key for spans in per_page for key in spans if key)
        needed = max(2, math.ceil(SITE_SHARE * len(pages)))
        for page, spans in zip(pages, per_page):
            repeated = [s for key, s in spans.items() if key and seen[key] >= needed]
            if repeated:
                page.chrome = _merge(sorted(set(page.chrome) | set(repeated)), page.text)
    return docs


def _norm(line: str) -> str:
    return " ".join(line.lower().split())

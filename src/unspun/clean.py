"""Clean: mark what is not the article (site chrome; headline, byline and credits as metadata).

Nothing is deleted: chrome becomes ``Document.chrome`` spans, metadata lines
``Document.meta["metadata"]`` spans, so every offset still points into the text as given. The
line classifier is in chrome.py.
"""

from __future__ import annotations

from .chrome import CHROME, METADATA, ChromeParams, classify, lines
from .types import Document, Span


def mark_chrome(doc: Document, params: ChromeParams = ChromeParams()) -> Document:
    spans = lines(doc.text)
    labels = classify([doc.text[s.start : s.end] for s in spans], params)
    doc.chrome = _merge([s for s, label in zip(spans, labels) if label == CHROME], doc.text)
    doc.meta["metadata"] = [s for s, label in zip(spans, labels) if label == METADATA]
    return doc


def _merge(spans: list[Span], text: str) -> list[Span]:
    """Join chrome lines separated only by whitespace into one span."""
    out: list[Span] = []
    for s in spans:
        if out and not text[out[-1].end : s.start].strip():
            out[-1] = Span(out[-1].start, s.end)
        else:
            out.append(s)
    return out

"""`unspun read` in the terminal: each document's metadata, then its text with chrome greyed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..types import Document
from .terminal import visible


def render_documents(docs: Sequence[Document], brief: bool = False, console: Console | None = None) -> None:
    console = console or Console()
    for doc in docs:
        info = Table.grid(padding=(0, 2))
        info.add_column(style="dim", no_wrap=True)
        info.add_column()
        rows = {
            "title": doc.title,
            "author": doc.meta.get("author"),
            "date": doc.published,
            "url": doc.url,
            "site": doc.meta.get("sitename"),
            "language": doc.lang,
            "encoding": doc.meta.get("encoding"),
            "format": doc.meta.get("format"),
        }
        for key, value in rows.items():
            if value:
                info.add_row(key, Text(visible(str(value))))
        foreign = doc.meta.get("foreign_sentences", [])
        if foreign:
            counts: dict[str, int] = {}
            for _, _, lang in foreign:
                counts[lang] = counts.get(lang, 0) + 1
            listed = ", ".join(f"{lang} ({n} sentence{'s' if n != 1 else ''})" for lang, n in sorted(counts.items()))
            info.add_row("also in", Text(visible(listed)))
        chrome = sum(len(s) for s in doc.chrome)
        info.add_row("length", f"{len(doc.text):,} characters, {chrome:,} of them chrome")
        console.print(Panel(info, title=Text(visible(doc.id)), title_align="left", expand=False))
        if not brief:
            console.print(styled_text(doc))
            console.print()


def styled_text(doc: Document) -> Text:
    """The document's text as rich Text (never parsed as markup, its control characters made
    visible, the same length: the spans still fit): chrome dim, metadata italic."""
    text = Text(visible(doc.text))
    for span in doc.meta.get("metadata", []):
        text.stylize("italic", span.start, span.end)
    for span in doc.chrome:
        text.stylize("grey50", span.start, span.end)
    for start, end, _ in doc.meta.get("foreign_sentences", []):
        text.stylize("underline", start, end)  # another language than the document's
    return text

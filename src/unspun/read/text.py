"""Plain text and HTML: bytes or a string become a ``Document``.

Which bytes are text and in which encoding is decoding.py's; the size limit and its wording are
limits.py's, and safe opening paths.py's (all re-exported here, where callers found them first).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from ..errors import InputError, LimitError
from ..types import Document
from .decoding import binary_kind, decode, decode_counted
from .limits import DEFAULT_MAX_BYTES, MB, limit_phrase, over_limit
from .paths import check_size, is_dir, open_binary, read_limited

__all__ = [
    "DEFAULT_MAX_BYTES", "HTML_SUFFIXES", "MB", "binary_kind", "check_size", "checked_source", "decode",
    "limit_phrase", "open_binary", "over_limit", "read_bytes", "read_path", "read_text",
]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def checked_source(source: Path | bytes, max_bytes: int, doc_id: str, origin: str | None) -> tuple[str, bytes]:
    """For readers that take a file or its bytes (PDF, DOCX): the name to use in messages, and
    the bytes, once they are known to be within the limit (read from a regular file, bounded)."""
    name = origin or (str(source) if isinstance(source, Path) else doc_id)
    if isinstance(source, Path):
        return name, read_limited(source, max_bytes)
    if len(source) > max_bytes:
        raise InputError(over_limit(name, max_bytes, len(source), hint=False))
    return name, source


def read_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document whose id is the file's name."""
    p = Path(path)
    if is_dir(p):
        raise InputError(f"{p}: is a directory; give a file (directories are read by `unspun read`)")
    data = read_limited(p, max_bytes)
    return read_bytes(data, doc_id=p.name, origin=str(p), html=p.suffix.lower() in HTML_SUFFIXES,
                      max_bytes=max_bytes)


def read_bytes(
    data: bytes,
    doc_id: str = "document",
    origin: str | None = None,
    html: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    name = origin or doc_id
    if len(data) > max_bytes:
        raise InputError(over_limit(name, max_bytes, len(data), hint=False))
    kind = binary_kind(data)
    if kind:
        raise InputError(f"{name}: this is {kind}, not text")
    text, encoding, bad = decode_counted(data, name)
    doc = read_text(text, doc_id=doc_id, origin=origin, html=html, encoding=encoding)
    if bad:
        doc.meta["decode_errors"] = bad  # invalid UTF-8 bytes read as U+FFFD
    return doc


def read_text(
    text: str,
    doc_id: str = "document",
    origin: str | None = None,
    html: bool | None = None,
    encoding: str | None = None,
) -> Document:
    name = origin or doc_id
    if html is None:
        html = _looks_like_html(text)
    meta: dict[str, object] = {"encoding": encoding, "origin": origin, "format": "text"}
    title = url = published = None
    if html:
        text, title, url, published = _extract_html(text, name, meta)
        meta["format"] = "html"
    if not text.strip():
        raise InputError(f"{name}: is empty (no text to compare)")
    return Document(id=doc_id, text=text, title=title, url=url, published=published, meta=meta)


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<html" in head and "<body" in text[:65536].lower())


def _extract_html(
    markup: str, name: str, meta: dict[str, object] | None = None
) -> tuple[str, str | None, str | None, str | None]:
    """Main text and metadata of a web page through trafilatura (imported only for HTML).

    ``meta``, when given, also receives the page's ``author`` and ``sitename`` (None if unknown).
    """
    import trafilatura

    tree, limit = _parse_html(markup)
    # favor_precision: trafilatura's stricter pruning of link lists, teasers and boxes left
    # around the article (bag-of-words F1 0.980 against 0.969 without it on the 91 pages of
    # ../shared/data/article-extraction, benchmarks/read.py; nothing fitted). Where it finds no
    # text, the default pruning gets its chance (on the tree as parsed: the first try prunes a copy).
    extracted = None
    for favor_precision in (True, False):
        source = copy.deepcopy(tree) if tree is not None and favor_precision else tree if tree is not None else markup
        extracted = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False,
                                                favor_precision=favor_precision)
        if extracted is not None:
            found = extracted if isinstance(extracted, dict) else extracted.as_dict()
            if (found.get("text") or "").strip():
                break
    if extracted is None:
        if limit:
            raise LimitError(f"{name}: no article text could be extracted: {limit}")
        raise InputError(f"{name}: no article text could be extracted from this HTML")
    doc = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = doc.get("text") or ""
    if meta is not None:
        meta["author"] = doc.get("author")
        meta["sitename"] = doc.get("sitename")
    return text, doc.get("title"), doc.get("url"), doc.get("date")


def _parse_html(markup: str):
    """The page parsed as trafilatura would, but with lxml's ``huge_tree``: without it libxml2
    stops at 256 levels of nesting or a text node over 10 MB, and trafilatura then finds no
    article at all. Returns (tree or None, a phrase naming the parser limit the page still hit)."""
    from lxml import html as lxml_html

    try:  # trafilatura's own clean-up before it parses (control characters, a faulty doctype)
        from trafilatura.utils import is_dubious_html, repair_faulty_html
    except ImportError:  # not public API: without it the page is parsed as it is
        def is_dubious_html(beginning: str) -> bool:
            return False

        def repair_faulty_html(htmlstring: str, beginning: str) -> str:
            return htmlstring
    beginning = markup[:50].lower()
    markup = repair_faulty_html(markup, beginning)
    # Trafilatura's own parser options (trafilatura.utils.HTML_PARSER), plus huge_tree.
    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        # Bytes with the encoding fixed: lxml refuses a str that declares an encoding.
        tree = lxml_html.fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except Exception:  # noqa: BLE001 - lxml raises several kinds on junk; trafilatura gets the markup then
        return None, None
    limit = next((e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit:
        limit = limit.split(",")[0].lower() + " (the HTML parser's limit)"  # "excessive depth in document: 2048"
    if tree is None or len(tree) < 1 or (is_dubious_html(beginning) and len(tree) < 2):
        return None, limit  # what trafilatura would not take as a page: it decides on the markup
    return tree, limit

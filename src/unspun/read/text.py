"""Plain text and HTML: bytes or a string become a ``Document``; the size limit and its message.

Decoding is strict about what it refuses (binary, empty, oversized input) and forgiving about
encodings: UTF-8 (with or without BOM) first, then charset-normalizer's guess, with Latin-script
single-byte guesses read as cp1252, the legacy encoding that real Western text nearly always is.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..types import Document

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF (name it .pdf, or give it to unspun.read, which tells PDFs by their bytes)",
    b"PK\x03\x04": "a ZIP archive (a .docx is read by unspun.read and `unspun compare`)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF (audio/video/WebP) file",
}

# charset-normalizer names for single-byte encodings of Latin-script languages. Their guesses
# among these are unreliable on short texts (it reads curly quotes in English as cp775 or cp1250);
# cp1252 decodes the same bytes the way their writers meant them.
_LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1257", "cp775", "cp437", "cp850", "cp858", "latin_1",
    "iso8859_2", "iso8859_15", "iso8859_4", "iso8859_13", "mac_roman", "mac_latin2", "ascii",
}

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def limit_phrase(max_bytes: int) -> str:
    return f"over the {max_bytes / MB:g} MB limit"


def over_limit(subject: str, max_bytes: int, size: int | None = None, hint: bool = True) -> str:
    """The one wording of "too big", for files, records, lines and standard input alike."""
    measured = f"{size / MB:.1f} MB is " if size is not None else ""
    advice = "; raise it with --max-size if you mean it" if hint else ""
    return f"{subject}: {measured}{limit_phrase(max_bytes)}{advice}"


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a missing, unreadable or oversized file before anything reads it."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if size > max_bytes:
        raise InputError(over_limit(str(path), max_bytes, size))


def checked_source(source: Path | bytes, max_bytes: int, doc_id: str, origin: str | None) -> str:
    """For readers that take a file or its bytes (PDF, DOCX): the name to use in messages, once
    the input is known to be within the limit (a file also to exist and be readable)."""
    name = origin or (str(source) if isinstance(source, Path) else doc_id)
    if isinstance(source, Path):
        check_size(source, max_bytes)
    elif len(source) > max_bytes:
        raise InputError(over_limit(name, max_bytes, len(source), hint=False))
    return name


def open_binary(path: Path):
    """Open a file for reading bytes, turning the usual failures into InputError."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def read_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document whose id is the file's name."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a file (directories are read by `unspun read`)")
    check_size(p, max_bytes)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from exc
    return read_bytes(data, doc_id=p.name, origin=str(p), html=p.suffix.lower() in HTML_SUFFIXES)


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
    text, encoding = decode(data, name)
    return read_text(text, doc_id=doc_id, origin=origin, html=html, encoding=encoding)


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


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Bytes to text; returns (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # lazy: only legacy-encoded input pays for it

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: the encoding cannot be recognised; is this a text file?")
    encoding = best.encoding
    if encoding in _LATIN_SINGLE_BYTE:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return str(best), encoding


def binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data (it contains NUL bytes)"
    return None


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

    extracted = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False)
    if extracted is None:
        raise InputError(f"{name}: no article text could be extracted from this HTML")
    doc = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = doc.get("text") or ""
    if meta is not None:
        meta["author"] = doc.get("author")
        meta["sitename"] = doc.get("sitename")
    return text, doc.get("title"), doc.get("url"), doc.get("date")

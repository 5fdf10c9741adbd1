"""PDF files: the text layer of every page, through pypdf.

A PDF of a few kilobytes can hold a compressed content stream that inflates to tens of
megabytes and is drawn on every page: 23 KB became 100 MB of text after 50 s. So the reading is
bounded by what it produces and what it costs (limits.py): the text against the size limit, the
pages against ``UNSPUN_MAX_PAGES``, the CPU time against ``UNSPUN_READ_SECONDS`` (checked as text
comes out, within a page too), and each stream pypdf inflates against the size limit.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

from ..errors import InputError, LimitError
from ..extras import require
from ..types import Document
from .limits import Budget, check_text, limit_phrase, max_pages
from .problems import reason
from .text import checked_source

# pypdf logs what it repairs ("EOF marker not found") to the "pypdf" logger, which without a
# handler ends up on stderr as a second line after unspun's one-line error. The reader says what
# matters itself (a PDF that cannot be read is an InputError), so those records go nowhere.
_pypdf_log = logging.getLogger("pypdf")
_pypdf_log.addHandler(logging.NullHandler())
_pypdf_log.propagate = False

_CHECK_EVERY = 256  # text fragments between checks of the budget and the text size


def read_pdf(source: Path | bytes, doc_id: str, max_bytes: int, origin: str | None = None) -> Document:
    """One Document for the whole PDF, pages separated by a blank line (a paragraph break).

    Raises ``InputError`` for a file that is oversized, encrypted with a password, damaged beyond
    what pypdf repairs, or has no text layer (a scan), and ``LimitError`` for one past a limit on
    what it expands to. ``source`` is a file or its bytes (an upload, or bytes given to
    ``unspun.read``); ``origin`` names it in messages.
    """
    path, data = checked_source(source, max_bytes, doc_id, origin)
    require("pypdf", "formats", f"{path}: reading a PDF")
    from pypdf import PasswordType, PdfReader  # imported only when a PDF is read
    from pypdf.errors import DependencyError

    budget = Budget(path)
    try:
        with _bounded_streams(max_bytes):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                # Many PDFs are encrypted only to set permissions, with an empty user password that
                # every viewer opens silently; those are read. A real password is a refusal.
                try:
                    opened = reader.decrypt("")
                except DependencyError:
                    raise InputError(
                        f"{path}: is AES-encrypted; reading it needs the `cryptography` package "
                        "(pip install cryptography)"
                    ) from None
                if opened == PasswordType.NOT_DECRYPTED:
                    raise InputError(f"{path}: is encrypted with a password; decrypt it first (qpdf --decrypt)")
            pages = _page_texts(reader, path, max_bytes, budget)
            info = reader.metadata
            title = info.title if info else None
            author = info.author if info else None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on malformed input
        if type(exc).__name__ == "LimitReachedError":  # pypdf's own bounds, some set below
            if "decompress" in str(exc).lower():
                raise LimitError(f"{path}: a stream in it inflates {limit_phrase(max_bytes)}; "
                                 "raise it with --max-size if you mean it") from exc
            raise LimitError(f"{path}: past one of pypdf's limits ({reason(exc)}); it cannot be read") from exc
        raise InputError(f"{path}: not a readable PDF ({reason(exc)})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(f"{path}: has no text layer (a scanned PDF?); run OCR on it first")
    meta = {"format": "pdf", "origin": str(path), "encoding": None, "pages": len(pages),
            "author": author}
    return Document(id=doc_id, text=text, title=title or None, meta=meta)


def _page_texts(reader, path: str, max_bytes: int, budget: Budget) -> list[str]:
    cap = max_pages()
    count = len(reader.pages)
    if count > cap:
        raise LimitError(f"{path}: has {count} pages, over the {cap} page limit; "
                         "raise it with UNSPUN_MAX_PAGES if you mean it")
    pages: list[str] = []
    size = 0  # characters so far: a lower bound on the UTF-8 bytes, cheap to keep
    fragments = 0

    def visit(text, *_args) -> None:
        # pypdf calls this for every piece of text it draws: the checks run inside a page too.
        nonlocal size, fragments
        size += len(text)
        fragments += 1
        if fragments % _CHECK_EVERY == 0:
            budget.check()
            check_text(path, size, max_bytes)

    for page in reader.pages:
        budget.check()
        pages.append(page.extract_text(visitor_text=visit) or "")
        check_text(path, size, max_bytes)
    check_text(path, sum(len(p.encode("utf-8", "replace")) for p in pages), max_bytes)
    return pages


def _bounded_streams(max_bytes: int):
    """pypdf's limits on what one stream inflates to, lowered to the size limit (pypdf's default
    is 75 MB a stream), where this pypdf has them (``pypdf.apply_configuration``)."""
    try:
        from pypdf import apply_configuration
    except ImportError:
        return contextlib.nullcontext()
    cap = max(max_bytes, 1024 * 1024)
    return apply_configuration(
        zlib_maximum_output_length=min(cap, 75_000_000),
        lzw_maximum_output_length=min(cap, 75_000_000),
        run_length_maximum_output_length=min(cap, 75_000_000),
        array_based_stream_maximum_output_length=min(cap, 75_000_000),
    )

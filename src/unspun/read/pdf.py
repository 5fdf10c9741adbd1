"""PDF files: the text layer of every page, through pypdf."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputError
from ..extras import require
from ..types import Document
from .problems import reason
from .text import checked_source


def read_pdf(source: Path | bytes, doc_id: str, max_bytes: int, origin: str | None = None) -> Document:
    """One Document for the whole PDF, pages separated by a blank line (a paragraph break).

    Raises ``InputError`` for a file that is oversized, encrypted with a password, damaged beyond
    what pypdf repairs, or has no text layer (a scan). ``source`` is a file or its bytes (an
    upload, or bytes given to ``unspun.read``); ``origin`` names it in messages.
    """
    path = checked_source(source, max_bytes, doc_id, origin)
    require("pypdf", "formats", f"{path}: reading a PDF")
    from pypdf import PasswordType, PdfReader  # imported only when a PDF is read
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(source if isinstance(source, Path) else io.BytesIO(source))
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
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = info.title if info else None
        author = info.author if info else None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on malformed input
        raise InputError(f"{path}: not a readable PDF ({reason(exc)})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(f"{path}: has no text layer (a scanned PDF?); run OCR on it first")
    meta = {"format": "pdf", "origin": str(path), "encoding": None, "pages": len(pages),
            "author": author}
    return Document(id=doc_id, text=text, title=title or None, meta=meta)


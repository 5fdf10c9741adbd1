"""Word files (.docx): the body's paragraphs and tables in document order, through python-docx."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import InputError
from ..extras import require
from ..types import Document
from .problems import reason
from .text import checked_source

# An OLE2 compound file: what an encrypted .docx is (the package is wrapped in an encrypted
# container), and what an old binary .doc renamed .docx is. python-docx reads neither.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(source: Path | bytes, doc_id: str, max_bytes: int, origin: str | None = None) -> Document:
    """One Document; each paragraph (and each table row, cells tab-separated) is a paragraph of
    the text, separated by blank lines so the segmenter sees the document's own paragraphs.
    Headers, footers, footnotes and comments are left out: they are page furniture, not body.
    ``source`` is a file or its bytes; ``origin`` names it in messages.
    """
    path = checked_source(source, max_bytes, doc_id, origin)
    if isinstance(source, Path):
        try:
            with open(source, "rb") as fh:
                magic = fh.read(len(_OLE2_MAGIC))
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    else:
        magic = source[: len(_OLE2_MAGIC)]
    if magic == _OLE2_MAGIC:
        raise InputError(
            f"{path}: is password-protected or an old binary .doc, not a .docx; "
            "save it as .docx without a password"
        )
    require("docx", "formats", f"{path}: reading a DOCX")
    import docx  # imported only when a DOCX is read
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(source) if isinstance(source, Path) else io.BytesIO(source))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks.extend(_rows(block))
            else:
                blocks.append(block.text)
        props = document.core_properties
        title, author = props.title, props.author
    except PackageNotFoundError:
        raise InputError(f"{path}: not a DOCX (not a Word package)") from None
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors of a damaged file
        raise InputError(f"{path}: not a readable DOCX ({reason(exc)})") from exc
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise InputError(f"{path}: is empty (no text to compare)")
    meta = {"format": "docx", "origin": str(path), "encoding": None, "author": author or None}
    return Document(id=doc_id, text=text, title=title or None, meta=meta)


def _rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            # A merged cell comes back once per grid column it spans, as the same <w:tc>
            # element (python-docx has no public handle on it); keep it once.
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


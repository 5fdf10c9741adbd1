"""Word files (.docx): the body's paragraphs and tables in document order, through python-docx.

A .docx is a zip of XML parts, and XML compresses well: a 3.6 MB file held 1 GB of text. Before
python-docx inflates anything, the zip's directory is checked (zip_parts.py): how many parts,
how large each says it is and how much it is compressed; the text is then held to the size limit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from ..extras import require
from ..types import Document
from .limits import check_text
from .problems import reason
from .text import checked_source
from .zip_parts import check_parts

# An OLE2 compound file: what an encrypted .docx is (the package is wrapped in an encrypted
# container), and what an old binary .doc renamed .docx is. python-docx reads neither.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(source: Path | bytes, doc_id: str, max_bytes: int, origin: str | None = None) -> Document:
    """One Document; each paragraph (and each table row, cells tab-separated) is a paragraph of
    the text, separated by blank lines so the segmenter sees the document's own paragraphs.
    Headers, footers, footnotes and comments are left out: they are page furniture, not body.
    ``source`` is a file or its bytes; ``origin`` names it in messages.
    """
    path, data = checked_source(source, max_bytes, doc_id, origin)
    if data.startswith(_OLE2_MAGIC):
        raise InputError(
            f"{path}: is password-protected or an old binary .doc, not a .docx; "
            "save it as .docx without a password"
        )
    require("docx", "formats", f"{path}: reading a DOCX")
    import docx  # imported only when a DOCX is read
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        check_parts(data, path, max_bytes)
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a DOCX (not a Word package)") from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        size = 0
        for block in document.iter_inner_content():
            new = _rows(block) if isinstance(block, Table) else [block.text]
            blocks.extend(new)
            size += sum(len(b) for b in new)
            check_text(path, size, max_bytes)  # characters so far: stop before the whole text is held
        props = document.core_properties
        title, author = props.title, props.author
    except PackageNotFoundError:
        raise InputError(f"{path}: not a DOCX (not a Word package)") from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors of a damaged file
        raise InputError(f"{path}: not a readable DOCX ({reason(exc)})") from exc
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise InputError(f"{path}: is empty (no text to compare)")
    check_text(path, len(text.encode("utf-8", "replace")), max_bytes)
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


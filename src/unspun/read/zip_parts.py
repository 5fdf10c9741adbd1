"""A zip's directory checked before anything in it is inflated (for .docx, a zip of XML parts).

The directory states each member's compressed and uncompressed size, and Python's zipfile never
inflates a member past the size stated (it fails the CRC check instead), so the stated sizes
can be trusted as bounds. A part is refused when it alone would be over the size limit, when it
is compressed more than any real document part is (a zip bomb), when all parts together are
over ``_TOTAL_FACTOR`` times the size limit, or when there are more parts than
``UNSPUN_MAX_PARTS``.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import LimitError
from .limits import MB, limit_phrase, max_parts

# Document XML compresses by tens to one; deflate's ceiling is about 1,030 to 1, which only
# data made to compress reaches. Small parts are not held to it: they cost nothing either way.
_MAX_RATIO = 200
_RATIO_FLOOR = MB
# Images are stored, not compressed, and count once; the XML parts around them are a few times
# the text they hold. Five times the limit leaves room for both.
_TOTAL_FACTOR = 5


def check_parts(data: bytes, name: str, max_bytes: int) -> None:
    """Raise LimitError if the zip ``data`` would expand past a limit, ``zipfile.BadZipFile`` if
    it is no zip at all. A zip damaged in other ways is left to the reader, which says so."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise
    except Exception:  # noqa: BLE001 - a damaged directory: the package reader says what is wrong
        return
    cap = max_parts()
    if len(infos) > cap:
        raise LimitError(f"{name}: holds {len(infos)} parts, over the {cap} part limit; "
                         "raise it with UNSPUN_MAX_PARTS if you mean it")
    total = 0
    for info in infos:
        size = info.file_size
        if size > max_bytes:
            raise LimitError(f"{name}: its part {info.filename} expands to {size / MB:.1f} MB, "
                             f"{limit_phrase(max_bytes)}; raise it with --max-size if you mean it")
        if size > _RATIO_FLOOR and size > _MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise LimitError(f"{name}: its part {info.filename} inflates {ratio} to 1, more than any real "
                             f"document ({_MAX_RATIO} to 1); refused as a zip bomb")
        total += size
    if total > _TOTAL_FACTOR * max_bytes:
        raise LimitError(f"{name}: its parts expand to {total / MB:.1f} MB in all, "
                         f"{limit_phrase(_TOTAL_FACTOR * max_bytes)} ({_TOTAL_FACTOR} times the size limit); "
                         "raise it with --max-size if you mean it")

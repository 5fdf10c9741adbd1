"""Bytes to text: what is refused as binary, and which encoding the rest is read in.

Strict about what it refuses (known binary formats by their first bytes, and anything with NUL
bytes, looked for in the whole input so that the verdict does not depend on where the NUL is)
and forgiving about encodings:
  * UTF-8, with or without BOM; UTF-16 with a BOM, or without one when its NULs show it
    (mostly-ASCII UTF-16 has a NUL in every other byte);
  * UTF-8 with a few invalid bytes (a bad copy, a cut) stays UTF-8, the bad bytes read as U+FFFD
    and counted in ``decode_errors``: charset-normalizer would guess a wrong legacy encoding for
    it (mac_iceland) and turn every accented letter into garbage;
  * otherwise charset-normalizer's guess, with Latin-script single-byte guesses read as cp1252,
    the legacy encoding that real Western text nearly always is.
"""

from __future__ import annotations

from ..errors import InputError

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
_BOMS_16 = (b"\xff\xfe", b"\xfe\xff")

# charset-normalizer names for single-byte encodings of Latin-script languages. Their guesses
# among these are unreliable on short texts (it reads curly quotes in English as cp775 or cp1250);
# cp1252 decodes the same bytes the way their writers meant them.
_LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1257", "cp775", "cp437", "cp850", "cp858", "latin_1",
    "iso8859_2", "iso8859_15", "iso8859_4", "iso8859_13", "mac_roman", "mac_latin2", "ascii",
}
# UTF-8 with invalid bytes is still UTF-8 when the bad bytes are at most this share of the input
# and no more than the well-formed multi-byte characters: legacy single-byte text (cp1252's é is
# one byte, invalid in UTF-8) has almost no well-formed multi-byte sequences, real UTF-8 has many.
_BAD_SHARE = 0.01


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` is (a phrase for a message), or None if it may be text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data and not data.startswith(_BOMS_16) and _utf16_without_bom(data) is None:
        return "binary data (it contains NUL bytes)"
    return None


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Bytes to text; returns (text, encoding name)."""
    text, encoding, _ = decode_counted(data, name)
    return text, encoding


def decode_counted(data: bytes, name: str = "input") -> tuple[str, str, int]:
    """Bytes to text; returns (text, encoding name, how many bytes were invalid and replaced)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", 0
        except UnicodeDecodeError:
            pass
    if data.startswith(_BOMS_16):
        try:
            return data.decode("utf-16"), "utf-16", 0
        except UnicodeDecodeError:
            pass
    # Before UTF-8: UTF-16 of ASCII text is also valid UTF-8, with a NUL after every letter.
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    if utf16 is not None:
        return data.decode(utf16), utf16, 0
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly[0], "utf-8", mostly[1]
    import charset_normalizer  # lazy: only legacy-encoded input pays for it

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: the encoding cannot be recognised; is this a text file?")
    encoding = best.encoding
    if encoding in _LATIN_SINGLE_BYTE:
        try:
            return data.decode("cp1252"), "cp1252", 0
        except UnicodeDecodeError:
            pass
    return str(best), encoding, 0


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, bad bytes) when ``data`` is UTF-8 with a few invalid bytes, else None."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count(b"\xef\xbf\xbd")  # less the U+FFFD that were there already
    if bad <= 0 or bad > _BAD_SHARE * len(data):
        return None
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - replaced
    return (text, bad) if multibyte >= bad else None


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "-be" when ``data`` looks like BOM-less UTF-16 of mostly-Latin text: NULs
    in at least a third of the bytes on one side of each pair, none on the other, and it decodes."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls * 3 >= half and other == 0:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None

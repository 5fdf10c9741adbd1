"""Walk the members of a multi-member gzip file, stepping over damaged ones.

A .warc.gz is one gzip member per record, concatenated. warcio reads such files well until a
member is damaged: it then writes zlib's complaint to stderr, returns the damaged record cut short
and ends the iteration, silently losing every record after it. Here each member is inflated with
zlib on its own, and after a damaged member reading resumes at the next member header, so one bad
record costs one record. Only the member framing is handled here; the records inside are parsed by
warcio.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b\x08"  # ID1, ID2 and CM=8 (deflate, the only method in use)
_CHUNK = 1 << 20
_HEAD = 64 * 1024  # inflated bytes kept of an oversized member: enough to name its record
_PROBE = 4096  # compressed bytes inflated to tell a real member header from a chance match


@dataclass
class Member:
    offset: int  # where the member starts in the file (what CDX indexes call the record offset)
    data: bytes  # the inflated member; only its head when `problem` is set
    problem: str | None = None  # why the member could not be read whole; None when it was
    oversized: bool = False  # the member is sound but inflates to more than the cap
    size: int = 0  # inflated size of the whole member, when it was inflated to its end


def members(fh: BinaryIO, cap: int, accept: Callable[[bytes], bool] = bool) -> Iterator[Member]:
    """Members of the seekable gzip stream ``fh``, in file order.

    ``cap`` bounds the inflated size kept per member (a gzip bomb or a huge video record costs
    time, not memory). ``accept(head)`` says whether the first inflated bytes of a candidate member
    look like what the file holds; it guards the resynchronisation after damage, where the three
    magic bytes also turn up by chance inside compressed data.
    """
    pos = 0
    while True:
        fh.seek(pos)
        head = fh.read(len(GZIP_MAGIC))
        if not head:
            return
        if head != GZIP_MAGIC:
            nxt = _find_member(fh, pos + 1, accept)
            end = nxt if nxt is not None else fh.seek(0, 2)
            yield Member(pos, b"", f"{end - pos} bytes that are not gzip data")
            if nxt is None:
                return
            pos = nxt
            continue
        member, after = _inflate(fh, pos, cap)
        yield member
        if after is None:
            after = _find_member(fh, pos + 1, accept)
            if after is None:
                return
        pos = after


def _inflate(fh: BinaryIO, pos: int, cap: int) -> tuple[Member, int | None]:
    """Inflate the member at ``pos``; returns it and where the next one starts (None if damaged)."""
    fh.seek(pos)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16+: expect the gzip header and trailer
    parts: list[bytes] = []
    size = 0
    oversized = False
    pending = b""
    while True:
        if not pending:
            pending = fh.read(_CHUNK)
            if not pending:
                data = b"".join(parts)[:_HEAD]
                return Member(pos, data, "truncated: the file ends inside this gzip member"), None
        try:
            # Bounded output per call, so memory stays bounded past the cap.
            out = d.decompress(pending, _CHUNK)
        except zlib.error as exc:
            return Member(pos, _salvage_head(fh, pos), f"damaged gzip data ({exc})"), None
        size += len(out)
        if not oversized:
            parts.append(out)
            if size > cap:
                oversized = True
                parts = [b"".join(parts)[:_HEAD]]
        if d.eof:
            # Only unused_data: after a bounded call zlib leaves a stale copy in unconsumed_tail.
            end = fh.tell() - len(d.unused_data)
            data = b"".join(parts)
            if oversized:
                problem = f"inflates to more than {cap} bytes"
                return Member(pos, data, problem, oversized=True, size=size), end
            return Member(pos, data, size=size), end
        pending = d.unconsumed_tail


def _salvage_head(fh: BinaryIO, pos: int) -> bytes:
    """What inflates of a damaged member before the damage, up to _HEAD bytes: usually the record
    header, so the warning can name the record. (The failed call above loses its output: zlib
    raises instead of returning what it had, and the CRC check fails only at the member's end.)"""
    fh.seek(pos)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = b""
    while len(out) < _HEAD and not d.eof:
        piece = fh.read(_PROBE)
        if not piece:
            break
        try:
            out += d.decompress(piece, _HEAD - len(out))
        except zlib.error:
            break
    return out


def _find_member(fh: BinaryIO, start: int, accept: Callable[[bytes], bool]) -> int | None:
    """Offset of the first real member header at or after ``start``, or None."""
    pos = start
    while True:
        fh.seek(pos)
        chunk = fh.read(_CHUNK)
        if len(chunk) < len(GZIP_MAGIC):
            return None
        i = chunk.find(GZIP_MAGIC)
        while i >= 0:
            if _member_starts(fh, pos + i, accept):
                return pos + i
            i = chunk.find(GZIP_MAGIC, i + 1)
        if len(chunk) < _CHUNK:
            return None
        pos += len(chunk) - (len(GZIP_MAGIC) - 1)  # overlap: a header may straddle two chunks


def _member_starts(fh: BinaryIO, at: int, accept: Callable[[bytes], bool]) -> bool:
    fh.seek(at)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        head = d.decompress(fh.read(_PROBE), 64)
    except zlib.error:
        return False
    return accept(head)

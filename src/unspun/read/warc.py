"""WARC (and ARC) files: every archived HTML page is one Document.

An archived page is a ``response`` record with HTTP status 200 and an HTML content type; its id
and ``url`` are the record's WARC-Target-URI, ``published`` its WARC-Date (when it was captured),
and its text comes through the same trafilatura path as an HTML file. Other records (requests,
metadata, images, redirects) are passed over without a word.

warcio parses the records. Around it this module adds what a corpus reader needs and warcio does
not do: a damaged or truncated record is skipped with a warning naming it, and reading resumes
at the next record instead of stopping (warcio ends the iteration, or raises, at the first bad
record). Damage is recognised by
  * a record that does not parse (garbage between records, a broken header line);
  * a Content-Length that does not match the data: the record is not followed by its blank lines
    (warcio counts these in ``err_count``) or the file ends inside it;
  * a WARC-Block-Digest that does not match the record's bytes, where the record has one;
  * in a .warc.gz, a gzip member that does not inflate (see gzip_members.py).
After damage that breaks the framing, reading resumes at the next line that starts a record
header ("WARC/1.x"), searched from just after the bad record's start, so a record swallowed by a
neighbour's wrong Content-Length is still found.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from ..errors import InputError
from ..types import Document
from .gzip_members import Member, members
from .problems import Warn
from .text import limit_phrase, open_binary, over_limit, read_bytes

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEADER_SLACK = 64 * 1024  # room for WARC and HTTP headers on top of the payload limit
_SCAN_CHUNK = 1 << 20
# Where a record can start, for resynchronising after damage: a WARC version line followed by a
# header field, or an ARC record line ("URL IP-address 14-digit-date content-type length"). No
# newline is required before them: a record cut short runs straight into the next one. Both are
# looked for whatever the file seems to be, since damage at its start is what would make it seem
# to be something else.
_RECORD_START = re.compile(
    rb"WARC/1\.[0-9]\r?\n[A-Za-z][A-Za-z0-9-]*:"
    rb"|(?:https?|ftp|dns|filedesc):\S* \S+ [0-9]{14} \S* [0-9]+\r?\n"
)
_ARC_HEAD = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]*:\S* \S+ [0-9]{14} ")


class _QuietArchiveIterator(ArchiveIterator):
    # warcio writes this template to stderr when a record is not followed by a blank line (its
    # Content-Length is wrong). The same event is counted in err_count, which is how this module
    # reports it: once, as a warning naming the record. An empty template makes the write a no-op.
    INC_RECORD = ""


def read_warc(path: Path, max_bytes: int, warn: Warn) -> Iterator[Document]:
    """The HTML pages archived in a .warc, .warc.gz, .arc or .arc.gz file, in file order.

    ``max_bytes`` applies to each record's payload, not to the file. A file that cannot be opened
    is an ``InputError``; anything wrong inside it is reported through ``warn`` and skipped.
    """
    fh = open_binary(path)
    with fh:
        # Sniff as well as trust the name: a .warc that is gzipped, or the reverse, still reads,
        # and a .warc.gz with junk at its start is still read as gzip.
        head = fh.read(64)
        fh.seek(0)
        gzipped = head.startswith(b"\x1f\x8b") or (
            path.name.lower().endswith(".gz") and not _starts_record(head)
        )
        if not gzipped:
            yield from _pages(fh, path, max_bytes, warn, None)
            return
        for member in members(fh, max_bytes + _HEADER_SLACK, accept=_starts_record):
            if member.offset == 0 and member.problem is None and not _starts_record(member.data[:64]):
                raise InputError(f"{path}: not a WARC or ARC file (it is gzip, but of something else)")
            if member.problem is None:
                yield from _pages(io.BytesIO(member.data), path, max_bytes, warn, member.offset)
            else:
                _report_member(member, path, max_bytes, warn)


def _starts_record(head: bytes) -> bool:
    return head.startswith(b"WARC/") or bool(_ARC_HEAD.match(head)) or head.startswith(b"filedesc:")


def _report_member(member: Member, path: Path, max_bytes: int, warn: Warn) -> None:
    offset = member.offset
    uri, is_page, length = _identify(member.data)
    label = f"{path}: record at offset {offset}" + (f" ({uri})" if uri else "")
    if not member.data and not member.oversized:
        warn(f"{path}: offset {offset}: {member.problem}; skipped")
    elif not member.oversized:
        warn(f"{label} skipped: {member.problem}")
    elif length is not None and member.size > length + _HEADER_SLACK:
        # More inflated bytes than the first record accounts for: the member holds several
        # records, i.e. the file was gzipped as one stream instead of one member per record.
        warn(f"{path}: gzip member at offset {offset} holds several records and inflates to "
             f"{limit_phrase(max_bytes)}; skipped (`warcio recompress` rewrites the file "
             "one member per record)")
    elif is_page is not False:
        # A large image or video record is no loss; an oversized page is, so say so.
        warn(over_limit(label, max_bytes, hint=False) + "; skipped")


def _identify(head: bytes) -> tuple[str | None, bool | None, int | None]:
    """(target URI, whether it is an HTML page, Content-Length) of the record that ``head``, the
    first bytes of a damaged or oversized member, starts; Nones for what cannot be read."""
    try:
        record = next(iter(_QuietArchiveIterator(io.BytesIO(head), arc2warc=True)))
        length = record.rec_headers.get_header("Content-Length")
        return (record.rec_headers.get_header("WARC-Target-URI"), _is_page(record),
                int(length) if length and length.isdigit() else None)
    except Exception:  # noqa: BLE001 - a head cut anywhere may fail in any way; it only names the record
        return None, None, None


def _is_page(record) -> bool:
    if record.rec_type != "response" or not record.http_headers:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in _HTML_TYPES


def _pages(fh: BinaryIO, path: Path, max_bytes: int, warn: Warn,
           member: int | None) -> Iterator[Document]:
    """Pages in the uncompressed record stream ``fh`` (a file, or one inflated gzip member)."""
    pos: int | None = fh.tell()
    head = fh.read(64).lstrip(b"\r\n")
    # Fix the format for the whole stream: left to guess, warcio takes any line with four spaces
    # for an ARC header, so junk in a WARC (or a WARC that is not one) would be misread as records.
    if head.startswith(b"WARC/"):
        fmt = "warc"
    elif _ARC_HEAD.match(head) or head.startswith(b"filedesc:"):
        fmt = "arc"
    else:
        fmt = "arc" if path.name.lower().endswith((".arc", ".arc.gz")) else "warc"
    while pos is not None:
        pos = yield from _walk(fh, pos, fmt, path, max_bytes, warn, member)


def _walk(fh: BinaryIO, pos: int, fmt: str, path: Path, max_bytes: int, warn: Warn,
          member: int | None):
    """Read records from ``pos``; returns where to resume after damage, or None at the end."""

    def where(at: int) -> str:
        # In a .warc.gz, name the member's offset in the file (what indexes and `warcio extract`
        # use), and the place inside the member only when a member holds several records.
        if member is None:
            return str(at)
        return str(member) if at == 0 else f"{member} (+{at} inflated)"

    fh.seek(pos)
    it = _QuietArchiveIterator(fh, check_digests=True, arc2warc=True)
    it.known_format = fmt  # arc2warc keeps it fixed: warcio only updates it when not converting
    while True:
        at = it.offset  # start of the next record: read_to_end() of the last one set it
        try:
            record = next(it)
        except StopIteration:
            return None
        except Exception:  # noqa: BLE001 - any parse failure means "no record here"
            nxt = _next_start(fh, at + 1)
            if member is None and at == 0 and nxt is None:
                # Not one record anywhere: the file is something else with a WARC name.
                raise InputError(f"{path}: not a WARC or ARC file (no record header found)") from None
            skipped = (nxt if nxt is not None else fh.seek(0, 2)) - at
            warn(f"{path}: offset {where(at)}: {skipped} bytes that are not a record; skipped")
            return nxt

        uri = record.rec_headers.get_header("WARC-Target-URI")
        label = f"{path}: record at offset {where(at)}" + (f" ({uri})" if uri else "")
        length = record.rec_headers.get_header("Content-Length")
        if length is None or not length.strip().isdigit():
            # Without a length warcio would read to the end of the file as this one record.
            warn(f"{label} skipped: bad Content-Length {length!r}")
            return _next_start(fh, at + 1)

        page = _is_page(record)
        payload, problem = None, None
        if page and record.length > max_bytes:
            problem = limit_phrase(max_bytes)
        elif page:
            try:
                # content_stream() undoes chunking and Content-Encoding; the bound stops a
                # compressed payload from inflating past the limit.
                payload = record.content_stream().read(max_bytes + 1)
            except Exception as exc:  # noqa: BLE001 - a broken chunked or gzip payload
                problem = f"the payload cannot be decoded ({exc})"
            else:
                if len(payload) > max_bytes:
                    problem = f"the decoded payload is {limit_phrase(max_bytes)}"

        errors = it.err_count
        try:
            it.read_to_end()  # reads the rest (completing the digest) and the blank lines after it
        except Exception:  # noqa: BLE001 - warcio fails on a digest header it cannot decode, for one
            warn(f"{label} skipped: damaged (its headers cannot be checked)")
            return _next_start(fh, at + 1)
        if it.err_count > errors:
            warn(f"{label} skipped: its Content-Length does not match the data (damaged)")
            return _next_start(fh, at + 1)
        if record.raw_stream.limit > 0:
            warn(f"{label} skipped: truncated ({record.raw_stream.limit} bytes missing)")
            continue
        # Only the block digest: payload digests of chunked responses disagree between tools
        # (webrecorder/warcio#74), so a payload-digest mismatch is no sign of damage.
        if any(p.startswith("block digest failed") for p in record.digest_checker.problems):
            warn(f"{label} skipped: damaged (its WARC-Block-Digest does not match its bytes)")
            continue
        if not page:
            continue
        if problem:
            warn(f"{label} skipped: {problem}")
            continue
        assert payload is not None  # a page without a problem has been read
        try:
            yield _document(payload, record, uri, path, where(at), max_bytes)
        except InputError as exc:
            warn(f"{label} skipped: {exc}")


def _document(payload: bytes, record, uri: str | None, path: Path, offset: str,
              max_bytes: int) -> Document:
    doc_id = uri or f"{path.name}@{offset}"
    doc = read_bytes(payload, doc_id=doc_id, html=True, max_bytes=max_bytes)
    page_date = doc.published  # the date the page states, if trafilatura found one
    doc.url = uri
    doc.published = record.rec_headers.get_header("WARC-Date")
    doc.meta.update(
        format="warc",
        origin=str(path),
        warc_offset=offset,
        warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
        content_type=record.http_headers.get_header("Content-Type"),
        page_date=page_date,
    )
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        # The crawler cut the payload on purpose (length, time): the page is read, but partial.
        doc.meta["warc_truncated"] = truncated
    return doc


def _next_start(fh: BinaryIO, start: int) -> int | None:
    """Offset of the first record header line at or after ``start``, or None."""
    # The chunks overlap by 4 KB so that a header line cut by a chunk boundary is still found.
    pos = start
    while True:
        fh.seek(pos)
        chunk = fh.read(_SCAN_CHUNK)
        m = _RECORD_START.search(chunk)
        if m:
            return pos + m.start()
        if len(chunk) < _SCAN_CHUNK:
            return None
        pos += len(chunk) - 4096

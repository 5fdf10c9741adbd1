"""PDF files written by hand, for the tests and benchmarks that need one (no PDF writer library
puts text on a page through its public API; pypdf reads but does not lay out text)."""

from __future__ import annotations


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects, numbered from 1 in order (object 1 the catalog), with the
    cross-reference table and trailer a reader needs."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)

"""Fuzzing the readers: random bytes, and real files of every format with bytes flipped, cut,
inserted or repeated. Whatever comes in, what comes out is a Document or an UnspunError (a
one-line message), never another exception, and memory stays bounded.

Bounded in time: a few hundred examples in all, against a small size limit.
"""

from __future__ import annotations

import io
import os
import resource
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.errors import UnspunError
from unspun.read import iter_documents, read_bytes, read_data
from unspun.types import Document

from .conftest import DATA, SEEDS
from .test_read_hostile import STRIKE, make_docx, make_pdf, text_stream

LIMIT = 256 * 1024
SUFFIXES = [".txt", ".html", ".pdf", ".docx", ".warc", ".warc.gz", ".jsonl", ".md", ""]
# UNSPUN_FUZZ_EXAMPLES runs a longer search by hand; the default keeps the file to seconds.
FUZZ = settings(max_examples=int(os.environ.get("UNSPUN_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def _warc(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    page = f"<html><head><title>Strike</title></head><body><article><p>{STRIKE * 4}</p></article></body></html>"
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/a", "response",
                                                  payload=io.BytesIO(page.encode()), http_headers=http))
    return out.getvalue()


@cache
def seeds() -> list[tuple[str, bytes]]:
    """One real file of each format, small: (suffix, bytes)."""
    html = min((DATA / "article-extraction" / "html").glob("*.html"), key=lambda p: p.stat().st_size)
    return [
        (".txt", (SEEDS / "press-release.txt").read_bytes()),
        (".txt", (SEEDS / "blog-rewrite.txt").read_bytes()[:1500].decode("utf-8", "ignore").encode("cp1252", "replace")),
        (".html", html.read_bytes()[:12000]),
        (".pdf", make_pdf(text_stream(1500), pages=2)),
        (".pdf", make_pdf(text_stream(800), pages=1, compress=False)),
        (".docx", make_docx([STRIKE, "A second paragraph about the harbour."])),
        (".warc", _warc(gz=False)),
        (".warc.gz", _warc(gz=True)),
        (".jsonl", b'{"id": "a", "text": "%s"}\n{"id": 2, "text": "more text", "title": null}\n' % STRIKE.encode()),
    ]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    suffix, data = draw(st.sampled_from(seeds()))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "cut"]))
        at = draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[at] = draw(st.integers(0, 255))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 256))]
        elif op == "repeat":
            piece = bytes(buf[at:at + draw(st.integers(1, 512))])
            buf[at:at] = piece * draw(st.integers(1, 50))
        else:
            del buf[at:]
    if draw(st.booleans()):
        suffix = draw(st.sampled_from(SUFFIXES))  # the wrong name for what it holds
    return suffix, bytes(buf)


inputs = st.one_of(
    st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=2048)),
    mutated(),
)

_rss: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _rss_baseline():
    # The peak memory when this file's tests begin (after other files' tests): what they may add.
    _rss["start"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _check(doc: object) -> None:
    assert isinstance(doc, Document)
    assert doc.text.strip()
    doc.id.encode("utf-8")  # printable, storable
    doc.text.encode("utf-8")


def _check_error(exc: UnspunError) -> None:
    assert str(exc) and "\n" not in str(exc), repr(str(exc))


@FUZZ
@given(inputs)
def test_read_data_gives_a_document_or_an_unspun_error(case):
    suffix, data = case
    try:
        _check(read_data(data, "upload" + suffix, max_bytes=LIMIT))
    except UnspunError as exc:
        _check_error(exc)


@FUZZ
@given(inputs, st.sampled_from([None, True, False]))
def test_read_bytes_gives_a_document_or_an_unspun_error(case, html):
    _, data = case
    try:
        _check(read_bytes(data, doc_id="fuzz", html=html, max_bytes=LIMIT))
    except UnspunError as exc:
        _check_error(exc)


_dir = tempfile.TemporaryDirectory(prefix="unspun-fuzz-")


@FUZZ
@given(inputs)
def test_iter_documents_reads_a_file_of_any_suffix_or_says_why_not(case):
    suffix, data = case
    path = Path(_dir.name) / ("fuzz" + suffix)
    path.write_bytes(data)
    problems: list[str] = []
    try:
        try:
            for doc in iter_documents([path], max_bytes=LIMIT, warn=problems.append):
                _check(doc)
        except UnspunError as exc:
            _check_error(exc)
        # Inside a folder, whatever is wrong with the file costs only it: a warning, never an error.
        for doc in iter_documents([_dir.name], max_bytes=LIMIT, warn=problems.append):
            _check(doc)
    finally:
        os.unlink(path)
    assert all(p and "\n" not in p for p in problems), problems


def test_memory_stayed_bounded():
    # After the examples above (pytest runs this file in order): no input made the reader hold
    # much more than the size limit. ru_maxrss is in KB on Linux.
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _rss["start"]) / 1024
    assert grown_mb < 400, f"max RSS grew by {grown_mb:.0f} MB"

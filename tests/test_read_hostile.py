"""Hostile input to the readers (issue 17): documents that expand past the limits, special files,
names that are not UTF-8 or too long, deep nesting, awkward encodings. Each costs only itself,
with a one-line message; nothing hangs, aborts the corpus, or reads without bound.

The hostile files are built here, small, against lowered limits: a DOCX of 100 KB that expands
to 6 MB against a 2 MB limit tests the same code as 3.6 MB expanding to 1 GB against 20 MB.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from unspun.errors import InputError, LimitError
from unspun.read import iter_documents, read, read_bytes, read_data, read_one, read_text

from .conftest import DATA, SEEDS
from .pdf_files import pdf_file

MB = 1024 * 1024
STRIKE = "The workers began a strike on Monday at the plant, and the union said it would go on for a week. "


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "unspun.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, COLUMNS="120"), **kw)


def cli(capsys, *args) -> int:
    """``unspun ARGS`` in this process (quicker than a subprocess where no model is loaded)."""
    from unspun.cli import main

    capsys.readouterr()
    return main([str(a) for a in args])


def read_all(paths, **kw):
    problems: list[str] = []
    docs = list(iter_documents(paths, warn=problems.append, **kw))
    return docs, problems


@contextmanager
def within(seconds: int):
    """Fail instead of hanging forever (a FIFO opened blocks until a writer comes)."""
    def stop(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- builders -----------------------------------------------------------------------------------

def make_pdf(content: bytes, pages: int = 1, compress: bool = True) -> bytes:
    """A PDF whose every page draws the same content stream, in Helvetica."""
    stream = zlib.compress(content, 9) if compress else content
    filt = b"/Filter /FlateDecode " if compress else b""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< " + filt + b"/Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
             b"/Contents 4 0 R >>"] * pages
    return pdf_file(objs)


def text_stream(size: int) -> bytes:
    """A content stream of about ``size`` bytes that draws about as much text."""
    line = b"BT /F1 12 Tf 72 712 Td (" + STRIKE.encode() * 10 + b") Tj ET\n"
    return line * max(1, size // len(line))


def make_docx(paragraphs: list[str], xml_bytes: int = 0, extra_parts: int = 0) -> bytes:
    """A real DOCX (python-docx); ``xml_bytes`` pads its document.xml with repeated paragraphs to
    about that size (it compresses some 200 to 1), ``extra_parts`` adds that many small parts."""
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml" and xml_bytes:
                xml = data.decode()
                at = xml.index("<w:body>") + len("<w:body>")
                para = f"<w:p><w:r><w:t>{STRIKE * 10}</w:t></w:r></w:p>"
                xml = xml[:at] + para * (xml_bytes // len(para)) + xml[at:]
                data = xml.encode()
            z.writestr(info.filename, data)
        for k in range(extra_parts):
            z.writestr(f"extra/part{k}.xml", "<a/>")
    return out.getvalue()


# --- 1. compressed DOCX and PDF past the size limit ---------------------------------------------

def test_a_docx_whose_xml_expands_past_the_limit_is_refused_before_it_is_parsed(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(make_docx(["Hello."], xml_bytes=6 * MB))
    assert bomb.stat().st_size < 200_000  # well within the limit on disk
    with pytest.raises(LimitError, match=r"bomb.docx: its part word/document.xml expands to 6.0 MB, "
                                         r"over the 2 MB limit; raise it with --max-size"):
        read(bomb, max_bytes=2 * MB)


def test_a_docx_part_compressed_like_a_zip_bomb_is_refused_even_within_the_limit(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(make_docx(["Hello."], xml_bytes=6 * MB))
    with pytest.raises(LimitError, match=r"inflates \d+ to 1, more than any real document"):
        read(bomb, max_bytes=100 * MB)


def test_a_docx_of_too_many_parts_is_refused(tmp_path, monkeypatch):
    many = tmp_path / "many.docx"
    many.write_bytes(make_docx([STRIKE], extra_parts=40))
    assert STRIKE.strip() in read(many).text  # within the default cap
    monkeypatch.setenv("UNSPUN_MAX_PARTS", "20")
    with pytest.raises(LimitError, match=r"many.docx: holds \d+ parts, over the 20 part limit; .*UNSPUN_MAX_PARTS"):
        read(many)


def test_a_pdf_whose_text_expands_past_the_limit_stops_there(tmp_path):
    # 256 KB of text drawn on each of 40 pages: 10 MB of text from a file of a few KB.
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(make_pdf(text_stream(256 * 1024), pages=40))
    assert bomb.stat().st_size < 20_000
    with pytest.raises(LimitError, match=r"bomb.pdf: its text: .* over the 1 MB limit; raise it with --max-size"):
        read(bomb, max_bytes=1 * MB)


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.pdf"
    big.write_bytes(make_pdf(b"q Q\n" * (MB // 2) + text_stream(1000), pages=1))  # 2 MB of drawing
    with pytest.raises(LimitError, match=r"big.pdf: a stream in it inflates over the 1 MB limit; .*--max-size"):
        read(big, max_bytes=1 * MB)


def test_pdf_pages_and_seconds_have_caps_raised_by_environment_variables(tmp_path, monkeypatch):
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(make_pdf(text_stream(2000), pages=12))
    assert read(pdf).meta["pages"] == 12
    monkeypatch.setenv("UNSPUN_MAX_PAGES", "10")
    with pytest.raises(LimitError, match=r"has 12 pages, over the 10 page limit; raise it with UNSPUN_MAX_PAGES"):
        read(pdf)
    monkeypatch.delenv("UNSPUN_MAX_PAGES")
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(make_pdf(text_stream(64 * 1024), pages=200))
    monkeypatch.setenv("UNSPUN_READ_SECONDS", "0.01")
    with pytest.raises(LimitError, match=r"slow.pdf: reading it took over 0.01 s of CPU; .*UNSPUN_READ_SECONDS"):
        read(slow, max_bytes=100 * MB)


def test_bombs_in_a_folder_cost_only_themselves(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bomb.docx").write_bytes(make_docx(["Hello."], xml_bytes=3 * MB))
    (folder / "bomb.pdf").write_bytes(make_pdf(text_stream(256 * 1024), pages=20))
    (folder / "good.txt").write_text(STRIKE, encoding="utf-8")
    docs, problems = read_all([folder], max_bytes=1 * MB)
    assert [d.id for d in docs] == ["good.txt"]
    assert len(problems) == 2 and all("limit" in p and "\n" not in p for p in problems)


# --- 5. a file name that is not UTF-8 -----------------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_read_under_a_printable_id(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(str(folder)), b"bad\xff.txt"), "wb") as fh:
        fh.write(STRIKE.encode())
    (folder / "good.txt").write_text("Another text about the harbour and its cranes.", encoding="utf-8")
    docs, problems = read_all([folder])
    assert problems == []
    assert [d.id for d in docs] == ["bad\\xff.txt", "good.txt"]
    bad = docs[0]
    assert bad.text.strip() == STRIKE.strip()
    # The id and origin survive printing, JSON (ASCII or not) and SQLite.
    for value in (bad.id, bad.meta["origin"]):
        value.encode("utf-8")
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    with sqlite3.connect(":memory:") as db:
        db.execute("create table t (id text, origin text)")
        db.execute("insert into t values (?, ?)", (bad.id, bad.meta["origin"]))
    # Named directly, too.
    direct = next(iter_documents([os.fsdecode(os.path.join(os.fsencode(str(folder)), b"bad\xff.txt"))]))
    assert direct.id == "bad\\xff.txt"


def test_index_reads_a_folder_with_a_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(os.path.join(os.fsencode(str(folder)), b"bad\xff.txt"), "wb") as fh:
        fh.write(STRIKE.encode())
    (folder / "press-release.txt").write_bytes((SEEDS / "press-release.txt").read_bytes())
    proc = run("index", folder, "--index", tmp_path / "idx")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "2 added" in proc.stdout + proc.stderr


# --- 6. JSON Lines nested too deep, or with a huge integer --------------------------------------

def test_jsonl_lines_nested_too_deep_or_with_huge_integers_cost_only_themselves(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": STRIKE}),
        '{"id": "deep", "text": "x", "v": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
        json.dumps({"id": "surrogate", "text": "lone \ud800 surrogate and more text"}),
        json.dumps({"id": "b", "text": STRIKE}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert [d.id for d in docs] == ["a", "surrogate", "b"]
    docs[1].text.encode("utf-8")  # the lone surrogate is replaced: the text can be stored
    assert len(problems) == 2
    assert "export.jsonl:2: nested too deeply" in problems[0]
    assert "export.jsonl:3:" in problems[1] and "digits" in problems[1]


# --- 7. UTF-8 with a few invalid bytes ----------------------------------------------------------

def test_utf8_with_a_few_invalid_bytes_stays_utf8_and_counts_them():
    text = ("The café’s owner said “we will not close”, and the naïve plan of the council failed. " * 20)
    data = text.encode("utf-8")
    data = data[:500] + b"\xff" + data[500:900] + b"\xc3(" + data[900:]
    doc = read_bytes(data, doc_id="mostly.txt")
    assert doc.meta["encoding"] == "utf-8" and doc.meta["decode_errors"] == 2
    assert "café’s owner said “we will not close”" in doc.text


def test_legacy_single_byte_text_is_still_read_as_cp1252():
    text = "Le café de la gare a fermé ses portes, a déclaré le maire. " * 5
    doc = read_bytes(text.encode("cp1252"), doc_id="legacy.txt")
    assert doc.meta["encoding"] == "cp1252" and doc.text.startswith("Le café")
    assert "decode_errors" not in doc.meta


# --- 9. special files: FIFOs, devices -----------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with within(20):
        with pytest.raises(InputError, match=r"pipe.txt: is not a regular file \(a FIFO"):
            read(str(fifo))
        with pytest.raises(InputError, match="not a regular file"):
            read_one(fifo)
        for suffix in (".pdf", ".docx", ".jsonl", ".warc"):
            other = tmp_path / f"pipe{suffix}"
            os.mkfifo(other)
            with pytest.raises(InputError, match="not a regular file"):
                list(iter_documents([other]))
        (tmp_path / "good.txt").write_text(STRIKE, encoding="utf-8")
        docs, problems = read_all([tmp_path])
    assert [d.id for d in docs] == ["good.txt"]
    assert len(problems) == 5 and all("not a regular file" in p for p in problems)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_or_a_link_to_one_is_refused(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with within(20):
        for target in ("/dev/zero", link, str(link)):
            with pytest.raises(InputError, match=r"is not a regular file \(a character device\)"):
                read(target)
        docs, problems = read_all([tmp_path])
    assert docs == [] and "not a regular file" in problems[0]


# --- 14. a file name too long -------------------------------------------------------------------

def test_a_file_name_too_long_is_a_one_line_input_error(tmp_path, capsys):
    name = str(tmp_path / ("a" * 300 + ".txt"))
    for reader in (read, read_one, lambda p: list(iter_documents([p]))):
        with pytest.raises(InputError, match="File name too long"):
            reader(name)
    assert cli(capsys, "compare", name, SEEDS / "press-release.txt") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "File name too long" in err


# --- 15. HTML nested deep, or with a huge text node ---------------------------------------------

def test_html_nested_300_deep_keeps_its_article():
    markup = ("<html><head><title>Strike</title></head><body>" + "<div>" * 300 + f"<p>{STRIKE * 5}</p>"
              + "</div>" * 300 + "</body></html>")
    doc = read_text(markup, doc_id="deep.html", html=True)
    assert "union said it would go on" in doc.text


def test_html_with_a_text_node_over_10_mb_keeps_its_article():
    node = "word " * (2_050_000)  # 10.25 MB: libxml2 stops at 10,000,000 bytes without huge_tree
    markup = f"<html><head><title>Big</title></head><body><article><p>{node}</p><p>{STRIKE * 5}</p></article></body></html>"
    doc = read_bytes(markup.encode(), doc_id="big.html", html=True, max_bytes=12 * MB)
    assert len(doc.text) > 10_000_000 and "union said it would go on" in doc.text


def test_html_nested_past_the_parsers_limit_says_so():
    markup = ("<html><body>" + "<div>" * 2100 + f"<p>{STRIKE * 5}</p>" + "</div>" * 2100 + "</body></html>")
    with pytest.raises(LimitError, match="excessive depth in document: 2048"):
        read_text(markup, doc_id="deeper.html", html=True)


# --- 16. UTF-16 without a BOM, and NULs anywhere ------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(codec):
    text = "Le café de la gare a fermé ses portes. " * 300  # more than 8 KB
    doc = read_bytes(text.encode(codec), doc_id="u16.txt")
    assert doc.text.startswith("Le café") and doc.meta["encoding"] == codec


def test_a_nul_byte_makes_binary_wherever_it_is():
    text = (STRIKE * 200).encode()  # 20 KB
    for at in (100, 15_000):
        with pytest.raises(InputError, match="NUL bytes"):
            read_bytes(text[:at] + b"\x00" + text[at:], doc_id="nul.txt")


# --- 18. one-line errors, and warnings that compare keeps ---------------------------------------

def test_a_damaged_pdf_is_one_line_on_the_command_line(tmp_path):
    # A subprocess: in pytest, pypdf's log lines would go to pytest's log capture, not stderr.
    pdf = tmp_path / "noeof.pdf"
    pdf.write_bytes(make_pdf(text_stream(500), compress=False).replace(b"%%EOF", b""))
    proc = run("read", pdf, "--brief")
    assert proc.returncode in (0, 2)
    assert "EOF marker" not in proc.stderr and "CAUTION" not in proc.stderr  # pypdf's own lines
    if proc.returncode == 2:
        assert len(proc.stderr.strip().splitlines()) == 1


def test_compare_says_what_it_skipped_in_a_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = sorted((DATA / "article-extraction" / "html").glob("*.html"), key=lambda p: p.stat().st_size)[0]
    buf = io.BytesIO()
    buf.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ngarbage cut short")
    writer = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/page", "response",
                                                  payload=io.BytesIO(page.read_bytes()), http_headers=http))
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(buf.getvalue())
    with pytest.warns(UserWarning, match="crawl.warc: offset 0"):
        assert read_one(warc).id == "https://example.org/page"
    proc = run("compare", warc, SEEDS / "press-release.txt", "--model", "hash", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "crawl.warc: offset 0" in proc.stderr and "skipped" in proc.stderr
    warning = next(line for line in proc.stderr.splitlines() if "crawl.warc" in line)
    assert warning.startswith("unspun: warning: ") and "ReadWarning" not in proc.stderr


def test_read_data_of_a_docx_bomb_is_a_limit_error():
    with pytest.raises(LimitError):
        read_data(make_docx(["Hello."], xml_bytes=3 * MB), "upload.docx", max_bytes=1 * MB)


def test_standard_input_stays_bounded(monkeypatch):
    class Endless(io.RawIOBase):  # a stream that never ends, like `cat /dev/zero |`
        def readable(self):
            return True

        def readinto(self, b):
            b[:] = b"w" * len(b)
            return len(b)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(InputError, match="standard input: over the 1 MB limit"):
        read("-", max_bytes=1 * MB)


def test_a_path_is_still_a_path(tmp_path):
    (tmp_path / "plain.txt").write_text(STRIKE, encoding="utf-8")
    assert read(str(tmp_path / "plain.txt")).id == "plain.txt"
    assert Path(read(tmp_path / "plain.txt").meta["origin"]).name == "plain.txt"

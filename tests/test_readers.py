"""The multi-format reading layer: directories, stdin, JSONL, WARC (with damage), PDF, DOCX."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from unspun.errors import InputError
from unspun.read import DEFAULT_EXTENSIONS, JsonlFields, ReadWarning, iter_documents

from .pdf_files import pdf_file

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "article-extraction" / "html"  # conftest's DATA layout
ARTICLE = "Workers began a strike on Monday after talks with the company broke down. "


def read_all(paths, **kwargs):
    """Documents and the warnings reported while reading them."""
    problems: list[str] = []
    docs = list(iter_documents(paths, warn=problems.append, **kwargs))
    return docs, problems


def html_page(title: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | About</nav>"
        f"<article><h1>{title}</h1><p>{ARTICLE * 12}</p></article><footer>Cookies</footer></body></html>"
    )


# --- directories ---------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (root / "sub" / "b.md").write_text("# Beta\n\nBeta text.", encoding="utf-8")
    (root / "sub" / "deeper" / "c.html").write_text(html_page("Gamma news"), encoding="utf-8")
    (root / "sub" / "lines.jsonl").write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    (root / ".git" / "config.txt").write_text("hidden directory", encoding="utf-8")
    (root / ".draft.txt").write_text("hidden file", encoding="utf-8")
    (root / "table.csv").write_text("not,in,the,extensions", encoding="utf-8")
    return root


def test_directory_is_read_recursively_with_relative_ids(tree):
    docs, problems = read_all([tree])
    assert [d.id for d in docs] == [
        "a.txt", "sub/b.md", "sub/deeper/c.html", "sub/lines.jsonl:1", "sub/lines.jsonl:2",
    ]
    assert problems == []
    by_id = {d.id: d for d in docs}
    assert by_id["a.txt"].text == "Alpha text."
    assert by_id["a.txt"].meta["format"] == "text"
    assert by_id["a.txt"].meta["origin"] == str(tree / "a.txt")
    assert by_id["sub/deeper/c.html"].meta["format"] == "html"
    assert "Workers began a strike" in by_id["sub/deeper/c.html"].text
    assert by_id["sub/lines.jsonl:2"].text == "two"


def test_directory_extensions_choose_the_files(tree):
    docs, _ = read_all([tree], extensions=["MD", ".html"])
    assert [d.id for d in docs] == ["sub/b.md", "sub/deeper/c.html"]


def test_bad_files_in_a_directory_are_warnings_not_errors(tree):
    (tree / "binary.txt").write_bytes(b"\x00\x01\x02 not text at all")
    (tree / "big.txt").write_text("x" * 5000, encoding="utf-8")
    (tree / "empty.md").write_text("   \n", encoding="utf-8")
    docs, problems = read_all([tree], max_bytes=4000)
    assert [d.id for d in docs] == [
        "a.txt", "sub/b.md", "sub/deeper/c.html", "sub/lines.jsonl:1", "sub/lines.jsonl:2",
    ]
    assert len(problems) == 3
    assert any("binary.txt" in p and "NUL" in p for p in problems)
    assert any("big.txt" in p and "limit" in p for p in problems)
    assert any("empty.md" in p and "empty" in p for p in problems)


def test_a_bad_file_given_directly_is_an_error(tmp_path):
    bad = tmp_path / "binary.txt"
    bad.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary.txt: this is binary data"):
        read_all([bad])
    with pytest.raises(InputError, match="no such file"):
        read_all([tmp_path / "missing.txt"])


def test_a_file_given_directly_keeps_its_name_as_id_and_is_read_whatever_its_suffix(tmp_path):
    note = tmp_path / "notes.log"
    note.write_text("A plain note.", encoding="utf-8")
    docs, _ = read_all([note])  # .log is not among the directory extensions
    assert [(d.id, d.text) for d in docs] == [("notes.log", "A plain note.")]


def test_default_warnings_are_read_warnings(tree):
    (tree / "binary.txt").write_bytes(b"\x00\x01")
    with pytest.warns(ReadWarning, match="binary.txt"):
        docs = list(iter_documents([tree]))
    assert len(docs) == 5


def test_one_path_string_is_not_split_into_characters(tree):
    docs = list(iter_documents(str(tree / "a.txt")))
    assert [d.id for d in docs] == ["a.txt"]


def test_empty_directory_is_reported(tmp_path):
    docs, problems = read_all([tmp_path])
    assert docs == []
    assert len(problems) == 1 and "no files to read" in problems[0]


# --- standard input ------------------------------------------------------------------------


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Caf\xe9 prices rose.".encode("cp1252"))))
    docs, _ = read_all(["-"])
    assert [(d.id, d.text) for d in docs] == [("-", "Café prices rose.")]
    assert docs[0].meta["format"] == "text"
    assert docs[0].meta["encoding"] == "cp1252"


def test_stdin_html_is_sniffed(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(html_page("Stdin news").encode())))
    docs, _ = read_all(["-"])
    assert docs[0].meta["format"] == "html"
    assert "Workers began a strike" in docs[0].text
    assert "<p>" not in docs[0].text


def test_stdin_over_the_limit(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"y" * 2000)))
    with pytest.raises(InputError, match="standard input: over the"):
        read_all(["-"], max_bytes=1000)


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_with_field_options_and_bad_lines(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_text(
        '{"doc": 17, "body": "First story.", "link": "https://a.example/1", "day": "2024-01-02", "headline": "One"}\n'
        "this is not json\n"
        '{"doc": 18, "text": "the wrong field"}\n'
        "\n"
        '{"body": "No id here.", "title": "ignored: title is switched off"}\n'
        '{"body": ""}\n',
        encoding="utf-8",
    )
    fields = JsonlFields(text="body", id="doc", url="link", date="day", title=None)
    docs, problems = read_all([path], jsonl=fields)
    assert [d.id for d in docs] == ["17", "feed.ndjson:5"]
    first, second = docs
    assert (first.text, first.url, first.published, first.title) == (
        "First story.", "https://a.example/1", "2024-01-02", None,
    )
    assert first.meta["format"] == "jsonl" and first.meta["line"] == 1
    assert second.title is None
    assert len(problems) == 3
    assert f"{path}:2: not JSON" in problems[0]
    assert f"{path}:3: no 'body' field" in problems[1]
    assert f"{path}:6: the 'body' field is empty" in problems[2]


def test_jsonl_text_over_the_limit_is_skipped(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "short"}\n{"text": "' + "z" * 3000 + '"}\n', encoding="utf-8")
    docs, problems = read_all([path], max_bytes=1000)
    assert [d.text for d in docs] == ["short"]
    assert len(problems) == 1 and ":2:" in problems[0] and "limit" in problems[0]


# --- WARC ----------------------------------------------------------------------------------

GOOD = ["https://news.example/one", "https://news.example/two", "https://news.example/three"]
BAD = "https://news.example/broken"


def need_pages() -> Path:
    if not PAGES.exists():
        pytest.fail(f"evaluation data missing: {PAGES} (../shared must sit beside the repository)")
    return PAGES


def _pages() -> list[bytes]:
    pages = sorted(need_pages().glob("*.html"), key=lambda p: p.stat().st_size)
    return [p.read_bytes() for p in pages[:4]]  # the small ones: quick to extract


def build_warc(gz: bool) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """A WARC of four real pages (the third is the one tests damage) plus records that are not
    pages; returns its bytes and each page record's (start, end) offsets."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    spans = {}
    uris = [GOOD[0], GOOD[1], BAD, GOOD[2]]
    for uri, page in zip(uris, _pages()):
        start = out.tell()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page), http_headers=http))
        spans[uri] = (start, out.tell())
        # Records that are not pages, and must be passed over in silence.
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request))
    for uri, status, ctype in [("https://news.example/logo.png", "200 OK", "image/png"),
                               ("https://news.example/gone", "404 Not Found", "text/html")]:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(b"\x89PNG..."), http_headers=http))
    return out.getvalue(), spans


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_pages(tmp_path, gz):
    data, _ = build_warc(gz)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    docs, problems = read_all([path])
    assert problems == []
    assert [d.id for d in docs] == [GOOD[0], GOOD[1], BAD, GOOD[2]]
    doc = docs[0]
    assert doc.url == GOOD[0]
    assert doc.published and doc.published.endswith("Z")  # the WARC-Date, ISO 8601
    assert doc.meta["format"] == "warc"
    assert doc.meta["origin"] == str(path)
    assert "author" in doc.meta and "sitename" in doc.meta
    assert len(doc.text) > 200 and "<div" not in doc.text


def _cut_middle(data: bytes, start: int, end: int) -> bytes:
    """Drop 300 bytes from the middle of a record: a Content-Length that overruns the data
    (plain WARC) or a member that does not inflate (gzip)."""
    mid = (start + end) // 2
    return data[:mid] + data[mid + 300:]


def _flip_bytes(data: bytes, start: int, end: int) -> bytes:
    mid = (start + end) // 2
    damaged = bytearray(data)
    for i in range(mid, mid + 16):
        damaged[i] ^= 0x5A
    return bytes(damaged)


def _garbage_before(data: bytes, start: int, end: int) -> bytes:
    return data[:start] + b"this line is not a record\r\n\r\n" + data[start:]


def _break_header(data: bytes, start: int, end: int) -> bytes:
    return data[:start] + b"XXXX" + data[start + 4:]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("damage", [_cut_middle, _flip_bytes, _garbage_before, _break_header])
def test_warc_damaged_record_is_skipped_and_reported(tmp_path, capsys, gz, damage):
    data, spans = build_warc(gz)
    start, end = spans[BAD]
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(damage(data, start, end))
    docs, problems = read_all([path])
    expected = GOOD if damage is not _garbage_before else [GOOD[0], GOOD[1], BAD, GOOD[2]]
    assert [d.id for d in docs] == expected  # everything after the damage is still read
    assert len(problems) == 1, problems
    assert str(path) in problems[0]
    # The warning names the record, by URI where it can still be read, else by offset.
    assert BAD in problems[0] or f"offset {start}" in problems[0], problems[0]
    # ...and it is the only report: warcio's own complaints on stderr are kept quiet.
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_truncated_at_the_end(tmp_path, gz):
    data, spans = build_warc(gz)
    start, end = spans[GOOD[2]]
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data[: (start + end) // 2])
    docs, problems = read_all([path])
    assert [d.id for d in docs] == [GOOD[0], GOOD[1], BAD]
    assert len(problems) == 1 and GOOD[2] in problems[0] and "truncated" in problems[0]


def test_warc_record_over_the_limit(tmp_path):
    data, _ = build_warc(False)
    sizes = sorted(len(p) for p in _pages())
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    docs, problems = read_all([path], max_bytes=sizes[-1] - 1)  # the largest page is over it
    assert len(docs) == 3
    assert len(problems) == 1 and "limit" in problems[0]


def test_warc_gz_record_larger_than_a_read_chunk(tmp_path):
    # A record that inflates to more than the 1 MiB the gzip walker inflates per call.
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    big = html_page("Big page").replace("<footer>", "<!--" + "padding " * 400_000 + "--><footer>")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for uri, page in [("https://big.example/", big), ("https://small.example/", html_page("Small"))]:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page.encode()), http_headers=http))
    path = tmp_path / "big.warc.gz"
    path.write_bytes(out.getvalue())
    docs, problems = read_all([path])
    assert [d.id for d in docs] == ["https://big.example/", "https://small.example/"]
    assert problems == []


def test_warc_written_as_one_gzip_stream_still_reads(tmp_path):
    data, _ = build_warc(False)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(data))  # not one member per record, as `gzip crawl.warc` does
    docs, problems = read_all([path])
    assert [d.id for d in docs] == [GOOD[0], GOOD[1], BAD, GOOD[2]] and problems == []


def _arc(records: list[tuple[str, bytes]]) -> list[bytes]:
    """ARC 1.0 records (the Internet Archive's format before WARC): a file header, then
    "URL IP date content-type length" lines each followed by the HTTP response."""
    desc = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://crawl.arc 0.0.0.0 20191120000000 text/plain %d\n" % len(desc) + desc + b"\n"]
    for uri, page in records:
        body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
        out.append(b"%s 192.0.2.1 20191120101500 text/html %d\n" % (uri.encode(), len(body)) + body + b"\n")
    return out


@pytest.mark.parametrize("gz", [False, True], ids=["arc", "arc.gz"])
def test_arc(tmp_path, gz):
    records = _arc([(GOOD[0], html_page("First").encode()), (GOOD[1], html_page("Second").encode())])
    path = tmp_path / ("old.arc.gz" if gz else "old.arc")
    path.write_bytes(b"".join(gzip.compress(r) for r in records) if gz else b"".join(records))
    docs, problems = read_all([path])
    assert [(d.id, d.published) for d in docs] == [(GOOD[0], "2019-11-20T10:15:00Z"), (GOOD[1], "2019-11-20T10:15:00Z")]
    assert problems == []


def test_not_a_warc(tmp_path):
    path = tmp_path / "page.warc"
    path.write_text(html_page("Not a WARC"), encoding="utf-8")
    with pytest.raises(InputError, match="not a WARC or ARC file"):
        read_all([path])


# --- PDF and DOCX --------------------------------------------------------------------------


def write_pdf(path: Path, pages: list[str]) -> None:
    """A minimal valid PDF, one line of Helvetica text per page, written by hand (no PDF writer
    library can put text on a page through its public API)."""
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    path.write_bytes(pdf_file(objects))


def encrypt_pdf(src: Path, dst: Path, user: str, owner: str) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=src)
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    writer.write(dst)


def test_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    write_pdf(path, ["Profits rose in the third quarter.", "The board met on Tuesday."])
    docs, _ = read_all([path])
    assert [d.id for d in docs] == ["report.pdf"]
    assert docs[0].text == "Profits rose in the third quarter.\n\nThe board met on Tuesday."
    assert docs[0].meta["format"] == "pdf" and docs[0].meta["pages"] == 2


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    plain = tmp_path / "plain.pdf"
    write_pdf(plain, ["Open to anyone."])
    locked = tmp_path / "permissions.pdf"
    encrypt_pdf(plain, locked, user="", owner="owner-secret")
    docs, _ = read_all([locked])
    assert docs[0].text == "Open to anyone."


def test_pdf_encrypted_or_damaged_is_an_input_error(tmp_path):
    plain = tmp_path / "plain.pdf"
    write_pdf(plain, ["Secret plans."])
    locked = tmp_path / "locked.pdf"
    encrypt_pdf(plain, locked, user="secret", owner="secret")
    with pytest.raises(InputError, match="locked.pdf: is encrypted with a password"):
        read_all([locked])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Cat")
    with pytest.raises(InputError, match="broken.pdf: not a readable PDF") as info:
        read_all([broken])
    assert "\n" not in str(info.value)


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    write_pdf(path, [""])
    with pytest.raises(InputError, match="no text layer"):
        read_all([path])


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "Memo"
    document.core_properties.author = "A. Writer"
    document.add_paragraph("The council approved the budget.")
    document.add_paragraph("")
    document.add_paragraph("Spending on roads will double.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Cost"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Roads"
    path = tmp_path / "memo.docx"
    document.save(path)
    docs, _ = read_all([path])
    assert docs[0].id == "memo.docx"
    assert docs[0].text == (
        "The council approved the budget.\n\nSpending on roads will double.\n\nItem\tCost\n\nRoads"
    )
    assert docs[0].title == "Memo"
    assert docs[0].meta == {"format": "docx", "origin": str(path), "encoding": None, "author": "A. Writer"}


def test_docx_damaged_or_encrypted_is_an_input_error(tmp_path):
    not_zip = tmp_path / "broken.docx"
    not_zip.write_bytes(b"PK\x03\x04 but not really a zip")
    with pytest.raises(InputError, match="broken.docx: not a DOCX"):
        read_all([not_zip])
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match="locked.docx: is password-protected or an old binary .doc"):
        read_all([ole])


def test_damaged_pdf_and_docx_in_a_directory_are_warnings(tmp_path):
    write_pdf(tmp_path / "good.pdf", ["Readable text."])
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "bad.docx").write_bytes(b"garbage")
    docs, problems = read_all([tmp_path])
    assert [d.id for d in docs] == ["good.pdf"]
    assert len(problems) == 2
    assert "bad.docx" in problems[0] and "bad.pdf" in problems[1]


# --- HTML metadata -------------------------------------------------------------------------


def test_html_files_record_author_and_sitename():
    page = sorted(need_pages().glob("3cb22bfabed8*.html"))[0]  # a SlashGear article
    docs, _ = read_all([page])
    meta = docs[0].meta
    assert meta["format"] == "html"
    assert meta["author"] == "Chris Davies"
    assert meta["sitename"] == "SlashGear"


def test_default_extensions_cover_every_reader():
    for ext in (".txt", ".md", ".html", ".warc", ".warc.gz", ".jsonl", ".ndjson", ".pdf", ".docx"):
        assert ext in DEFAULT_EXTENSIONS

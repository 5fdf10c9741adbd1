"""The library reads what the CLI reads: ``unspun.read`` and ``unspun.compare`` take every format
``unspun compare`` takes (text, HTML, PDF, DOCX, a one-page WARC, a one-line JSONL, stdin, bytes),
and the CLI, the library and the service share one reader."""

from __future__ import annotations

import io
import json
import sys

import pytest

import unspun
from unspun.cli import main
from unspun.errors import InputError, MissingExtra
from unspun.extras import require
from unspun.read import read_data, read_one

from .test_readers import build_warc, need_pages, write_pdf

STORY = (
    "The council approved the new budget on Monday after a long debate. "
    "Spending on roads will double next year, the mayor said. "
    "Critics warned that the plan leaves schools short of money."
)
REWRITE = (
    "On Monday, after lengthy debate, the council passed its new budget. "
    "The mayor said road spending would double next year. "
    "The plan leaves schools underfunded, critics cautioned."
)


def _docx(path, paragraphs):
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(path)


@pytest.fixture
def formats(tmp_path):
    """The same story in every format a compare input may have."""
    sentences = STORY.split(". ")
    out = {}
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    out["txt"] = tmp_path / "story.txt"
    (tmp_path / "story.html").write_text(
        f"<html><head><title>Budget</title></head><body><article><p>{STORY}</p></article></body></html>", encoding="utf-8")
    out["html"] = tmp_path / "story.html"
    write_pdf(tmp_path / "story.pdf", [s.rstrip(".") + "." for s in sentences])
    out["pdf"] = tmp_path / "story.pdf"
    _docx(tmp_path / "story.docx", [STORY])
    out["docx"] = tmp_path / "story.docx"
    (tmp_path / "story.jsonl").write_text(json.dumps({"id": "story", "text": STORY}) + "\n", encoding="utf-8")
    out["jsonl"] = tmp_path / "story.jsonl"
    return out


@pytest.mark.parametrize("kind", ["txt", "html", "pdf", "docx", "jsonl"])
def test_read_and_the_cli_reader_agree_on_every_format(formats, kind):
    path = formats[kind]
    by_library = unspun.read(str(path))
    assert by_library.text == read_one(path).text
    assert "schools" in by_library.text
    assert unspun.read(path).text == by_library.text  # a Path as well as a str


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_compare_takes_pdf_and_docx(formats, kind, tmp_path):
    rewrite = tmp_path / "rewrite.docx"
    _docx(rewrite, [REWRITE])
    report = unspun.compare(str(formats[kind]), str(rewrite), model="hash")
    assert report.source.meta["format"] == kind and report.rewrite.meta["format"] == "docx"
    # the CLI gives the same report on the same files
    assert main(["compare", str(formats[kind]), str(rewrite), "--model", "hash", "--json"]) == 0


def test_compare_reports_the_same_through_the_library_and_the_cli(formats, tmp_path, capsys):
    rewrite = tmp_path / "rewrite.txt"
    rewrite.write_text(REWRITE, encoding="utf-8")
    for kind in ("pdf", "docx", "html"):
        capsys.readouterr()
        assert main(["compare", str(formats[kind]), str(rewrite), "--model", "hash", "--json"]) == 0
        by_cli = json.loads(capsys.readouterr().out)
        by_library = json.loads(unspun.compare(str(formats[kind]), str(rewrite), model="hash").to_json())
        for key in ("verdict", "reuse", "passages"):
            assert by_cli[key] == by_library[key], (kind, key)


def test_read_bytes_tells_pdf_and_docx_by_their_bytes(formats):
    pdf = unspun.read(formats["pdf"].read_bytes(), doc_id="upload")
    assert pdf.meta["format"] == "pdf" and pdf.id == "upload" and "schools" in pdf.text
    docx = unspun.read(formats["docx"].read_bytes())
    assert docx.meta["format"] == "docx" and "schools" in docx.text
    # an upload's file name names the format too
    assert read_data(formats["docx"].read_bytes(), "memo.docx").meta["format"] == "docx"


def test_read_a_one_page_warc(tmp_path):
    need_pages()
    data, _ = build_warc(gz=False)
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    with pytest.raises(InputError, match="more than one document"):
        unspun.read(str(path))  # many pages: iter_documents reads those
    assert len(list(unspun.iter_documents([path]))) > 1


def test_read_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode("utf-8"))))
    doc = unspun.read("-")
    assert doc.text == STORY


def test_read_limits_are_the_callers(formats):
    with pytest.raises(InputError, match="over the"):
        unspun.read(formats["pdf"], max_bytes=100)
    with pytest.raises(InputError, match="over the"):
        unspun.read(formats["docx"].read_bytes(), max_bytes=100)


def test_a_missing_extra_names_itself():
    with pytest.raises(MissingExtra, match=r"pip install 'unspun\[formats\]'"):
        require("a_module_that_is_not_installed", "formats", "reading a PDF")


def test_serve_keeps_its_old_option_names():
    from unspun.cli import build_parser

    parser = build_parser()
    old = parser.parse_args(["serve", "--max-mb", "3", "--concurrency", "4"])
    new = parser.parse_args(["serve", "--max-size", "3", "--jobs", "4"])
    assert (old.max_size, old.concurrency) == (new.max_size, new.concurrency) == (3.0, 4)

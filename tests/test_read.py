"""Bad input gets a clear error and loses nothing; legacy encodings read correctly."""

import pytest

from unspun.errors import InputError
from unspun.read import decode, read, read_bytes, read_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)


def test_png_is_refused(tmp_path):
    p = tmp_path / "picture.txt"  # the name lies; the bytes do not
    p.write_bytes(PNG)
    with pytest.raises(InputError, match="PNG image"):
        read_path(p)


def test_nul_bytes_are_refused():
    with pytest.raises(InputError, match="binary"):
        read_bytes(b"abc\x00def")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty(tmp_path, content):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        read_path(p)


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(InputError, match="50.0 MB is over the 20 MB limit"):
        read_path(p)


def test_limit_is_configurable(tmp_path):
    p = tmp_path / "small.txt"
    p.write_text("x" * 2000)
    with pytest.raises(InputError, match="limit"):
        read_path(p, max_bytes=1000)
    assert len(read_path(p, max_bytes=4000).text) == 2000


def test_cp1252_reads_as_cp1252(clough):
    doc = read_path(clough / "g1pB_taska.txt")  # has 0x92 (right single quote), 0x93/0x94
    assert doc.meta["encoding"] == "cp1252"
    assert "\u2019" in doc.text or "\u201c" in doc.text
    assert "\ufffd" not in doc.text


def test_every_clough_file_reads_without_replacement_characters(clough):
    for path in sorted(clough.glob("*.txt")):
        assert "\ufffd" not in read_path(path).text, path.name


def test_utf8_bom_is_dropped():
    text, enc = decode("Hello \u2014 world".encode("utf-8-sig"))
    assert text == "Hello \u2014 world" and enc == "utf-8-sig"


def test_cyrillic_legacy_encoding_is_not_forced_to_cp1252():
    data = ("Международная конфедерация профсоюзов осудила нарушения прав работников. " * 4).encode("cp1251")
    text, enc = decode(data)
    assert "конфедерация" in text


def test_read_takes_text_paths_and_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("From a file.", encoding="utf-8")
    assert read(str(p)).text == "From a file."
    assert read(p).text == "From a file."
    assert read("Just some text.").text == "Just some text."
    assert read(b"Some bytes.").text == "Some bytes."


def test_a_mistyped_path_is_an_error_not_a_text():
    with pytest.raises(InputError, match="no such file"):
        read("releases/statment.txt")


def test_html_is_extracted(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Strike news</title></head><body><nav>Home | About</nav>"
        "<article><h1>Strike news</h1><p>" + "Workers began a strike on Monday. " * 20 + "</p></article>"
        "<footer>Cookie notice</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_path(page)
    assert doc.meta["format"] == "html"
    assert "Workers began a strike" in doc.text
    assert "<p>" not in doc.text

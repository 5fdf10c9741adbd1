"""`unspun read`, site-level chrome, and compare reading standard input."""

import json
import os
import subprocess
import sys
from pathlib import Path

from unspun.clean import mark_chrome, mark_site_chrome
from unspun.read import read_text
from unspun.types import Document


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "unspun.cli", *map(str, args)],
        capture_output=True, text=True, input=stdin, timeout=300, env=dict(os.environ, COLUMNS="120"),
    )


def test_read_json_lines(seeds):
    proc = run("read", seeds[0].parent, "--json")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == ["blog-rewrite.txt", "press-release.txt"]
    for r in records:
        assert set(r) >= {"id", "text", "title", "url", "published", "chrome"}
    blog = records[0]
    start = blog["text"].index("About Wiz Writer")
    assert blog["chrome"] == [[start, len(blog["text"].rstrip())]]
    assert records[1]["chrome"] == []


def test_read_terminal_shows_metadata_and_text(seeds):
    proc = run("read", seeds[1])
    assert proc.returncode == 0, proc.stderr
    assert "blog-rewrite.txt" in proc.stdout and "of them chrome" in proc.stdout
    assert "Recent Posts" in proc.stdout  # greyed, not removed


def test_read_keep_chrome(seeds):
    proc = run("read", seeds[1], "--json", "--keep-chrome")
    assert json.loads(proc.stdout)["chrome"] == []


def test_read_missing_path_is_one_line_error(tmp_path):
    proc = run("read", tmp_path / "nope.txt")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_compare_reads_standard_input(seeds):
    proc = run("compare", seeds[0], "-", "--json", stdin=seeds[1].read_text(encoding="utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "wholly-derived"


def test_compare_refuses_two_standard_inputs():
    proc = run("compare", "-", "-", stdin="x")
    assert proc.returncode == 1 and "only one" in proc.stderr


def test_lines_repeated_across_a_sites_pages_are_chrome():
    footer = "The Daily Ledger is published by Ledger Media Group in Springfield since 1921."
    docs = []
    for k in range(4):
        body = "\n".join(f"Paragraph {k}.{n} says something particular about story {k} in full sentences here." for n in range(5))
        doc = read_text(f"Headline {k}\n{body}\n{footer}\nUnique closing remark number {k} of this page", doc_id=f"p{k}")
        doc.url = f"https://news.example.org/story-{k}"
        docs.append(mark_chrome(doc))
    # Alone, each page's footer reads like prose at the end of the article...
    assert not any(c.start <= d.text.index(footer) < c.end for d in docs for c in d.chrome)
    mark_site_chrome(docs)
    for doc in docs:
        at = doc.text.index(footer)
        assert any(c.start <= at < c.end for c in doc.chrome)
        unique = doc.text.index("Paragraph")
        assert not any(c.start <= unique < c.end for c in doc.chrome)


def test_site_chrome_needs_enough_pages():
    docs = [Document(id=str(k), text="Same footer line here\nDifferent text " + str(k), url="https://a.example/x") for k in range(2)]
    mark_site_chrome(docs)
    assert all(doc.chrome == [] for doc in docs)


def test_html_compare_json_carries_the_extracted_text(tmp_path, seeds):
    page = tmp_path / "copy.html"
    body = "".join(f"<p>{p}</p>" for p in seeds[1].read_text(encoding="utf-8").split("\n\n")[:7])
    page.write_text(f"<html><head><title>Copy</title></head><body><nav>Home</nav><article>{body}</article></body></html>", encoding="utf-8")
    proc = run("compare", seeds[0], page, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    text = report["documents"]["rewrite"]["text"]
    assert "text" not in report["documents"]["source"]
    for p in report["passages"]:
        a, b = p["rewrite"]
        assert 0 <= a < b <= len(text) and not text[a].isspace()
    assert report["verdict"] == "wholly-derived"


def test_malformed_html_is_read_as_well_as_it_can_be(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><p>The workers began a strike on Monday at the plant and the union said it would go on.<p>"
                    "<b>Unclosed bold and <i>italics <div>The court ruled the strike illegal the same day, in a private hearing."
                    "</span></table>", encoding="utf-8")
    proc = run("read", page, "--json")
    assert proc.returncode == 0, proc.stderr
    assert "court ruled the strike illegal" in json.loads(proc.stdout)["text"]


def test_warc_with_a_corrupt_record_exits_0_with_a_warning_count(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from tests.conftest import DATA

    pages = sorted((DATA / "article-extraction" / "html").glob("*.html"))[:3]
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for k, page in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{k}", "response", payload=BytesIO(page.read_bytes()), http_headers=headers)
        writer.write_record(record)
        if k == 0:
            buf.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ngarbage cut short")
    path = tmp_path / "crawl.warc"
    path.write_bytes(buf.getvalue())
    proc = run("read", path, "--json")
    assert proc.returncode == 0, proc.stderr
    ids = [json.loads(line)["id"] for line in proc.stdout.splitlines()]
    assert ids == [f"https://example.org/{k}" for k in range(3)]
    assert "warning" in proc.stderr and "1 warning" in proc.stderr.splitlines()[-1]


def test_read_detects_the_language(tmp_path):
    (tmp_path / "en.txt").write_text("The union said the workers began a strike at the plant on Monday morning.", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Профсоюз заявил, что рабочие начали забастовку на заводе в понедельник утром.", encoding="utf-8")
    (tmp_path / "kk.txt").write_text("Кәсіподақ жұмысшылар дүйсенбі күні таңертең зауытта ереуіл бастағанын мәлімдеді.", encoding="utf-8")
    proc = run("read", tmp_path, "--json")
    langs = {json.loads(line)["id"]: json.loads(line)["lang"] for line in proc.stdout.splitlines()}
    assert langs == {"en.txt": "en", "kk.txt": "kk", "ru.txt": "ru"}


def test_a_document_with_no_prose_is_not_all_chrome():
    # A menu (or lyrics, or a list): no line reads as prose, yet it is the document's content.
    # Found on pan13-verbatim, where whole sources like this vanished from the index.
    path = Path(__file__).parent.parent.parent / "shared/data/pan13-verbatim/src/source-document01505.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else "\n".join(
        ["Housemade red curry and tofu stew", "Crispy slow-cooked duck soup", "Steamed wild striped bass"] * 20
    )
    doc = mark_chrome(read_text(text, doc_id="menu"))
    assert doc.chrome == []
    # ...while a page with an article keeps its furniture marked.
    page = mark_chrome(read_text("Home | News | Sport | Contact\nMenu\nSearch\n" + "\n".join(
        f"Paragraph {n} says something particular about the story in full sentences here." for n in range(6)
    ) + "\nShare this article\nFacebook\nTwitter", doc_id="page"))
    assert [page.text[c.start : c.end] for c in page.chrome] == ["Menu\nSearch", "Share this article\nFacebook\nTwitter"]

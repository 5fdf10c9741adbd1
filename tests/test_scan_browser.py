"""The page `unspun scan --html` writes, in a real browser: Playwright drives Debian's chromium,
headless, on the file itself (no server), after a real scan of a small folder."""

from __future__ import annotations

import shutil

import pytest

from .conftest import require_chromium

require_chromium()

from playwright.sync_api import expect  # noqa: E402

from unspun.cli import main  # noqa: E402

from .conftest import CLOUGH, SEEDS, need  # noqa: E402

FILES = [SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt", CLOUGH / "orig_taska.txt",
         CLOUGH / "g0pD_taska.txt", CLOUGH / "g0pE_taska.txt"]


@pytest.fixture(scope="module")
def scan_page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scan-html")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for path in FILES:
        shutil.copy(need(path), corpus / path.name)
    index = tmp / "report" / "index.html"
    assert main(["scan", str(corpus), "--out", str(tmp / "out"), "--jobs", "1", "--html", str(index)]) == 0
    return index


@pytest.fixture
def page(browser, scan_page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(scan_page.as_uri())
    yield pg
    context.close()


def test_clusters_are_shown_and_a_pair_opens_its_side_by_side_report(page, scan_page):
    clusters = page.locator("#clusters .cluster")
    expect(clusters.first).to_be_visible()
    assert clusters.count() >= 2
    expect(page.locator("#clusters")).to_contain_text("press-release.txt")
    expect(page.locator("#clusters")).to_contain_text("orig_taska.txt")
    row = page.locator("#pairs tbody tr", has_text="press-release.txt")
    undirected = "↔" in row.inner_text()
    assert undirected != ("→" in row.inner_text())  # one arrow or the other, never both
    row.locator("a.pair-link").first.click()
    # The report says what the scan found: no direction, or which side is the original.
    expect(page.locator("nav.scan-pair")).to_contain_text("direction unknown" if undirected else "the original is")
    expect(page.locator("#source")).to_be_visible()
    expect(page.locator("#rewrite")).to_be_visible()
    expect(page.locator("#source mark").first).to_be_visible()  # the passages are highlighted
    assert page.url.startswith(scan_page.parent.as_uri() + "/pairs/")
    page.click("nav.scan-pair a")  # and back to the scan
    expect(page.locator("#clusters")).to_be_visible()
    assert all(url.startswith("file://") for url in page.requests)  # nothing loaded from elsewhere

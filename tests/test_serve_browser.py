"""The page of `unspun serve` in a real browser: Playwright drives Debian's chromium, headless,
against a real uvicorn server on a free loopback port, with the real model.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from .conftest import require_chromium

require_chromium()

import uvicorn  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from unspun.serve import create_app  # noqa: E402

HOSTILE = (
    'Workers began strike action on 11 December 2023. <script>window.__pwned = "script"; alert("script")</script> '
    'The court ruled the strike illegal the same day. <img src=x onerror="window.__pwned = \'img\'; alert(\'img\')"> '
    "An appeal against the court ruling has been rejected. <svg onload=\"window.__pwned = 'svg'\"></svg>"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app):
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:  # the lifespan loads the model first
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server():
    yield from _serve(create_app())


# A file name that is markup, and a text that is: both shown as text in the Trace tab.
HOSTILE_ID = '<img src=x onerror="window.__pwned = \'id\'">.txt'


@pytest.fixture(scope="module")
def trace_server(tmp_path_factory, seeds, clough):
    """A server with an index: the press release, two Clough originals, and a hostile document."""
    from unspun.read import read_one, read_text
    from unspun.store import Index

    path = tmp_path_factory.mktemp("browser") / "idx"
    with Index(path) as ix:
        ix.add([read_one(str(seeds[0]), 1 << 20), *(read_one(str(clough / f"orig_task{t}.txt"), 1 << 20) for t in "ab"),
                read_text(HOSTILE, doc_id=HOSTILE_ID)])
    yield from _serve(create_app(index=path))


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.console_errors = []
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.goto(url + "/")
    return context, pg


@pytest.fixture
def page(browser, server):
    context, pg = _open(browser, server)
    yield pg
    context.close()


@pytest.fixture
def trace_page(browser, trace_server):
    context, pg = _open(browser, trace_server)
    yield pg
    context.close()


def test_seed_pair_pasted_compared_and_highlighted(page, seeds):
    source, rewrite = (p.read_text(encoding="utf-8") for p in seeds)
    page.fill("#source-text", source)
    page.fill("#rewrite-text", rewrite)
    page.click("#compare")
    expect(page.locator("#result")).to_be_visible(timeout=60_000)

    expect(page.locator("#verdict")).to_have_text("wholly-derived")
    expect(page.locator("#verdict")).to_have_class("verdict wholly-derived")
    expect(page.locator("#rewrite-share")).to_have_text("100%")
    # The texts come back whole, with the matched passages highlighted on both sides.
    assert page.locator("#source-view").text_content() == source
    assert page.locator("#rewrite-view").text_content() == rewrite
    rw_marks, src_marks = page.locator("#rewrite-view mark.p"), page.locator("#source-view mark.p")
    assert rw_marks.count() >= 6 and src_marks.count() >= 6
    highlighted = " ".join(rw_marks.all_text_contents())
    assert "ITUC Urges Kazakhstan to Drop Sanctions" in highlighted
    assert "About Wiz Writer" not in highlighted  # chrome is not a passage...
    assert "About Wiz Writer" in " ".join(page.locator("#rewrite-view .chrome").all_text_contents())  # ...it is greyed
    assert page.locator("#passages tr").count() == 2
    # Linked: pointing at a sentence of the rewrite lights its partner in the source.
    first = page.locator("#rewrite-view mark.pair").first
    pair = first.get_attribute("data-q")
    first.hover()
    partner = page.locator(f'#source-view mark[data-q="{pair}"]').first
    expect(partner).to_have_class("p pair on hit")
    assert "Kazakhstan" in partner.text_content()
    # The reuse map, the findings, and the two downloads.
    assert page.locator("#map svg.reuse-map line").count() >= 6
    expect(page.locator("#fidelity")).to_contain_text("The rewrite does not credit its source.")
    expect(page.locator("#fidelity")).to_contain_text("seven striking workers were interrogated")
    for link in ("#download-json", "#download-html"):
        assert page.locator(link).get_attribute("href").startswith("blob:")
    with page.expect_download() as download:
        page.click("#download-json")
    assert '"verdict": "wholly-derived"' in Path(download.value.path()).read_text(encoding="utf-8")
    assert not page.console_errors


def test_uploaded_files_are_compared(page, seeds):
    page.set_input_files("#source-file", str(seeds[0]))
    page.set_input_files("#rewrite-file", str(seeds[1]))
    expect(page.locator("#source-chip")).to_contain_text("press-release.txt")
    page.click("#compare")
    expect(page.locator("#verdict")).to_have_text("wholly-derived", timeout=60_000)
    expect(page.locator("#source-name")).to_have_text("press-release.txt")
    assert page.locator("#rewrite-view mark.p").count() >= 6


def test_hostile_text_is_shown_literally_and_runs_nothing(page):
    page.fill("#source-text", HOSTILE)
    page.fill("#rewrite-text", "Breaking: " + HOSTILE)
    page.click("#compare")
    expect(page.locator("#result")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(300)  # give an injected handler (img onerror) time to fire, if it could
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    for view in ("#source-view", "#rewrite-view"):
        text = page.locator(view).text_content()
        assert '<script>window.__pwned = "script"; alert("script")</script>' in text
        assert "<img src=x onerror=" in text
        assert page.locator(f"{view} script, {view} img, {view} svg").count() == 0
    assert page.locator("#rewrite-view mark.p").count() > 0
    assert not page.console_errors


def test_errors_are_shown_as_messages(page):
    page.click("#compare")
    expect(page.locator("#error")).to_have_text("Paste or upload the source first.")
    page.set_input_files("#source-file", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(32)}])
    page.fill("#rewrite-text", "Some text to compare.")
    page.click("#compare")
    expect(page.locator("#error")).to_contain_text("logo.png: this is a PNG image, not text")
    expect(page.locator("#result")).to_be_hidden()


# -- the Trace tab ------------------------------------------------------------------------------


def test_the_trace_tab_shows_only_when_the_server_has_an_index(page, trace_page):
    page.wait_for_load_state("networkidle")  # /healthz answered: the page knows there is no index
    expect(page.locator("#tabs")).to_be_hidden()
    expect(page.locator("#compare-form")).to_be_visible()
    expect(trace_page.locator("#tabs")).to_be_visible()
    expect(trace_page.locator("#trace-form")).to_be_hidden()  # Compare is the first tab
    trace_page.click("#tab-trace")
    expect(trace_page.locator("#trace-form")).to_be_visible()
    expect(trace_page.locator("#compare-form")).to_be_hidden()
    expect(trace_page.locator("#tab-trace")).to_have_attribute("aria-selected", "true")


def test_tracing_the_blog_rewrite_lists_the_press_release_first_and_opens_it_side_by_side(trace_page, seeds):
    source, rewrite = (p.read_text(encoding="utf-8") for p in seeds)
    pg = trace_page
    pg.click("#tab-trace")
    pg.click("#trace")
    expect(pg.locator("#trace-error")).to_have_text("Paste or upload the text to trace first.")
    pg.fill("#query-text", rewrite)
    pg.click("#trace")
    first = pg.locator("#sources tr").first
    expect(first.locator("td.source-id")).to_have_text("press-release.txt", timeout=60_000)
    expect(first.locator(".badge")).to_have_text("wholly-derived")
    expect(first.locator("td.why")).to_have_text("verified")
    assert first.locator("td.share").all_text_contents()[0] == "100%"
    expect(pg.locator("#trace-notes")).to_contain_text("only 1 indexed document shares")
    first.locator("button.open").click()
    expect(pg.locator("#result")).to_be_visible(timeout=60_000)
    expect(pg.locator("#verdict")).to_have_text("wholly-derived")
    expect(pg.locator("#source-name")).to_have_text("press-release.txt")
    assert pg.locator("#source-view").text_content() == source
    assert pg.locator("#rewrite-view").text_content() == rewrite
    assert pg.locator("#rewrite-view mark.p").count() >= 6 and pg.locator("#source-view mark.p").count() >= 6
    # The side-by-side view belongs to the Trace tab: Compare does not show it.
    pg.click("#tab-compare")
    expect(pg.locator("#result")).to_be_hidden()
    expect(pg.locator("#trace-result")).to_be_hidden()
    pg.click("#tab-trace")
    expect(pg.locator("#trace-result")).to_be_visible()
    assert not pg.console_errors


def test_hostile_ids_and_texts_stay_text_in_the_trace_tab(trace_page):
    pg = trace_page
    pg.click("#tab-trace")
    pg.fill("#query-text", "Breaking: " + HOSTILE)
    pg.click("#trace")
    row = pg.locator("#sources tr", has_text="onerror")
    expect(row.locator("td.source-id")).to_have_text(HOSTILE_ID, timeout=60_000)
    row.locator("button.open").click()
    expect(pg.locator("#result")).to_be_visible(timeout=60_000)
    pg.wait_for_timeout(300)  # give an injected handler (img onerror) time to fire, if it could
    assert pg.evaluate("window.__pwned") is None and pg.dialogs == []
    assert pg.locator("#sources img, #sources script, #result img, #result script").count() == 0
    assert "<img src=x onerror=" in pg.locator("#source-view").text_content()
    expect(pg.locator("#source-name")).to_have_text(HOSTILE_ID)
    assert not pg.console_errors

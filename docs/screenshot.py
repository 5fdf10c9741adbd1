"""Regenerate docs/screenshot.png: the page of `unspun serve` with the seed pair compared, or
with --trace docs/trace-tab.png: its Trace tab, a Clough answer traced in a small index and its
best source opened side by side.

    python docs/screenshot.py [--out docs/screenshot.png]
    python docs/screenshot.py --trace [--out docs/trace-tab.png]

Starts `unspun serve` on a free loopback port (with --trace, on an index it builds in a temporary
folder first), drives Debian's chromium (/usr/bin/chromium) through Playwright, pastes the texts,
presses Compare (or Trace, then a source's Side by side) and photographs the page.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "data" / "seeds"
CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson"
# The trace picture's index: the press release, the five Clough originals and six answers to task a
# (more than the five the server verifies, so that the table shows an unverified row too).
TRACE_INDEX = [SEEDS / "press-release.txt", *(CLOUGH / f"orig_task{t}.txt" for t in "abcde"),
               *(CLOUGH / f"{n}_taska.txt" for n in ("g0pD", "g2pC", "g3pC", "g0pE", "g1pD", "g2pE"))]
TRACE_QUERY = CLOUGH / "g4pC_taska.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trace", action="store_true", help="photograph the Trace tab (default out: docs/trace-tab.png)")
    parser.add_argument("--out", default=None, help="the picture (default: docs/screenshot.png)")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1640, help="the picture's height: the page's top (default 1640)")
    args = parser.parse_args()
    args.out = args.out or str(ROOT / "docs" / ("trace-tab.png" if args.trace else "screenshot.png"))
    if args.trace:
        with tempfile.TemporaryDirectory(prefix="unspun-shot-") as folder:
            index = Path(folder) / "idx"
            subprocess.run([sys.executable, "-m", "unspun.cli", "index", *map(str, TRACE_INDEX), "--index", str(index)],
                           check=True, stdout=subprocess.DEVNULL)
            return shoot(args, ["--index", str(index)], trace_tab)
    return shoot(args, [], compare_pair)


def compare_pair(page) -> None:
    page.fill("#source-text", (SEEDS / "press-release.txt").read_text(encoding="utf-8"))
    page.fill("#rewrite-text", (SEEDS / "blog-rewrite.txt").read_text(encoding="utf-8"))
    page.click(".more summary")
    page.fill("#source_publisher", "ITUC")
    page.click("#compare")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    # Point at a sentence of the second passage, so the picture shows a pair lit on both sides.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.wait_for_timeout(600)  # smooth scrolling settles
    page.hover('#rewrite-view mark.pair[data-p="1"] >> nth=0')
    page.wait_for_timeout(300)


def trace_tab(page) -> None:
    page.click("#tab-trace")
    page.fill("#query-text", TRACE_QUERY.read_text(encoding="utf-8"))
    page.click("#trace")
    page.wait_for_selector("#sources tr", timeout=120_000)
    page.click("#sources tr >> nth=0 >> button.open")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'}); document.getElementById('query-text').scrollTop = 0")
    page.wait_for_timeout(600)  # smooth scrolling settles
    page.hover('#rewrite-view mark.p >> nth=0')
    page.wait_for_timeout(300)


def shoot(args, serve_args: list[str], act) -> int:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "unspun.cli", "serve", "--port", str(port), *serve_args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            page.goto(url + "/")
            act(page)
            page.screenshot(path=args.out)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

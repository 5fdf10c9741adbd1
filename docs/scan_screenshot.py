"""Regenerate docs/scan-report.png: the page `unspun scan --html` writes, for a small folder.

    python docs/scan_screenshot.py [--out docs/scan-report.png]

Copies the seed pair and a few Clough-Stevenson answers into a temporary folder, runs
`unspun scan FOLDER --out TMP --html TMP/index.html`, opens the page from the file in Debian's
chromium (/usr/bin/chromium) through Playwright and photographs it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FILES = [DATA / "seeds" / "press-release.txt", DATA / "seeds" / "blog-rewrite.txt"] + [
    DATA / "clough-stevenson" / name for name in (
        "orig_taska.txt", "g0pC_taska.txt", "g0pD_taska.txt", "g0pE_taska.txt",
        "orig_taskb.txt", "g0pA_taskb.txt", "g0pD_taskb.txt")]


def scan_page(folder: Path) -> Path:
    """The scan's page for FILES, written under ``folder``."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for path in FILES:
        shutil.copy(path, corpus / path.name)
    page = folder / "report" / "index.html"
    subprocess.run([sys.executable, "-m", "unspun.cli", "scan", str(corpus), "--out", str(folder / "out"),
                    "--jobs", "1", "--html", str(page)], check=True, stdout=subprocess.DEVNULL)
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "scan-report.png"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_path = scan_page(Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading speed of unspun.read by format, and HTML extraction quality beside trafilatura alone.

    python benchmarks/read.py [--repeat 3]

Speed rows (MB/s of input bytes; median of --repeat runs, all in one process after a warm-up):
  * plain text: the Clough-Stevenson answers (100 files, some cp1252) and the PAN-13 `src/`
    documents (1,949 files), each directory read with ``iter_documents``;
  * HTML: the 91 article-extraction pages through ``iter_documents`` (decode + trafilatura
    ``bare_extraction`` with metadata and ``favor_precision``), and the same bytes through ``trafilatura.extract`` alone
    (the baseline: no decoding of ours, no metadata);
  * WARC: the same 91 pages written into a .warc and a .warc.gz in a temporary directory (one
    response record and one request record per page), read with ``iter_documents``.

Quality: token-level scores of each extractor's text against the annotated bodies in
``truth.jsonl`` (bag of lowercase word tokens, precision and recall per page averaged over pages,
F1 of the two means: the measure of ../shared/data/article-extraction/README.md).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLOUGH = DATA / "clough-stevenson"
PAN_SRC = DATA / "pan13-verbatim" / "src"
ARTICLES = DATA / "article-extraction"
MB = 1024 * 1024

sys.path.insert(0, str(ROOT))
from tests.eval.article_extraction import body_scores as scores  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def write_warc(pages: list[Path], path: Path, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for page in pages:
            uri = f"https://pages.example/{page.stem}"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page.read_bytes()), http_headers=http))
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "pages.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import trafilatura
    import trafilatura.settings

    from unspun.read import iter_documents

    for folder in (CLOUGH, PAN_SRC, ARTICLES):
        if not folder.exists():
            print(f"evaluation data missing: {folder}", file=sys.stderr)
            return 1

    problems: list[str] = []

    def read_dir(folder: Path, **kwargs) -> list:
        return list(iter_documents([folder], warn=problems.append, **kwargs))

    pages = sorted((ARTICLES / "html").glob("*.html"))
    html_bytes = sum(p.stat().st_size for p in pages)
    raw = {p.stem: p.read_bytes() for p in pages}
    truth = {}
    with open(ARTICLES / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            truth[row["id"]] = row["body"]

    def baseline() -> dict[str, str]:
        return {k: trafilatura.extract(v) or "" for k, v in raw.items()}

    # Warm-up: imports, trafilatura's first-call set-up, the file cache.
    read_dir(CLOUGH)
    trafilatura.extract(raw[pages[0].stem])
    list(iter_documents([pages[0]]))

    rows = []

    def row(name: str, count: int, nbytes: int, seconds: float) -> None:
        rows.append((name, count, nbytes / MB, seconds, nbytes / MB / seconds))

    text_exts = [".txt"]
    for name, folder in [("plain text: Clough-Stevenson", CLOUGH), ("plain text: PAN-13 src/", PAN_SRC)]:
        nbytes = sum(p.stat().st_size for p in folder.glob("*.txt"))
        secs, docs = timed(lambda f=folder: read_dir(f, extensions=text_exts), args.repeat)
        row(name, len(docs), nbytes, secs)

    secs, html_docs = timed(lambda: read_dir(ARTICLES / "html"), args.repeat)
    row("HTML: unspun (iter_documents)", len(html_docs), html_bytes, secs)
    secs, base_texts = timed(baseline, args.repeat)
    row("HTML: trafilatura.extract alone (baseline)", len(base_texts), html_bytes, secs)

    warc_texts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gz in (False, True):
            path = Path(tmp) / ("pages.warc.gz" if gz else "pages.warc")
            write_warc(pages, path, gz)
            secs, docs = timed(lambda p=path: list(iter_documents([p], warn=problems.append)), args.repeat)
            row(f"WARC: unspun, {path.name} ({path.stat().st_size / MB:.1f} MB on disk)",
                len(docs), path.stat().st_size, secs)
            warc_texts[gz] = {d.id.rsplit("/", 1)[1]: d.text for d in docs}

    unspun_texts = {d.id.removesuffix(".html"): d.text for d in html_docs}
    same = all(warc_texts[gz] == unspun_texts for gz in (False, True))

    print(f"median of {args.repeat} runs; MB = input bytes read (MiB)")
    print()
    print("| input | documents | MB | seconds | MB/s |")
    print("| --- | --- | --- | --- | --- |")
    for name, count, mb, secs, rate in rows:
        print(f"| {name} | {count} | {mb:.2f} | {secs:.3f} | {rate:.2f} |")
    print()
    print(f"HTML extraction against truth.jsonl ({len(truth)} pages; bag of lowercase word tokens):")
    print()
    print("| extractor | P | R | F1 |")
    print("| --- | --- | --- | --- |")
    for name, texts in [
        ("unspun (trafilatura bare_extraction, include_comments=False, favor_precision=True)", unspun_texts),
        (f"trafilatura {trafilatura.__version__} extract(html) defaults", base_texts),
    ]:
        p, r, f = scores(texts, truth)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print()
    print(f"WARC texts identical to the HTML files' texts: {'yes' if same else 'NO'}")
    if problems:
        print(f"{len(problems)} read warnings, first: {problems[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load on `unspun serve`: 1, 4 and 16 concurrent clients posting the seed pair, on loopback.

    python benchmarks/serve.py [--seconds 12] [--clients 1 4 16] [--concurrency 2] [--uncached]
    python benchmarks/serve.py --mix --clients 32 --seconds 60 [--timeout 20] [--max-size 2]

Starts `unspun serve` on a free loopback port (the real model, loaded before the run), then for
each client count runs that many clients, each posting the seed pair to /api/compare again as
soon as its last answer came, for --seconds; then waits a little for answers in flight. Prints,
per client count: requests/s, p50 and p95 latency, errors (anything but 200), and the server's
peak resident memory (RSS sampled every 50 ms). The whole run stops within 60 s, server start
included; it only ever talks to 127.0.0.1.

The model caches sentence vectors, so the same pair again is mostly alignment and judgement;
--uncached marks every sentence of every request with a request number, so each one is
embedded afresh, as a stream of new articles would be.

--mix sends what a public server gets instead (``Mix``): the seed pair, new seed
pairs, short texts, PDF and DOCX uploads, uploads over the size limit (413 intended) and
comparisons too long for the time limit (504 intended, their work cancelled). It prints status
counts per kind and in all; errors are answers nobody intended (a 500, a dropped connection):
the run fails on any. The time limit of the whole run is then the phases' time plus start-up.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository root: the tests' PDF writer
from tests.pdf_files import pdf_file  # noqa: E402

SEEDS = ROOT.parent / "shared" / "data" / "seeds"
TOTAL_LIMIT = 60.0  # seconds, server start included
DRAIN = 5.0  # seconds to wait for answers in flight after a phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, concurrency: int, deadline: float, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "unspun.cli", "serve", "--port", str(port), "--concurrency", str(concurrency), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped at start-up (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start in time")


def body(source: str, rewrite: str, n: int | None) -> bytes:
    if n is not None:  # every sentence new to the model's cache
        mark = lambda text: re.sub(r"([.!?])(\s)", rf"\1 [{n}]\2", text)  # noqa: E731
        source, rewrite = mark(source), mark(rewrite)
    return json.dumps({"source": source, "rewrite": rewrite}).encode()


class Sampler(threading.Thread):
    """The server's peak RSS while it runs (its process tree: children too, should it have any)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                return
            self.stop.wait(0.05)


def phase(port: int, clients: int, seconds: float, hard_stop: float, texts: tuple[str, str], uncached: bool, counter) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    end = min(start + seconds, hard_stop - DRAIN)
    last_done = [start]

    def client() -> None:
        conn = None
        while time.monotonic() < end:
            payload = body(*texts, next(counter) if uncached else None)
            timeout = max(0.5, hard_stop - time.monotonic())
            t0 = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                conn.sock and conn.sock.settimeout(timeout)
                conn.request("POST", "/api/compare", body=payload, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                problem = f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                ok, problem = False, type(exc).__name__
                conn = None
            t1 = time.monotonic()
            with lock:
                if t1 > hard_stop:  # abandoned: neither a latency nor an error
                    return
                (latencies.append(t1 - t0) if ok else errors.append(problem))
                last_done[0] = max(last_done[0], t1)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, hard_stop - time.monotonic()))
    unfinished = sum(t.is_alive() for t in threads)
    elapsed = max(1e-9, last_done[0] - start)
    q = statistics.quantiles(latencies, n=20, method="inclusive") if len(latencies) >= 2 else latencies * 19
    return {
        "clients": clients,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": q[18] if q else float("nan"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "unfinished": unfinished,
    }


# -- --mix: what a public server gets ------------------------------------------------------------

SHORT = [
    ("Workers began strike action on 11 December 2023.", "On 11 December 2023 the workers went on strike."),
    ("The court ruled the strike illegal the same day.", "A court declared the strike unlawful within hours."),
    ("The central bank raised rates by half a point.", "Rates went up 0.5 points, the central bank said."),
    ("Rain is expected across the north tomorrow.", "The minister resigned after the vote."),
]
# What a client sends, by weight.
KINDS = [("seed pair", 30), ("new seed pair", 15), ("short texts", 25), ("PDF upload", 10),
         ("DOCX upload", 10), ("over the size limit", 5), ("too long for the time limit", 2)]
# The intended answers: too large (413), too many at once (429 or 503, the gate's), too slow (504).
INTENDED = {413, 429, 503, 504}


def make_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is ``text`` (Helvetica, one line a sentence), by hand:
    pypdf reads but does not lay out text."""
    lines = [ln.strip() for ln in re.split(r"(?<=[.!?])\s+", text) if ln.strip()][:45]
    esc = lambda t: t.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")  # noqa: E731
    ops = b"BT /F1 9 Tf 40 800 Td 11 TL " + b" ".join(b"(" + esc(ln[:110]) + b") '" for ln in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objects)


def make_docx(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def multipart(files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "unspun-bench-boundary"
    parts = []
    for name, (filename, data, kind) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Mix:
    """Each request's kind drawn by weight; a request is (kind, body, content type), or
    (kind, None, declared size) for an upload over the limit, sent as headers and a first part."""

    def __init__(self, texts: tuple[str, str], max_bytes: int, seed: int = 17) -> None:
        self.texts = texts
        self.max_bytes = max_bytes
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        source, rewrite = texts
        self.pdf = multipart({"source": ("release.pdf", make_pdf(source), "application/pdf"),
                              "rewrite": ("blog.txt", rewrite.encode(), "text/plain")})
        self.docx = multipart({"source": ("release.docx", make_docx(source), DOCX),
                               "rewrite": ("blog.docx", make_docx(rewrite), DOCX)})

    def draw(self, n: int) -> tuple[str, bytes | None, str]:
        with self.lock:
            kind = self.random.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            short = self.random.choice(SHORT)
        if kind == "seed pair":
            return kind, body(*self.texts, None), "application/json"
        if kind == "new seed pair":
            return kind, body(*self.texts, n), "application/json"
        if kind == "short texts":
            return kind, body(*short, n), "application/json"
        if kind == "PDF upload":
            return kind, *self.pdf
        if kind == "DOCX upload":
            return kind, *self.docx
        if kind == "over the size limit":
            return kind, None, str(self.max_bytes + 1)
        # Forty seed pairs end to end, every sentence new: some 1,600 x 1,400 sentences.
        source, rewrite = ("\n\n".join(re.sub(r"([.!?])(\s)", rf"\1 [{n}.{k}]\2", t) for k in range(40)) for t in self.texts)
        return kind, json.dumps({"source": source, "rewrite": rewrite}).encode(), "application/json"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def oversized(port: int, declared: str, timeout: float) -> int:
    """An upload over the limit, as a client sends it: headers, then the body's first part; the
    server answers on the headers alone and closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"POST /api/compare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: " + declared.encode() + b"\r\n\r\n" + b"x" * 65536)
        reply = b""
        while b"\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed without an answer")
            reply += chunk
        return int(reply.split(b" ", 2)[1])


def mix_phase(port: int, clients: int, seconds: float, hard_stop: float, mix: Mix, counter) -> dict:
    done: list[tuple[str, int | str, float]] = []  # (kind, status or error name, seconds)
    lock = threading.Lock()
    start = time.monotonic()
    end = min(start + seconds, hard_stop - DRAIN)
    last_done = [start]

    def client() -> None:
        conn = None
        while time.monotonic() < end:
            kind, payload, kind_or_size = mix.draw(next(counter))
            timeout = max(0.5, hard_stop - time.monotonic())
            t0 = time.monotonic()
            outcome: int | str
            try:
                if payload is None:
                    outcome = oversized(port, kind_or_size, timeout)
                else:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                    conn.sock and conn.sock.settimeout(timeout)
                    conn.request("POST", "/api/compare", body=payload, headers={"Content-Type": kind_or_size})
                    response = conn.getresponse()
                    response.read()
                    outcome = response.status
                    if response.will_close:
                        conn.close()
                        conn = None
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
            t1 = time.monotonic()
            with lock:
                if t1 > hard_stop:  # abandoned: neither a latency nor an error
                    return
                done.append((kind, outcome, t1 - t0))
                last_done[0] = max(last_done[0], t1)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, hard_stop - time.monotonic()))
    elapsed = max(1e-9, last_done[0] - start)
    return {"clients": clients, "elapsed": elapsed, "done": done, "unfinished": sum(t.is_alive() for t in threads)}


def quantiles(latencies: list[float]) -> tuple[float, float]:
    if not latencies:
        return float("nan"), float("nan")
    if len(latencies) == 1:
        return latencies[0], latencies[0]
    return statistics.median(latencies), statistics.quantiles(latencies, n=20, method="inclusive")[18]


def print_mix(row: dict, peak_mb: float) -> bool:
    """The phase's table; whether it had no unintended answer."""
    done = row["done"]
    statuses = Counter(str(o) for _, o, _ in done)
    errors = sum(n for o, n in statuses.items() if not (o == "200" or (o.isdigit() and int(o) in INTENDED)))
    p50, p95 = quantiles([t for _, o, t in done if o == 200])
    print(f"{row['clients']} clients, {row['elapsed']:.0f} s: {len(done)} requests, {len(done) / row['elapsed']:.2f} requests/s "
          f"({sum(o == 200 for _, o, _ in done) / row['elapsed']:.2f} answered 200); 200s p50 {p50:.3f} s, p95 {p95:.3f} s; "
          f"statuses {dict(sorted(statuses.items()))}; unintended {errors}; peak RSS {peak_mb:.0f} MB"
          + (f"; {row['unfinished']} clients cut off at the time limit" if row["unfinished"] else ""))
    print()
    print("| kind | requests | p50 s | p95 s | statuses |")
    print("| --- | --- | --- | --- | --- |")
    for kind, _ in KINDS:
        mine = [(o, t) for k, o, t in done if k == kind]
        if not mine:
            continue
        p50, p95 = quantiles([t for _, t in mine])
        counts = Counter(str(o) for o, _ in mine)
        print(f"| {kind} | {len(mine)} | {p50:.3f} | {p95:.3f} | {', '.join(f'{n} x {o}' for o, n in sorted(counts.items()))} |")
    print(f"| all | {len(done)} | {quantiles([t for *_, t in done])[0]:.3f} | {quantiles([t for *_, t in done])[1]:.3f} | "
          f"{', '.join(f'{n} x {o}' for o, n in sorted(statuses.items()))} |")
    return errors == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=12.0, help="load time per client count (default 12)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--concurrency", type=int, default=2, help="the server's --concurrency (default 2)")
    parser.add_argument("--uncached", action="store_true", help="make every sentence of every request new")
    parser.add_argument("--mix", action="store_true", help="send a mix of kinds, the hostile ones included")
    parser.add_argument("--timeout", type=float, default=None,
                        help="the server's --timeout (default: its own, 120 s; 20 s with --mix)")
    parser.add_argument("--max-size", type=float, default=None,
                        help="the server's --max-size in MB (default: its own, 20; 2 with --mix)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    if args.mix:
        args.timeout = args.timeout or 20.0
        args.max_size = args.max_size or 2.0
    extra: tuple[str, ...] = ()
    if args.timeout:
        extra += ("--timeout", f"{args.timeout:g}")
    if args.max_size:
        extra += ("--max-size", f"{args.max_size:g}")

    t_start = time.monotonic()
    # The whole run stops by itself: within 60 s by default, or the phases asked for and start-up.
    hard_stop = t_start + max(TOTAL_LIMIT, 30 + len(args.clients) * (args.seconds + 2 * DRAIN))
    texts = ((SEEDS / "press-release.txt").read_text(encoding="utf-8"), (SEEDS / "blog-rewrite.txt").read_text(encoding="utf-8"))
    port = free_port()
    server = start_server(port, args.concurrency, deadline=t_start + 30, extra=extra)
    startup = time.monotonic() - t_start
    sampler = Sampler(server.pid)
    idle_rss = sampler.process.memory_info().rss
    sampler.start()
    counter = iter(range(10**9))
    mix = Mix(texts, int((args.max_size or 20) * 2**20)) if args.mix else None
    rows = []
    try:
        budget = (hard_stop - time.monotonic() - DRAIN * len(args.clients)) / len(args.clients)
        for clients in args.clients:
            sampler.peak = 0
            seconds = min(args.seconds, budget)
            row = (mix_phase(port, clients, seconds, hard_stop, mix, counter) if mix is not None
                   else phase(port, clients, seconds, hard_stop, texts, args.uncached, counter))
            rows.append(row | {"peak_mb": sampler.peak / 2**20})
    finally:
        sampler.stop.set()
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
    total = time.monotonic() - t_start

    what = ("a mix of requests" if mix is not None
            else f"seed pair {'uncached' if args.uncached else '(sentence cache warm)'}")
    print(f"unspun serve --concurrency {args.concurrency}{''.join(' ' + e for e in extra)}, {what}; "
          f"server start {startup:.1f} s, idle RSS {idle_rss / 2**20:.0f} MB, whole run {total:.1f} s")
    print()
    if mix is not None:
        clean = [print_mix(r, r["peak_mb"]) for r in rows]
        return 0 if all(clean) else 1
    print("| clients | requests | requests/s | p50 s | p95 s | errors | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        err = str(r["errors"]) + (f" ({', '.join(r['error_kinds'])})" if r["error_kinds"] else "")
        if r["unfinished"]:
            err += f", {r['unfinished']} cut off at the time limit"
        print(f"| {r['clients']} | {r['requests']} | {r['rps']:.2f} | {r['p50']:.3f} | {r['p95']:.3f} | {err} | {r['peak_mb']:.0f} |")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

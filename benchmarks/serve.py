"""Load on `unspun serve`: 1, 4 and 16 concurrent clients posting the seed pair, on loopback.

    python benchmarks/serve.py [--seconds 12] [--clients 1 4 16] [--concurrency 2] [--uncached]

Starts `unspun serve` on a free loopback port (the real model, loaded before the run), then for
each client count runs that many clients, each posting the seed pair to /api/compare again as
soon as its last answer came, for --seconds; then waits a little for answers in flight. Prints,
per client count: requests/s, p50 and p95 latency, errors (anything but 200), and the server's
peak resident memory (RSS sampled every 50 ms). The whole run stops within 60 s, server start
included; it only ever talks to 127.0.0.1.

The model caches sentence vectors, so the same pair again is mostly alignment and judgement;
--uncached marks every sentence of every request with a request number, so each one is
embedded afresh, as a stream of new articles would be.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "data" / "seeds"
TOTAL_LIMIT = 60.0  # seconds, server start included
DRAIN = 5.0  # seconds to wait for answers in flight after a phase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, concurrency: int, deadline: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "unspun.cli", "serve", "--port", str(port), "--concurrency", str(concurrency)],
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
    """The server's peak RSS while it runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=12.0, help="load time per client count (default 12)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--concurrency", type=int, default=2, help="the server's --concurrency (default 2)")
    parser.add_argument("--uncached", action="store_true", help="make every sentence of every request new")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()

    t_start = time.monotonic()
    hard_stop = t_start + TOTAL_LIMIT
    texts = ((SEEDS / "press-release.txt").read_text(encoding="utf-8"), (SEEDS / "blog-rewrite.txt").read_text(encoding="utf-8"))
    port = free_port()
    server = start_server(port, args.concurrency, deadline=t_start + 30)
    startup = time.monotonic() - t_start
    sampler = Sampler(server.pid)
    idle_rss = sampler.process.memory_info().rss
    sampler.start()
    counter = iter(range(10**9))
    rows = []
    try:
        budget = (hard_stop - time.monotonic() - DRAIN * len(args.clients)) / len(args.clients)
        for clients in args.clients:
            sampler.peak = 0
            rows.append(phase(port, clients, min(args.seconds, budget), hard_stop, texts, args.uncached, counter)
                        | {"peak_mb": 0.0})
            rows[-1]["peak_mb"] = sampler.peak / 2**20
    finally:
        sampler.stop.set()
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
    total = time.monotonic() - t_start

    print(f"unspun serve --concurrency {args.concurrency}, seed pair {'uncached' if args.uncached else '(sentence cache warm)'}; "
          f"server start {startup:.1f} s, idle RSS {idle_rss / 2**20:.0f} MB, whole run {total:.1f} s")
    print()
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

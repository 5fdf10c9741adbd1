"""`unspun serve` against hostile input and a busy server (issue 17): work that timed out stops
and frees its slot, Ctrl-C stops the server while a request runs, JSON that Python will not
hold is a 400, a connection whose headers trickle in is closed, HEAD is answered, and a
damaged or vanished index is a 409.

The servers here run the 'hash' embedder, on free loopback ports, and are stopped by each test.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

import unspun.pipeline
from unspun.cli import main
from unspun.serve import create_app
from unspun.serve.connections import server_options

from .test_serve_api import COPY, STORY, assert_json_error

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real uvicorn server in a thread, with `unspun serve`'s connection settings."""

    def __init__(self, app, **options) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                **(server_options() | options))
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the server did not stop"


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within ``seconds`` (reading what it sends)."""
    sock.settimeout(seconds)
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            if sock.recv(4096) == b"":
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return False


# -- 3: work that timed out stops and frees its slot ----------------------------------------------


def _endless_compare(progress: dict):
    """A comparison that never ends on its own (within 60 s), in pure Python like the aligner."""

    def endless(source, rewrite, **kwargs):
        progress["started"] = time.monotonic()
        try:
            end = time.monotonic() + 60
            while time.monotonic() < end:
                sum(range(1000))
        finally:
            progress["stopped"] = time.monotonic()
        return real(source, rewrite, **kwargs)

    real = unspun.pipeline.compare
    return endless


def test_timed_out_work_is_cancelled_and_the_next_request_gets_the_slot_at_once(monkeypatch):
    progress: dict = {}
    original = unspun.pipeline.compare
    monkeypatch.setattr(unspun.pipeline, "compare", _endless_compare(progress))
    app = create_app(model="hash", concurrency=1, timeout=1.0)
    gate = app.state.gate

    async def scenario():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            body = {"source": STORY, "rewrite": COPY}
            first = await http.post("/api/compare", json=body)
            answered = time.monotonic()
            for _ in range(200):  # the work stops and gives its slot back, within 2 s at most
                if gate.running == 0:
                    break
                await asyncio.sleep(0.01)
            freed = gate.running == 0
            monkeypatch.setattr(unspun.pipeline, "compare", original)
            # Before: the slot stayed taken for the endless work's 60 s, and this one waited
            # its 1 s for it, then got 503.
            second = await http.post("/api/compare", json=body)
            return first, answered, freed, second

    try:
        first, answered, freed, second = asyncio.run(scenario())
    finally:
        gate.shutdown()
    assert "1 s limit" in assert_json_error(first, 504)
    assert freed and "stopped" in progress
    assert progress["stopped"] - answered < 2.0  # stopped, not run to its end 60 s later
    assert second.status_code == 200, second.text


def test_a_cancelled_job_leaves_its_worker_thread_usable(monkeypatch):
    """The interruption ends the job, not the thread: the same worker serves the next requests."""
    original = unspun.pipeline.compare
    app = create_app(model="hash", concurrency=1, timeout=1.0)
    gate = app.state.gate

    async def scenario():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            body = {"source": STORY, "rewrite": COPY}
            statuses = []
            for _ in range(2):
                monkeypatch.setattr(unspun.pipeline, "compare", _endless_compare({}))
                statuses.append((await http.post("/api/compare", json=body)).status_code)
                monkeypatch.setattr(unspun.pipeline, "compare", original)
                statuses.append((await http.post("/api/compare", json=body)).status_code)
            return statuses

    try:
        assert asyncio.run(scenario()) == [504, 200, 504, 200]
        workers = [t for t in threading.enumerate() if t.name.startswith("unspun-work")]
        assert all(t.daemon for t in workers)  # Ctrl-C never waits for them
    finally:
        gate.shutdown()


SERVE_WITH_A_STUCK_REQUEST = textwrap.dedent("""
    import sys, time
    import unspun.pipeline
    from unspun.cli import main

    def stuck(source, rewrite, **kwargs):  # in C, where no interruption reaches: the worst case
        print("working", flush=True)
        time.sleep(600)

    unspun.pipeline.compare = stuck
    sys.exit(main(["serve", "--model", "hash", "--port", sys.argv[1], "--timeout", "300"]))
""")


def test_ctrl_c_stops_the_server_while_a_request_runs():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVE_WITH_A_STUCK_REQUEST, str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("the server did not start")
                time.sleep(0.1)
        with conn:
            body = b'{"source": "a b c d", "rewrite": "a b c d"}'
            conn.sendall(b"POST /api/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 10)
            assert ready and proc.stdout.readline().strip() == "working"
            proc.send_signal(signal.SIGINT)
            # Before: uvicorn waited for the request, and the process for its worker thread: 600 s.
            assert proc.wait(timeout=10) in (0, 130)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# -- 6: JSON that Python will not hold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"source": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001, "nested too deeply"),
        (b'{"source": 1' + b"2" * 5000 + b', "rewrite": "x"}', "number too long"),
    ],
    ids=["deep-array", "deep-object", "5000-digit-integer"],
)
def test_json_python_will_not_hold_is_a_400_in_one_line(body, words):
    with TestClient(create_app(model="hash"), raise_server_exceptions=False) as c:
        response = c.post("/api/compare", content=body, headers={"content-type": "application/json"})
    message = assert_json_error(response, 400)  # before: 500, RecursionError or ValueError
    assert words in message and "\n" not in message and "set_int_max_str_digits" not in message


def test_a_huge_number_in_the_query_is_a_422():
    with TestClient(create_app(model="hash"), raise_server_exceptions=False) as c:
        assert_json_error(c.post("/api/trace?top=1" + "0" * 5000, json={"text": COPY}), 422)


# -- 17: a connection whose headers trickle in is closed ------------------------------------------


def test_a_connection_sending_its_headers_slowly_is_closed():
    with Server(create_app(model="hash"), **server_options(header_timeout=1.0)) as srv:
        partial = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        trickle = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        with partial, trickle:
            partial.sendall(b"GET / HT")  # and nothing more
            # Before: open for as long as the client liked (no deadline on headers).
            assert closed_within(partial, 4.0)
            # A byte at a time cancelled uvicorn's idle timer: now the deadline holds regardless.
            started = time.monotonic()
            closed = False
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":
                try:
                    trickle.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                if time.monotonic() - started > 4.0:
                    break
                time.sleep(0.2)
            assert closed or closed_within(trickle, 1.0)
        # An ordinary client is served, and may send a second request on its connection.
        with httpx.Client(base_url=f"http://127.0.0.1:{srv.port}") as http:
            assert http.get("/healthz").status_code == 200
            time.sleep(1.5)  # idle past the header deadline between requests: the connection may close
            assert http.get("/healthz").status_code == 200


def test_a_slow_request_body_is_not_cut_by_the_header_deadline():
    with Server(create_app(model="hash"), **server_options(header_timeout=1.0)) as srv:
        body = ('{"source": "%s", "rewrite": "%s"}' % (STORY, COPY)).encode()
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as conn:
            conn.sendall(b"POST /api/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body))
            time.sleep(1.5)  # headers complete: the request's own time limit applies now
            conn.sendall(body)
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = conn.recv(65536)
                assert chunk, "closed before answering"
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 200")


def test_the_cli_runs_uvicorn_with_the_connection_limits(monkeypatch):
    import uvicorn as uv

    started: dict = {}
    monkeypatch.setattr(uv, "run", lambda app, **kw: started.update(kw))
    assert main(["serve", "--model", "hash", "--port", "9124"]) == 0
    assert started["timeout_graceful_shutdown"] and started["limit_concurrency"]
    assert started["http"].header_timeout <= 10


# -- 18: HEAD -------------------------------------------------------------------------------------


def test_head_is_answered_like_get_without_a_body():
    with TestClient(create_app(model="hash")) as c:
        for path in ("/", "/healthz", "/page/app.js", "/openapi.json"):
            head, get = c.head(path), c.get(path)
            assert head.status_code == 200, path
            assert head.content == b""
            assert head.headers["content-type"] == get.headers["content-type"]
            assert head.headers["content-length"] == get.headers["content-length"]
        assert c.head("/api/compare").status_code == 405  # POST only, as its GET says
    with Server(create_app(model="hash")) as srv, httpx.Client(base_url=f"http://127.0.0.1:{srv.port}") as http:
        head = http.head("/")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-security-policy"]


# -- 4: a damaged or vanished index ---------------------------------------------------------------


@pytest.fixture
def seed_index(tmp_path, seeds):
    path = tmp_path / "idx"
    assert main(["index", *map(str, seeds), "--index", str(path)]) == 0
    return path


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle - len(data) // 4 : middle + len(data) // 4] = os.urandom(len(data) // 2)
    db.write_bytes(bytes(data))


def test_trace_on_a_damaged_index_is_a_409_with_its_message(seed_index):
    with TestClient(create_app(model="hash", index=seed_index), raise_server_exceptions=False) as c:
        assert c.post("/api/trace", json={"text": COPY}).status_code == 200
        _damage(seed_index / "index.sqlite")
        for f in seed_index.glob("index.sqlite-*"):  # the write-ahead log would mask the damage
            f.unlink()
        message = assert_json_error(c.post("/api/trace", json={"text": COPY}), 409)
    assert "damaged" in message or "cannot be read" in message
    assert str(seed_index) not in message  # the server's paths stay in its log


def test_trace_after_the_index_directory_is_removed_is_a_409(seed_index):
    with TestClient(create_app(model="hash", index=seed_index), raise_server_exceptions=False) as c:
        shutil.rmtree(seed_index)
        message = assert_json_error(c.post("/api/trace", json={"text": COPY}), 409)
    assert str(seed_index) not in message


def test_a_raw_sqlite_error_mid_trace_is_a_409(seed_index, monkeypatch):
    import sqlite3

    from unspun.store import Index

    def broken(self, *args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Index, "trace", broken)
    with TestClient(create_app(model="hash", index=seed_index), raise_server_exceptions=False) as c:
        message = assert_json_error(c.post("/api/trace", json={"text": COPY}), 409)
    assert "malformed" in message and str(seed_index) not in message

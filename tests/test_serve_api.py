"""`unspun serve`: the HTTP API through FastAPI's TestClient (no network), and the CLI's checks.

Most tests use the deterministic 'hash' embedder, which finds copies but not paraphrases; one
compares the seed pair with the real model and checks the answer is `unspun compare --json`'s.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

import unspun.pipeline
from unspun.cli import main
from unspun.errors import InputError
from unspun.read import read_text
from unspun.serve import create_app
from unspun.serve.limits import Gate, TimedOut
from unspun.store import Index

from .test_store import STORY

COPY = "Breaking news from Kazakhstan. " + STORY + " More to follow."
OTHERS = [
    "PageRank is a link analysis algorithm used by the Google Internet search engine that assigns a numerical weighting to each element of a hyperlinked set of documents.",
    "Dynamic programming is a method of solving problems that exhibit the properties of overlapping subproblems and optimal substructure.",
]


def client(**kwargs) -> TestClient:
    kwargs.setdefault("model", "hash")
    return TestClient(create_app(**kwargs))


def assert_json_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"], body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]


# -- compare -------------------------------------------------------------------------------------


def test_healthz_and_schema():
    with client() as c:
        health = c.get("/healthz")
        assert health.json() == {"status": "ok", "model": "hash", "trace": False, "token_required": False}
        schema = c.get("/openapi.json").json()
        assert {"/api/compare", "/api/trace", "/healthz"} <= set(schema["paths"])
        body = schema["paths"]["/api/compare"]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(body)
        # The interactive docs load scripts from a CDN: they are not served.
        assert c.get("/docs").status_code == 404


def test_compare_json_matches_the_cli_report(seeds):
    source, rewrite = (p.read_text(encoding="utf-8") for p in seeds)
    with TestClient(create_app()) as c:  # the real model
        response = c.post("/api/compare", json={"source": source, "rewrite": rewrite})
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["verdict"] == "wholly-derived"
    assert got["passages"] and got["reuse"]["rewrite_share"] > 0.9
    expected = unspun.compare(read_text(source, doc_id="source"), read_text(rewrite, doc_id="rewrite"))
    assert got == json.loads(expected.to_json())


def test_compare_multipart_files_and_text_fields():
    with client() as c:
        files = {"source": ("release.txt", STORY.encode("cp1252"), "text/plain"), "rewrite": ("copy.txt", COPY.encode(), "text/plain")}
        response = c.post("/api/compare", files=files)
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["verdict"] == "wholly-derived"
        assert report["documents"]["source"]["id"] == "release.txt"
        assert report["passages"][0]["kind"] == "verbatim"
        # A text field on one side, a file on the other.
        mixed = c.post("/api/compare", data={"source": STORY}, files={"rewrite": ("copy.html", f"<html><body><article><p>{COPY}</p></article></body></html>".encode(), "text/html")})
        assert mixed.status_code == 200, mixed.text
        assert mixed.json()["documents"]["rewrite"]["format"] == "html"


def test_an_upload_name_is_a_label_never_a_path():
    with client() as c:
        files = {"source": ("../../../../etc/passwd", STORY.encode(), "text/plain"), "rewrite": ("C:\\Users\\x\\copy.txt", COPY.encode(), "text/plain")}
        report = c.post("/api/compare", files=files).json()
    assert report["documents"]["source"]["id"] == "passwd"
    assert report["documents"]["source"]["length"] == len(STORY)  # what was sent, not the server's file
    assert report["documents"]["rewrite"]["id"] == "copy.txt"


def test_compare_html_format_is_the_self_contained_report_with_the_reuse_map():
    hostile = STORY + ' <script>alert("x")</script> <img src=x onerror="alert(1)">'
    with client() as c:
        response = c.post("/api/compare?format=html", json={"source": hostile, "rewrite": COPY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'unsafe-inline'" in response.headers["content-security-policy"]
    page = response.text
    assert "wholly-derived" in page and 'class="reuse-map"' in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and '<script>alert' not in page


def test_compare_page_format_carries_texts_map_and_html():
    with client() as c:
        data = c.post("/api/compare?format=page", json={"source": STORY, "rewrite": COPY, "source_publisher": "ITUC"}).json()
    assert set(data) == {"report", "texts", "reuse_map_svg", "html"}
    assert data["texts"] == {"source": STORY, "rewrite": COPY}
    assert data["reuse_map_svg"].startswith("<svg") and "<line" in data["reuse_map_svg"]
    assert data["report"]["verdict"] == "wholly-derived" and data["html"].startswith("<!doctype html>")


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"json": {"source": STORY}}, 400, "'rewrite'"),
        ({"json": {"source": STORY, "rewrite": 3}}, 400, "must be a string"),
        ({"json": ["not", "an", "object"]}, 400, "object"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": b"hello", "headers": {"content-type": "text/plain"}}, 415, "multipart form"),
        ({"json": {"source": "   \n ", "rewrite": COPY}}, 422, "empty"),
        ({"content": b'{"source": "a\\udcff", "rewrite": "b"}', "headers": {"content-type": "application/json"}}, 422, "surrogate"),
        ({"files": {"source": ("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"), "rewrite": ("c.txt", COPY.encode(), "text/plain")}}, 422, "PNG image"),
        ({"files": {"source": ("scan.pdf", b"%PDF-1.4 broken", "application/pdf"), "rewrite": ("c.txt", COPY.encode(), "text/plain")}}, 422, "scan.pdf"),
    ],
)
def test_bad_input_is_a_json_error_without_traceback(kwargs, status, words):
    with client() as c:
        message = assert_json_error(c.post("/api/compare", **kwargs), status)
    assert words in message
    assert "unspun-upload-" not in message  # the temporary file's name stays on the server


def test_bad_parameters_and_unknown_routes_are_json_errors():
    with client() as c:
        assert "format" in assert_json_error(c.post("/api/compare?format=pdf", json={"source": STORY, "rewrite": COPY}), 422)
        assert_json_error(c.get("/api/nothing"), 404)
        assert_json_error(c.get("/api/compare"), 405)
        assert_json_error(c.get("/page/../../pyproject.toml"), 404)


def test_an_unexpected_failure_says_so_without_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(unspun.pipeline, "compare", broken)
    with client() as c:
        message = assert_json_error(c.post("/api/compare", json={"source": STORY, "rewrite": COPY}), 500)
    assert "secret detail" not in message and "RuntimeError" in message


# -- limits --------------------------------------------------------------------------------------


def test_oversized_requests_get_413_with_a_clear_message():
    with client(max_bytes=2 * 1024 * 1024) as c:
        big = "word " * 600_000  # 3 MB
        message = assert_json_error(c.post("/api/compare", json={"source": big, "rewrite": COPY}), 413)
        assert message == "request is 2.9 MB, over the 2 MB limit"
        # No Content-Length (a chunked upload): stopped by counting what arrives.
        chunks = (b"x" * 65536 for _ in range(64))
        message = assert_json_error(c.post("/api/compare", content=chunks, headers={"content-type": "application/json"}), 413)
        assert "over the 2 MB limit" in message
        files = {"source": ("big.txt", big.encode(), "text/plain"), "rewrite": ("c.txt", b"x", "text/plain")}
        assert_json_error(c.post("/api/compare", files=files), 413)
        # Under the limit, still served.
        assert c.post("/api/compare", json={"source": STORY, "rewrite": COPY}).status_code == 200


def _slow_compare(delay: float, seen: dict):
    lock = threading.Lock()

    def fake(source, rewrite, **kwargs):
        with lock:
            seen["now"] = seen.get("now", 0) + 1
            seen["most"] = max(seen.get("most", 0), seen["now"])
        time.sleep(delay)
        with lock:
            seen["now"] -= 1
        return real(source, rewrite, **kwargs)

    real = unspun.pipeline.compare
    return fake


def test_a_burst_queues_behind_the_concurrency_bound(monkeypatch):
    seen: dict = {}
    monkeypatch.setattr(unspun.pipeline, "compare", _slow_compare(0.25, seen))
    app = create_app(model="hash", concurrency=2, timeout=30)

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await asyncio.gather(*(http.post("/api/compare", json={"source": STORY, "rewrite": COPY}) for _ in range(6)))

    started = time.perf_counter()
    responses = asyncio.run(burst())
    elapsed = time.perf_counter() - started
    assert [r.status_code for r in responses] == [200] * 6
    assert seen["most"] == 2  # never more than the bound at once...
    assert elapsed >= 0.7  # ...so six took three rounds


def test_the_time_limit_answers_504_and_keeps_the_slot_until_the_work_ends(monkeypatch):
    seen: dict = {}
    original = unspun.pipeline.compare
    monkeypatch.setattr(unspun.pipeline, "compare", _slow_compare(1.2, seen))
    app = create_app(model="hash", concurrency=1, timeout=0.4)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            body = {"source": STORY, "rewrite": COPY}
            first = await http.post("/api/compare", json=body)
            # The abandoned work is cancelled, but it sleeps in C, where no interruption reaches
            # (workers.py): it holds the only slot until then, and the next request waits and
            # gives up with 503 rather than starting a second comparison beside it.
            second = await http.post("/api/compare", json=body)
            await asyncio.sleep(0.8)
            monkeypatch.setattr(unspun.pipeline, "compare", original)
            third = await http.post("/api/compare", json=body)
            return first, second, third

    first, second, third = asyncio.run(scenario())
    assert "0.4 s limit" in assert_json_error(first, 504)
    assert "busy" in assert_json_error(second, 503)
    assert third.status_code == 200
    assert seen["most"] == 1


def test_a_body_that_trickles_in_is_cut_off_at_the_time_limit():
    app = create_app(model="hash", timeout=0.3)

    async def slow_body():
        yield b'{"source": "'
        await asyncio.sleep(1.0)
        yield b'x", "rewrite": "y"}'

    async def scenario():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            return await http.post("/api/compare", content=slow_body(), headers={"content-type": "application/json"})

    assert "0.3 s to arrive" in assert_json_error(asyncio.run(scenario()), 408)


def test_gate_gives_the_slot_back_when_the_thread_ends():
    gate = Gate(concurrency=1, timeout=0.1)

    async def scenario():
        with pytest.raises(TimedOut):
            await gate.run(lambda: time.sleep(0.3))
        assert gate.running == 1  # timed out, still running
        await asyncio.sleep(0.4)
        assert gate.running == 0
        return await gate.run(lambda: 42)

    assert asyncio.run(scenario()) == 42
    gate.shutdown()


# -- security ------------------------------------------------------------------------------------


def test_beyond_loopback_a_token_is_required():
    with pytest.raises(InputError, match="without a token"):
        create_app(model="hash", host="0.0.0.0")
    with client(host="0.0.0.0", token="s3cret-token") as c:
        body = {"source": STORY, "rewrite": COPY}
        assert "Bearer" in assert_json_error(c.post("/api/compare", json=body), 401)
        assert_json_error(c.post("/api/compare", json=body, headers={"Authorization": "Bearer wrong"}), 401)
        ok = c.post("/api/compare", json=body, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        # The page and the health check need none (they hold no data); the page asks for it.
        assert c.get("/healthz").json()["token_required"] is True
        assert c.get("/").status_code == 200


def test_loopback_needs_no_token_but_honours_one():
    with client(host="localhost", token="abc") as c:
        assert c.post("/api/compare", json={"source": STORY, "rewrite": COPY}).status_code == 401


def test_the_page_is_self_contained_and_locked_down():
    with client() as c:
        page = c.get("/")
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        script, style = c.get("/page/app.js"), c.get("/page/app.css")
    assert script.headers["content-type"].startswith("text/javascript")
    for text in (page.text, script.text, style.text):
        for needle in ('src="http', "src='http", 'href="http', "url(http", "@import", "cdn"):
            assert needle not in text.lower()
    # Document text reaches the page as text nodes only.
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text


def test_cli_refuses_to_serve_beyond_loopback_without_a_token(monkeypatch, capsys):
    monkeypatch.delenv("UNSPUN_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--model", "hash"]) == 2
    assert "without a token" in capsys.readouterr().err


def test_cli_serves_with_a_token_from_the_environment(monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setenv("UNSPUN_TOKEN", "from-env")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    assert main(["serve", "--host", "0.0.0.0", "--port", "9123", "--model", "hash", "--max-mb", "1"]) == 0
    assert started["host"] == "0.0.0.0" and started["port"] == 9123
    settings = started["app"].state.settings
    assert settings.token == "from-env" and settings.max_bytes == 1024 * 1024


def test_cli_rejects_impossible_settings(capsys, tmp_path):
    assert main(["serve", "--concurrency", "0"]) == 2
    assert main(["serve", "--index", str(tmp_path / "none"), "--model", "hash"]) == 2
    assert "no index here" in capsys.readouterr().err


# -- trace ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "idx"
    with Index(path) as ix:
        ix.add([read_text(STORY, doc_id="release.txt")] + [read_text(t, doc_id=f"other{k}.txt") for k, t in enumerate(OTHERS)])
    return path


def test_trace_against_the_configured_index(index_dir):
    with client(index=index_dir) as c:
        assert c.get("/healthz").json()["trace"] is True
        response = c.post("/api/trace?top=3", json={"text": COPY})
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["sources"][0]["id"] == "release.txt"
        assert result["sources"][0]["verdict"] == "wholly-derived"
        assert len(result["sources"]) <= 3
        upload = c.post("/api/trace", files={"text": ("copy.txt", COPY.encode(), "text/plain")})
        assert upload.json()["sources"][0]["id"] == "release.txt"
        assert "top" in assert_json_error(c.post("/api/trace?top=0", json={"text": COPY}), 422)


def test_trace_without_an_index_says_how_to_get_one():
    with client() as c:
        assert "--index" in assert_json_error(c.post("/api/trace", json={"text": COPY}), 404)


def test_trace_with_an_index_gone_since_start_up(tmp_path):
    path = tmp_path / "idx"
    with Index(path) as ix:
        ix.add([read_text(STORY, doc_id="release.txt")])
    with client(index=path) as c:
        for f in path.iterdir():
            f.unlink()
        message = assert_json_error(c.post("/api/trace", json={"text": COPY}), 409)
    assert str(tmp_path) not in message  # the server's paths stay in its log

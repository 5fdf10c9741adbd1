"""The web service: `unspun compare` and `unspun trace` over HTTP, and the page that uses them.

``create_app`` builds a FastAPI app; `unspun serve` runs it under uvicorn. Every error leaves as
JSON ``{"error": message}``: a traceback goes to the server's log, never to the client.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import zlib
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from ..errors import IndexUnusable, InputError, UnspunError
from ..represent import Embedder
from ..version import __version__
from . import openapi
from .errors import IndexUnavailable, Internal, add_error_handlers, unusable_index
from .head import HeadAsGet
from .inputs import read_body
from .limits import MB, BodyLimit, Gate
from .model import shared_embedder, warm
from .security import PAGE_CSP, REPORT_CSP, SecurityHeaders, check_exposure, token_guard

log = logging.getLogger("unspun.serve")

DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_TIMEOUT = 120.0
DEFAULT_CONCURRENCY = 2
_PAGE_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Settings:
    index: Path | None
    max_bytes: int
    timeout: float
    concurrency: int
    token: str | None


def create_app(
    index: str | Path | None = None,
    model: str | Embedder | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    token: str | None = None,
    host: str = "127.0.0.1",
    warm_up: bool = True,
) -> FastAPI:
    """The app. ``index``: a directory built by `unspun index`, for /api/trace (None: no trace).
    ``model``: the sentence model's name or an Embedder (default minilm), loaded at start-up
    unless ``warm_up`` is false. ``host``: where it will listen; anything but loopback needs
    ``token``. Raises InputError for a setting that cannot work (no index there, no token)."""
    check_exposure(host, token)
    if index is not None:
        index = Path(index)
        _check_index(index)
    embedder = shared_embedder(model)
    settings = Settings(index=index, max_bytes=max_bytes, timeout=timeout, concurrency=concurrency, token=token or None)
    gate = Gate(concurrency, timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up:
            warm_app(app)
        yield
        gate.shutdown()

    app = FastAPI(
        title="unspun",
        version=__version__,
        description=(
            "Trace rewritten text back to its source: compare a rewrite with its source (verdict, "
            "reuse shares, aligned passages, fidelity findings), or find its sources in an index. "
            f"Requests are limited to {max_bytes / MB:g} MB and {timeout:g} s; at most {concurrency} "
            "comparisons run at once, the rest wait their turn."
        ),
        lifespan=lifespan,
        # The interactive docs pages load their scripts from a CDN: left out. The schema stays.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.gate = gate
    app.state.embedder = embedder
    add_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    guard = Depends(token_guard(settings.token))
    page = _page_files()

    @app.get("/", include_in_schema=False)
    async def index_page() -> Response:
        return HTMLResponse(page["index.html"], headers={"content-security-policy": PAGE_CSP})

    @app.get("/page/{name}", include_in_schema=False)
    async def page_file(name: str) -> Response:
        # A fixed set of files held in memory: no path from the request reaches the file system.
        if name not in _PAGE_FILES:
            raise HTTPException(404, f"no page file {name!r}")
        return Response(page[name], media_type=_PAGE_FILES[name])

    @app.get("/healthz", summary="Is the server up?", responses=openapi.HEALTH_RESPONSES)
    async def healthz() -> dict:
        return {"status": "ok", "model": embedder.name, "trace": settings.index is not None,
                "token_required": settings.token is not None}

    @app.post(
        "/api/compare",
        summary="Compare a rewrite with its source",
        description=(
            "Send the two documents as JSON `{\"source\": \"...\", \"rewrite\": \"...\"}`, or as a "
            "multipart form with the files (or text fields) `source` and `rewrite`. Returns the "
            "report of `unspun compare --json`; `format=html` returns the self-contained HTML "
            "report instead, `format=page` what the web page draws (report, texts, reuse map, HTML)."
        ),
        dependencies=[guard],
        openapi_extra=openapi.COMPARE_BODY,
        responses=openapi.COMPARE_RESPONSES,
        response_class=Response,
    )
    async def api_compare(
        request: Request,
        format: Literal["json", "html", "page"] = Query("json", description="json, html or page"),
    ) -> Response:
        given, options = await _read(request, ("source", "rewrite"), settings)

        def work():
            from ..pipeline import compare

            source = given["source"].document(settings.max_bytes)
            rewrite = given["rewrite"].document(settings.max_bytes)
            return _formatted(compare(source, rewrite, model=embedder, **options), format)

        return _report_response(await _run(gate, work), format)

    @app.post(
        "/api/trace",
        summary="Find the sources of a document in the index",
        description=(
            "Send the document as JSON `{\"text\": \"...\"}` or as a multipart form with the file "
            "(or text field) `text`. Returns the ranked sources in the server's index (`--index`), "
            "the best verified with the aligner, as `unspun trace --json` prints them."
        ),
        dependencies=[guard],
        openapi_extra=openapi.TRACE_BODY,
        responses=openapi.TRACE_RESPONSES,
        response_class=Response,
    )
    async def api_trace(
        request: Request,
        top: int = Query(10, ge=1, le=100, description="how many sources to list"),
    ) -> Response:
        given, index_path = await _trace_input(request, settings)

        def work():
            query = given["text"].document(settings.max_bytes)
            with _server_index(index_path) as ix:
                return ix.trace(query, top=top, model=embedder).to_json()

        return Response(await _run(gate, work), media_type="application/json")

    @app.post(
        "/api/trace/source",
        summary="Compare a document with one source in the index",
        description=(
            "Send the document as for /api/trace, and the `id` of an indexed document (as /api/trace "
            "lists it): returns their comparison as /api/compare does, the indexed document as the "
            "source, with `format=json`, `html` or `page`. The web page's Trace tab opens a source "
            "with it, verified by the trace or not. It shows indexed texts to whoever may trace."
        ),
        dependencies=[guard],
        openapi_extra=openapi.TRACE_BODY,
        responses={**openapi.COMPARE_RESPONSES, **openapi.errors(404, 409)},
        response_class=Response,
    )
    async def api_trace_source(
        request: Request,
        doc_id: str = Query(..., alias="id", min_length=1, max_length=4096, description="the indexed document's id"),
        format: Literal["json", "html", "page"] = Query("json", description="json, html or page"),
    ) -> Response:
        given, index_path = await _trace_input(request, settings)

        def work():
            from ..pipeline import compare

            query = given["text"].document(settings.max_bytes)
            with _server_index(index_path) as ix:
                try:
                    source = ix.get(doc_id)
                except KeyError:
                    raise InputError(f"no document {doc_id[:200]!r} in the server's index; /api/trace lists the ids") from None
            # Where the file lay when it was indexed is the server's business (the HTML report
            # would otherwise name it): the id, which the trace shows anyway, labels it instead.
            source.meta.pop("origin", None)
            return _formatted(compare(source, query, model=embedder), format)

        return _report_response(await _run(gate, work), format)

    return app


@contextmanager
def _server_index(index_path: Path):
    """The server's index, opened in this thread (SQLite connections belong to the thread that
    opens them: one per request). The index, not the request, is at fault when it was removed,
    damaged or made unreadable since start-up, found on opening it or mid-use: 409. A raw SQLite
    or file error is one the store did not turn into IndexUnusable itself."""
    from ..store import Index

    try:
        with Index(index_path, create=False) as ix:
            yield ix
    except (IndexUnusable, sqlite3.DatabaseError, zlib.error, OSError) as exc:
        raise unusable_index(index_path, exc) from None


def _formatted(report, format: str) -> str:
    """A report as /api/compare and /api/trace/source give it: JSON, the HTML report, or what
    the web page draws."""
    if format == "html":
        from ..report.html import render_html

        return render_html(report)
    return _page_payload(report) if format == "page" else report.to_json()


def _report_response(result: str, format: str) -> Response:
    if format == "html":
        return HTMLResponse(result, headers={"content-security-policy": REPORT_CSP})
    return Response(result, media_type="application/json")


async def _trace_input(request: Request, settings: Settings):
    """The text to trace and the server's index, for /api/trace and /api/trace/source (404 when
    the server has none)."""
    if settings.index is None:
        raise HTTPException(404, "this server has no index: start it with `unspun serve --index DIR` "
                                 "(build one with `unspun index PATH --index DIR`)")
    given, _ = await _read(request, ("text",), settings)
    return given, settings.index


async def _read(request: Request, names: tuple[str, ...], settings: Settings):
    """The request's documents; an upload that trickles in slower than the time limit is cut off
    (it would hold a connection and its buffers for as long as the client likes)."""
    try:
        return await asyncio.wait_for(read_body(request, names, settings.max_bytes), settings.timeout)
    except TimeoutError:
        raise HTTPException(408, f"the request body took longer than {settings.timeout:g} s to arrive") from None


async def _run(gate: Gate, work):
    """Run ``work`` through the gate; an unexpected exception is logged whole and leaves as
    Internal, so the client sees a message and the log the traceback."""

    def guarded():
        try:
            return work()
        except (UnspunError, IndexUnavailable):
            raise
        except MemoryError:
            raise Internal("the server ran out of memory on this request; try shorter texts") from None
        except Exception as exc:
            log.exception("unexpected error in a request")
            raise Internal(f"internal error ({type(exc).__name__}); the server's log has the details") from None

    return await gate.run(guarded)


def _page_payload(report) -> str:
    from ..report.html import render_html
    from ..report.reuse_map import reuse_map_svg

    return json.dumps({
        "report": report.to_dict(),
        # The offsets of the report index these texts (as read: a page's extracted text, a
        # decoded file), which the browser does not otherwise have.
        "texts": {"source": report.source.text, "rewrite": report.rewrite.text},
        "reuse_map_svg": reuse_map_svg(report),
        "html": render_html(report),
    }, ensure_ascii=False)


def warm_app(app: FastAPI) -> None:
    """Load the models now, at start-up, not in whichever request comes first (`unspun serve`
    calls this before it listens, so that a model that cannot load stops it with a message)."""
    warm(app.state.embedder)
    # Imported now, not in the first request: a request that times out is interrupted where it
    # stands (workers.py), and an import is the one place that would leave half done for others.
    from .. import pipeline, store  # noqa: F401
    from ..report import html, reuse_map  # noqa: F401

    if app.state.settings.index is not None:
        _warm_index_model()


def _check_index(path: Path) -> None:
    from ..store.index import DB_NAME

    if not (path / DB_NAME).is_file():
        raise InputError(f"{path}: no index here; build one with `unspun index PATH --index {path}`")


def _warm_index_model() -> None:
    """Load trace's candidate model too (an optimisation: if it fails here, the first trace
    loads it, or reports why)."""
    try:
        from ..represent import sketches

        sketches.codes(["unspun is starting."])
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation
        log.warning("could not warm the index's candidate model: %s", exc)


def _page_files() -> dict[str, bytes]:
    folder = resources.files("unspun.serve") / "page"
    return {name: (folder / name).read_bytes() for name in ("index.html", *_PAGE_FILES)}


"""Every error leaves the server as JSON ``{"error": message}`` with a status that says whose it
is; a traceback goes to the server's log, never to the client."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import IndexUnusable, InputError, ModelError, UnspunError
from .inputs import BadRequest
from .limits import Busy, TimedOut

log = logging.getLogger("unspun.serve")


class IndexUnavailable(Exception):
    """The configured index cannot be used (removed, damaged or unreadable since start-up): 409."""


def unusable_index(path: Path, exc: Exception) -> IndexUnavailable:
    """The 409 for an index that cannot be used: the store's message, less the server's paths
    (the full one goes to the log)."""
    log.error("the index %s cannot be used: %s", path, exc)
    if not isinstance(exc, IndexUnusable):  # a raw SQLite or file error: name what it means
        exc = IndexUnusable(f"{path}: cannot be read, or damaged ({type(exc).__name__}: {exc})")
    message = str(exc)
    for shown in sorted({str(path.resolve()), str(path), str(path.absolute())}, key=len, reverse=True):
        message = message.replace(shown, "the server's index")
    return IndexUnavailable(message)


class Internal(Exception):
    """A bug: the client gets a plain message, the log the traceback."""


def add_error_handlers(app: FastAPI) -> None:
    def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        return error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "body"))
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return error(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(BadRequest)
    async def bad_request(request, exc: BadRequest):
        return error(exc.status, str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request, exc: InputError):
        return error(422, str(exc))

    @app.exception_handler(ModelError)
    async def no_model(request, exc: ModelError):
        return error(503, f"the model is unavailable: {exc}")

    @app.exception_handler(UnspunError)
    async def other(request, exc: UnspunError):
        return error(500, str(exc))

    @app.exception_handler(IndexUnavailable)
    async def no_index(request, exc: IndexUnavailable):
        return error(409, str(exc))

    @app.exception_handler(IndexUnusable)
    async def unusable(request, exc: IndexUnusable):  # one raised outside a trace's own handling
        index = request.app.state.settings.index
        return error(409, str(unusable_index(index, exc) if index is not None else exc))

    @app.exception_handler(Busy)
    async def busy(request, exc: Busy):
        return error(503, str(exc), {"retry-after": "5"})

    @app.exception_handler(TimedOut)
    async def timed_out(request, exc: TimedOut):
        return error(504, str(exc))

    @app.exception_handler(Internal)
    async def internal(request, exc: Internal):
        return error(500, str(exc))

    @app.exception_handler(Exception)
    async def anything(request, exc: Exception):  # the last resort: still no traceback out
        log.error("unhandled error", exc_info=exc)
        return error(500, "internal error; the server's log has the details")

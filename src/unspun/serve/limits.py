"""What keeps one server healthy under load: a cap on request size, and a gate on comparisons.

* ``BodyLimit`` (ASGI middleware) refuses a request whose Content-Length is over the limit before
  reading any of it, and stops one that sends more than that anyway (chunked uploads have no
  Content-Length) as soon as the count passes the limit.
* ``Gate`` runs the heavy work in worker threads, at most ``concurrency`` at a time; a burst
  queues in front of it (up to ``max_waiting`` requests, then 503) instead of each request
  holding a model's worth of matrices at once. Each request gets ``timeout`` seconds in all;
  then its work is cancelled.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TypeVar

from starlette.exceptions import HTTPException

from ..read.text import MB, limit_phrase
from .workers import MAX_INTERRUPTS, RETRY, Cancelled, Job, Workers

T = TypeVar("T")


def size_message(size: int, limit: int, *, partial: bool = False) -> str:
    # The reader's wording of a limit (read/text.py), for the request as a whole.
    if partial:  # a chunked upload: how much it would have been is unknown
        return f"request is {limit_phrase(limit)} (stopped reading it after {size / MB:.1f} MB)"
    return f"request is {size / MB:.1f} MB, {limit_phrase(limit)}"


class TooLarge(HTTPException):
    """Raised from inside ``receive``: an HTTPException, so whichever handler is reading the body
    lets it through to the app's error handler, which answers 413."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with a 413 and a JSON message."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await _send_json(send, 400, {"error": "the Content-Length header is not a number"})
            return
        if declared is not None and declared > self.max_bytes:
            await _send_json(send, 413, {"error": size_message(declared, self.max_bytes)})
            return
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise TooLarge(size_message(received, self.max_bytes, partial=declared is None))
            return message

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except TooLarge as exc:  # read outside the app's own error handling
            if started:
                raise
            await _send_json(send, 413, {"error": exc.detail})


def _content_length(scope) -> int | None:
    """The declared body size; None when not given, -1 when not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                n = int(value)
            except ValueError:
                return -1
            return n if n >= 0 else -1
    return None


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        # The body was not read: the connection cannot be reused for another request.
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": data})


class Busy(Exception):
    """No slot came free in time, or too many requests already wait for one (503)."""


class TimedOut(Exception):
    """The work started but did not finish in time (504)."""


class Gate:
    """At most ``concurrency`` jobs at once in worker threads; ``timeout`` seconds per request,
    waiting included; at most ``max_waiting`` requests queued.

    Work whose time is up is cancelled (workers.py) and keeps its slot until its thread has
    actually let go of it, so memory stays bounded however many requests time out; that is
    within a tenth of a second of the timeout in the pure-Python stages, or when the C call
    under way returns."""

    def __init__(self, concurrency: int, timeout: float, max_waiting: int = 64) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.running = 0  # jobs whose thread has not let go of them (timed-out ones included)
        self.waiting = 0
        self._slots: asyncio.Semaphore | None = None
        self._workers: Workers | None = None  # made on first use, again after shutdown

    async def run(self, fn: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        if self._slots is None:  # created in the server's event loop, on first use
            self._slots = asyncio.Semaphore(self.concurrency)
        deadline = loop.time() + self.timeout
        if self.waiting >= self.max_waiting:
            raise Busy(f"the server is busy ({self.waiting} requests waiting); try again shortly")
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except TimeoutError:
            raise Busy(f"the server is busy: no comparison slot came free within {self.timeout:g} s; "
                       "try again shortly") from None
        finally:
            self.waiting -= 1
        self.running += 1
        if self._workers is None:
            self._workers = Workers(self.concurrency)
        try:
            job = self._workers.submit(fn)
        except BaseException:
            self._release()
            raise
        job.future.add_done_callback(self._finished)
        try:
            # shield: the future is settled by the worker thread when it lets go of the job, and
            # only then is the slot free; cancelling it here would free the slot too early.
            return await asyncio.wait_for(asyncio.shield(job.future), max(0.0, deadline - loop.time()))
        except TimeoutError:
            self._stop(job)
            raise TimedOut(f"the comparison took longer than the {self.timeout:g} s limit; "
                           "try shorter texts") from None
        except asyncio.CancelledError:  # the request itself was cancelled: the server is stopping
            self._stop(job)
            raise
        except Cancelled:  # cancelled by shutdown() while this request waited for it
            raise Busy("the server is stopping; try again shortly") from None

    def _stop(self, job: Job, tries: int = 0) -> None:
        """Cancel the job, and again shortly until it has stopped (workers.RETRY)."""
        if job.future.done():
            return
        job.cancel()
        if tries + 1 < MAX_INTERRUPTS:
            job.loop.call_later(RETRY, self._stop, job, tries + 1)

    def _finished(self, future: asyncio.Future) -> None:
        if not future.cancelled():
            future.exception()  # retrieved, so an abandoned failure is not logged as unhandled
        self._release()

    def _release(self) -> None:
        self.running -= 1
        assert self._slots is not None
        self._slots.release()

    def shutdown(self) -> None:
        """Cancel the work under way and let the worker threads end (the app's lifespan is over)."""
        if self._workers is not None:
            self._workers.shutdown()
            self._workers = None

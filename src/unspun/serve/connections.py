"""How uvicorn holds connections for `unspun serve`: what no request handler can bound itself.

uvicorn closes a connection idle between requests after ``timeout_keep_alive``, but has no limit
on how long a request's headers may take to arrive, and any byte received cancels the idle timer:
a client sending its request line a byte every few seconds held its connection (and a file
descriptor) for as long as it liked, and 500 of them held 500. ``HeaderTimeout`` closes a
connection whose request headers are not complete ``header_timeout`` seconds after it opened or
after its last response. Bodies have their own limit, the request's time limit (app.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 5.0  # seconds for a request's line and headers: a few packets, on any network
KEEP_ALIVE = 5  # seconds a connection may sit idle between requests (uvicorn's default)
# Connections and requests at once; past it uvicorn answers 503 at once rather than let a flood
# of connections use up the process's file descriptors (and the queue in front of the gate).
MAX_CONNECTIONS = 512
# Seconds Ctrl-C waits for requests under way to finish before cancelling them (their work is
# cancelled with them, workers.py); uvicorn's default is to wait for as long as they take.
GRACEFUL_SHUTDOWN = 3


class HeaderTimeout(H11Protocol):
    """uvicorn's h11 protocol, with a deadline on each request's headers."""

    header_timeout = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's headers are complete: its handler takes over
            self._disarm()

    def on_response_complete(self) -> None:
        # Armed first: a pipelined request already buffered is handled inside, and disarms it.
        if not self.transport.is_closing():
            self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        timer, self._header_timer = self._header_timer, None
        if timer is not None:
            timer.cancel()

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.logger.debug("closing a connection whose request headers took over %g s", self.header_timeout)
            self.transport.close()


def with_header_timeout(seconds: float) -> type[HeaderTimeout]:
    return type("HeaderTimeout", (HeaderTimeout,), {"header_timeout": seconds})


def server_options(header_timeout: float = HEADER_TIMEOUT, graceful_shutdown: int = GRACEFUL_SHUTDOWN) -> dict[str, Any]:
    """uvicorn.run's / uvicorn.Config's settings for the connections, beside host and port."""
    return {
        "http": with_header_timeout(header_timeout),
        "timeout_keep_alive": KEEP_ALIVE,
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_graceful_shutdown": graceful_shutdown,
        "server_header": False,
    }

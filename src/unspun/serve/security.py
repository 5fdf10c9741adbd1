"""Who may call the API, and the headers that keep the browser from doing what the page never asks.

Texts sent to the server may be confidential (an unpublished release, an index of private
documents): on anything but the loopback interface the API wants a bearer token, and a server
that would listen there without one does not start.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..errors import InputError

TOKEN_ENV = "UNSPUN_TOKEN"

# The page loads only its own script and style; the reuse map is inline SVG; downloads are blob:
# URLs. No inline script may run, so text that slipped through as markup could still do nothing.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
# The HTML report carries its own inline style and script (it must work as a single file).
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to serve beyond this machine without a token (an InputError: a usage error)."""
    if not token and not is_loopback(host):
        raise InputError(
            f"refusing to listen on {host} without a token: anyone who can reach it could use the "
            f"API. Give one with --token or the {TOKEN_ENV} environment variable (clients send "
            "'Authorization: Bearer TOKEN'), or listen on 127.0.0.1"
        )


def token_guard(token: str | None):
    """A FastAPI dependency: the request must carry ``Authorization: Bearer <token>`` when the
    server has a token (and needs nothing when it has none)."""
    bearer = HTTPBearer(auto_error=False, description="the server's token (--token or UNSPUN_TOKEN)")

    async def guard(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        # Constant time: the comparison must not tell how much of a guess was right.
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail="this server needs a token: send the header 'Authorization: Bearer TOKEN'"
                if not given else "the token is not this server's",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return guard


class SecurityHeaders:
    """ASGI middleware adding the headers of ``_HEADERS`` to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": list(message.get("headers", [])) + [h for h in _HEADERS if h[0] not in names]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

"""HEAD answered as GET without the body (RFC 9110 9.3.2): same status and headers, no content.

FastAPI's routes answer only the methods they name, so ``HEAD /`` (what link checkers and
uptime monitors send) was a 405. A route that answers GET now answers HEAD too; one that does
not (the POST-only API) still answers 405, as its GET does.
"""

from __future__ import annotations


class HeadAsGet:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # The headers (Content-Length included) stay those of the GET, as HEAD asks.
        await self.app(dict(scope, method="GET"), receive, headers_only)

"""HEAD answered wherever GET is: the same status and headers, no body (RFC 9110 9.3.2).

Health checkers and link checkers probe with HEAD; Litestar routes it only to
handlers declared for it (a `@get` answers HEAD with 405), and a `@head` handler may
not return a body, so each page would need a twin. Instead the app's ASGI handler,
below the lifespan and the `before_send` hooks, sees a HEAD as the GET it stands
for: the same route, guards, session and CSRF cookies, security headers,
Content-Type and Content-Length, and the body is dropped on the way out. A HEAD
therefore does what its GET does and nothing more (no GET writes; see
tests/integration/test_no_writes_on_get.py).

The server's own scope keeps the method HEAD (a copy is rewritten): uvicorn reads
it to send no body and to keep the Content-Length the GET would have had.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def _headers_only(send: Send) -> Send:
    """`send` with every body chunk emptied: one empty, final body ends the response."""

    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_headers_only


def head_as_get(handler: ASGIApp) -> ASGIApp:
    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            await handler({**scope, "method": "GET"}, receive, _headers_only(send))
        else:
            await handler(scope, receive, send)

    return answer


def answer_head(app: Litestar) -> Litestar:
    """`app`, answering HEAD as GET without the body (it stays a Litestar: the tests
    and tools read its route table)."""
    app.asgi_handler = head_as_get(app.asgi_handler)
    return app

"""Bearer-token authentication for the JSON API, and its errors as JSON.

The API reads no session cookie and sets none: a client sends
`Authorization: Bearer <token>` on every request, and anything else is a 401 with
`WWW-Authenticate: Bearer`. Errors are `{"detail": ...}`, never an HTML page."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler

from consult import ownership
from consult.services import api_tokens
from consult.services.reach import Reach

logger = logging.getLogger("consult")
NO_STORE = {"Cache-Control": "no-store"}
_SCHEME = "bearer "


def bearer_secret(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    if header[: len(_SCHEME)].lower() != _SCHEME:
        return None
    return header[len(_SCHEME) :].strip() or None


async def token_required(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """A guard: the request carries a live API token, and every object the path names
    is of the token's city (404 otherwise, as for an object that does not exist)."""
    secret = bearer_secret(connection)
    token = await api_tokens.live_token(secret) if secret else None
    if token is None:
        raise NotAuthorizedException("A valid API token is needed: Authorization: Bearer <token>.")
    connection.state.api_token = token.id
    connection.state.api_reach = token.reach
    if not await ownership.within(token.reach, connection.path_params):
        raise NotFoundException("Not found")


def token_reach(request: Request[Any, Any, Any]) -> Reach:
    """The cities the request's token reads (a dependency for the API's lists)."""
    return request.state.api_reach


def _json(detail: str, status_code: int, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        {"detail": detail},
        status_code=status_code,
        media_type=MediaType.JSON,
        headers={**NO_STORE, **(headers or {})},
    )


def not_authorized(_: Request[Any, Any, Any], exc: NotAuthorizedException) -> Response[Any]:
    return _json(str(exc.detail), 401, {"WWW-Authenticate": 'Bearer realm="consult"'})


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return _json(str(exc.detail), exc.status_code, dict(exc.headers or {}))


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # The route and the error type only, as for the pages.
    logger.error("unhandled %s on %s", type(exc).__name__, request.scope.get("path"), exc_info=exc)
    return _json("Internal server error", 500)


# Every exception the app maps to a page is mapped here too: the closest layer's
# handler for the most specific class wins.
EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotAuthorizedException: not_authorized,
    PermissionDeniedException: http_error,
    NotFoundException: http_error,
    HTTPException: http_error,
    500: server_error,
}

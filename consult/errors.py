"""Error pages a person can meet: clear, in their language, and never a traceback."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import MediaType, Request
from litestar.datastructures import Cookie, FormMultiDict
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.middleware.csrf import generate_csrf_token
from litestar.response import Redirect, Response, Template
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from consult.i18n import N_
from consult.text_input import FIELD_MAX_CHARS

logger = logging.getLogger("consult")
RESIDENT_PREFIX = "/c/"
# The JSON API's clients are programs: they get JSON errors, even for a path or
# method no API route answers (which Litestar refuses before the API's router).
API_PREFIX = "/api/"


def _page(
    title: str,
    message: str,
    status_code: int,
    headers: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
    **context: Any,
) -> Template:
    """error.html: a title and a message (translatable, with `params`), and in
    `context` what the page may offer (`retry`: a link; `action`, `fields`: a form)."""
    return Template(
        "error.html",
        context={"title": title, "message": message, "params": {}, **context},
        status_code=status_code,
        media_type=MediaType.HTML,
        headers=headers,
        cookies=cookies,
    )


def _is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _api_error(
    detail: str, status_code: int, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        {"detail": detail}, status_code=status_code, media_type=MediaType.JSON, headers=headers
    )


def not_signed_in(request: Request[Any, Any, Any], _: NotAuthorizedException) -> Response[Any]:
    if request.method == "GET":
        target = quote(request.url.path, safe="/")
        return Redirect(f"/staff/login?next_={target}", status_code=303)
    return _page(N_("Sign in"), N_("Sign in to do this."), 401)


# A form with a password is never written back into a page (it stays where it was
# typed); the old CSRF token is replaced by a fresh one.
_SECRET_FIELDS = frozenset({"password"})


def _sent_fields(request: Request[Any, Any, Any]) -> list[tuple[str, str]] | None:
    """The text fields of the form this request sent (None: no form, or one with a
    password, which is never written back into a page)."""
    parsed = ScopeState.from_scope(request.scope).form
    if parsed is Empty or not parsed:
        return None
    fields = [
        (name, value)
        for name, value in FormMultiDict.from_form_data(parsed).multi_items()
        if isinstance(value, str)
    ]
    if any(name in _SECRET_FIELDS for name, _ in fields):
        return None
    return [(name, value) for name, value in fields if name != "_csrf_token"]


def _fresh_csrf_cookie(request: Request[Any, Any, Any]) -> Cookie | None:
    """A new CSRF token for the page being sent (its form field) and its cookie."""
    config = request.app.csrf_config
    if config is None:
        return None
    token = generate_csrf_token(secret=config.secret)
    ScopeState.from_scope(request.scope).csrf_token = token
    return Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    )


def _resend_form(request: Request[Any, Any, Any]) -> Template | None:
    """The sent form again, every value kept, with a fresh CSRF token and cookie.

    A resident's phone may drop the CSRF cookie while the survey is open (the browser
    was closed, the tab restored). Refusing the POST is right; losing ten answers is
    not. The values come back as hidden fields under one button that sends them again,
    which is no more than the anonymous form itself allows anyone to send.
    """
    # Only a resident's form (anonymous, under /c/) comes back: a staff form sent
    # again with a fresh token would let a page on another site have a signed-in
    # planner change the survey with one click (a forged POST gets this page).
    if not request.url.path.startswith(RESIDENT_PREFIX):
        return None
    fields = _sent_fields(request)
    cookie = _fresh_csrf_cookie(request) if fields else None
    if cookie is None:
        return None
    return Template(
        "resend.html",
        context={"action": request.url.path, "fields": fields},
        status_code=403,
        media_type=MediaType.HTML,
        cookies=[cookie],
    )


def forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Template:
    if "CSRF" in str(exc.detail):
        return _resend_form(request) or _page(
            N_("This page has expired"),
            N_(
                "For your safety this form could not be sent. Go back, reload the page "
                "and send it again."
            ),
            403,
        )
    return _page(N_("You cannot see this page"), N_("Your account does not allow this."), 403)


def not_found(request: Request[Any, Any, Any], _: NotFoundException) -> Response[Any]:
    if _is_api(request):
        return _api_error("Not found", 404)
    return _page(
        N_("Page not found"),
        N_("Check the web address, or go to the home page to see open consultations."),
        404,
    )


def other_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    # Keep what the exception says the client needs (Allow on a 405).
    headers = dict(exc.headers or {})
    if _is_api(request):
        return _api_error(str(exc.detail), exc.status_code, headers)
    if exc.status_code in (413, 422):
        # A body past the app's request_max_body_size (413), or a field past
        # FIELD_MAX_CHARS (consult.web.FieldTooLong): more than any form takes.
        return _page(
            N_("What you sent is too long"),
            N_(
                "A form field holds more than %(max)s characters, or the form is larger "
                "than the service accepts. Go back, shorten it and send it again."
            ),
            exc.status_code,
            headers,
            params={"max": FIELD_MAX_CHARS},
        )
    return _page(N_("Something went wrong"), N_("Go back and try again."), exc.status_code, headers)


def _printable(path: object) -> str:
    """A path as it may go into a log line: control characters (a NUL from %00)
    written as escapes, so that no raw byte reaches the log."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # Log the route and the error type only: never form values or addresses.
    logger.error(
        "unhandled %s on %s",
        type(exc).__name__,
        _printable(request.scope.get("path")),
        exc_info=exc,
    )
    if _is_api(request):
        return _api_error("Internal server error", 500)
    return _page(
        N_("Sorry, there is a problem with the service"),
        N_("Nothing you sent has been stored. Try again later."),
        500,
    )


# What a database that is down, unreachable or out of disk raises, on either engine.
# Each means the request's work was not done and may succeed in a moment.
UNAVAILABLE: tuple[type[Exception], ...] = (
    OSError,  # refused or lost connections; a full disk (ENOSPC)
    asyncpg.PostgresConnectionError,  # 08xxx
    asyncpg.InsufficientResourcesError,  # 53xxx: disk full, out of memory, too many connections
    asyncpg.OperatorInterventionError,  # 57xxx: shutting down, starting up
    asyncpg.InterfaceError,  # a closed pool or connection (is_unavailable reads which)
)
# SQLite says what went wrong in the message of one exception type.
_SQLITE_UNAVAILABLE = (
    "database or disk is full",
    "unable to open database",
    "disk i/o error",
    "database is locked",
)
RETRY_AFTER_SECONDS = 30


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database could not be used just now (not a bug)."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return any(sign in text for sign in _SQLITE_UNAVAILABLE)
    if isinstance(exc, asyncpg.InterfaceError):
        # Others of its kind are mistakes in the code (a connection used twice).
        return "closed" in str(exc) or "closing" in str(exc)
    return isinstance(exc, UNAVAILABLE)


def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """503 when the database is down or its disk full: a clear page that says
    nothing was saved and keeps what the person sent, never a false confirmation."""
    if not is_unavailable(exc):
        return server_error(request, exc)
    logger.error(
        "database unavailable (%s) on %s", type(exc).__name__, _printable(request.scope.get("path"))
    )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _is_api(request):
        return _api_error("Service unavailable, try again later", 503, headers)
    if request.method in ("GET", "HEAD"):
        return _page(
            N_("Sorry, the service is not available just now"),
            N_("Try again in a minute."),
            503,
            headers,
            retry=f"{request.url.path}?{request.url.query}"
            if request.url.query
            else request.url.path,
        )
    # The form comes back with every value, under one "Try again" button: Back may
    # not bring them back (pages are no-store), and a draft could not be saved either.
    fields = _sent_fields(request)
    cookie = _fresh_csrf_cookie(request) if fields else None
    return _page(
        N_("Your answers were not saved"),
        N_(
            "The service could not store what you sent just now, so nothing has been "
            "saved. Nothing you entered is lost: please try again in a minute."
        )
        if cookie
        # A form with a password (sign-in) is not written into the page.
        else N_(
            "The service could not store what you sent just now, so nothing has been "
            "saved. Please go back and try again in a minute."
        ),
        503,
        headers,
        cookies=[cookie] if cookie else None,
        action=request.url.path if cookie else None,
        fields=fields if cookie else [],
    )

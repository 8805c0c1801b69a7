"""Error pages a person can meet: clear, in their language, and never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

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

logger = logging.getLogger("consult")
RESIDENT_PREFIX = "/c/"
# The JSON API's clients are programs: they get JSON errors, even for a path or
# method no API route answers (which Litestar refuses before the API's router).
API_PREFIX = "/api/"


def _page(
    title: str, message: str, status_code: int, headers: dict[str, str] | None = None
) -> Template:
    return Template(
        "error.html",
        context={"title": title, "message": message},
        status_code=status_code,
        media_type=MediaType.HTML,
        headers=headers,
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


def _resend_form(request: Request[Any, Any, Any]) -> Template | None:
    """The sent form again, every value kept, with a fresh CSRF token and cookie.

    A resident's phone may drop the CSRF cookie while the survey is open (the browser
    was closed, the tab restored). Refusing the POST is right; losing ten answers is
    not. The values come back as hidden fields under one button that sends them again,
    which is no more than the anonymous form itself allows anyone to send.
    """
    config = request.app.csrf_config
    parsed = ScopeState.from_scope(request.scope).form
    if config is None or parsed is Empty or not parsed:
        return None
    # Only a resident's form (anonymous, under /c/) comes back: a staff form sent
    # again with a fresh token would let a page on another site have a signed-in
    # planner change the survey with one click (a forged POST gets this page).
    if not request.url.path.startswith(RESIDENT_PREFIX):
        return None
    fields = [
        (name, value)
        for name, value in FormMultiDict.from_form_data(parsed).multi_items()
        if isinstance(value, str)
    ]
    if any(name in _SECRET_FIELDS for name, _ in fields):
        return None
    token = generate_csrf_token(secret=config.secret)
    ScopeState.from_scope(request.scope).csrf_token = token
    cookie = Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    )
    return Template(
        "resend.html",
        context={
            "action": request.url.path,
            "fields": [(name, value) for name, value in fields if name != "_csrf_token"],
        },
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
    return _page(N_("Something went wrong"), N_("Go back and try again."), exc.status_code, headers)


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Template:
    # Log the route and the error type only: never form values or addresses.
    logger.error("unhandled %s on %s", type(exc).__name__, request.scope.get("path"), exc_info=exc)
    if _is_api(request):
        return _api_error("Internal server error", 500)
    return _page(
        N_("Sorry, there is a problem with the service"),
        N_("Nothing you sent has been stored. Try again later."),
        500,
    )

"""Error pages a person can meet: clear, in their language, and never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Response, Template

from surveys.question_types import N_

logger = logging.getLogger("consult")


def _page(title: str, message: str, status_code: int) -> Template:
    return Template(
        "error.html",
        context={"title": title, "message": message},
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def not_signed_in(request: Request[Any, Any, Any], _: NotAuthorizedException) -> Response[Any]:
    if request.method == "GET":
        target = quote(request.url.path, safe="/")
        return Redirect(f"/staff/login?next_={target}", status_code=303)
    return _page(N_("Sign in"), N_("Sign in to do this."), 401)


def forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Template:
    if "CSRF" in str(exc.detail):
        return _page(
            N_("This page has expired"),
            N_(
                "For your safety this form could not be sent. Go back, reload the page "
                "and send it again."
            ),
            403,
        )
    return _page(N_("You cannot see this page"), N_("Your account does not allow this."), 403)


def not_found(_: Request[Any, Any, Any], __: NotFoundException) -> Template:
    return _page(
        N_("Page not found"),
        N_("Check the web address, or go to the home page to see open consultations."),
        404,
    )


def other_http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Template:
    return _page(N_("Something went wrong"), N_("Go back and try again."), exc.status_code)


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Template:
    # Log the route and the error type only: never form values or addresses.
    logger.error("unhandled %s on %s", type(exc).__name__, request.scope.get("path"), exc_info=exc)
    return _page(
        N_("Sorry, there is a problem with the service"),
        N_("Nothing you sent has been stored. Try again later."),
        500,
    )

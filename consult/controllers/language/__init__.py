"""Choosing the language of the interface: the switcher's links set a cookie (web layer).

Every page's switcher (templates/base.html) links here with the page to return to;
the choice is kept in the `lang` cookie that consult.web.locale_of reads after
`?lang=` and before the browser's Accept-Language.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from consult import i18n
from consult.settings import get_settings
from consult.web import LANGUAGE_PATH, safe_path

# Kept for a year: a resident who chose Somali once should not have to find the
# switcher again on their next visit.
COOKIE_SECONDS = 365 * 24 * 60 * 60


class LanguageController(Controller):
    path = LANGUAGE_PATH

    @get("/", name="languages")
    async def languages(self) -> Template:
        """Every language, named in itself: the switcher as a page of its own."""
        return Template("language/choose.html")

    @get("/{locale:str}", name="choose_language")
    async def choose(self, request: Request[Any, Any, Any], locale: str) -> Redirect:
        """Keep the choice in a cookie and go back to the page it was made on."""
        if locale not in i18n.available_locales():
            raise NotFoundException()
        cookie = Cookie(
            key=i18n.LANG_COOKIE,
            value=locale,
            max_age=COOKIE_SECONDS,
            path="/",
            samesite="lax",
            # Not HttpOnly: nothing secret in it, and nothing reads it but the server.
            httponly=False,
            secure=get_settings().secure_cookies,
        )
        return Redirect(
            safe_path(request.query_params.get("next")), status_code=303, cookies=[cookie]
        )


LANGUAGE_CONTROLLERS: tuple[type, ...] = (LanguageController,)

__all__ = ["COOKIE_SECONDS", "LANGUAGE_CONTROLLERS"]

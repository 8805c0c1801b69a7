"""Choosing the language of the interface: the switcher's links set a cookie (web layer).

Every page's switcher (templates/base.html) links here with the page to return to;
the choice is kept in the `lang` cookie that consult.web.locale_of reads after
`?lang=` and before the browser's Accept-Language.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult import i18n
from consult.web import LANGUAGE_PATH, preference_cookie, safe_path


class LanguageController(Controller):
    path = LANGUAGE_PATH

    @get("/", name="languages")
    async def languages(self) -> Template:
        """Every language, named in itself: the switcher as a page of its own."""
        return Template("language/choose.html")

    @get("/{locale:str}", name="choose_language")
    async def choose(self, request: Request[Any, Any, Any], locale: FromPath[str]) -> Redirect:
        """Keep the choice in a cookie and go back to the page it was made on."""
        if locale not in i18n.available_locales():
            raise NotFoundException()
        # Not HttpOnly: nothing secret in it, and nothing reads it but the server.
        cookie = preference_cookie(i18n.LANG_COOKIE, locale, httponly=False)
        return Redirect(
            safe_path(request.query_params.get("next")), status_code=303, cookies=[cookie]
        )


LANGUAGE_CONTROLLERS: tuple[type, ...] = (LanguageController,)

__all__ = ["LANGUAGE_CONTROLLERS"]

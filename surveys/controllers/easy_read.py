"""Switching easy read on or off: a link, so that it works without JavaScript.

`GET /easy-read?on=1&next=/c/...` sets the `easy` cookie ("1"; `on=0` removes it)
and goes back to the page it came from. Only a path of this site is followed: any
other `next` (another site, `//host`, a backslash or a control character a browser
would read as one) leads home instead. A GET, like the poster's join link: it
changes nothing but this browser's own preference.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect

from consult.web import preference_cookie, safe_path
from surveys.controllers._reading import EASY_COOKIE, EASY_PATH


class EasyReadController(Controller):
    @get(EASY_PATH, name="easy_read")
    async def switch(self, request: Request[Any, Any, Any]) -> Redirect:
        on = request.query_params.get("on") == "1"
        target = safe_path(request.query_params.get("next"))
        return Redirect(
            target,
            status_code=303,
            cookies=[preference_cookie(EASY_COOKIE, "1" if on else "")],
            headers={"Cache-Control": "no-store"},
        )

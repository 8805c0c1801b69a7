"""Switching easy read on or off: a link, so that it works without JavaScript.

`GET /easy-read?on=1&next=/c/...` sets the `easy` cookie ("1"; `on=0` removes it)
and goes back to the page it came from. Only a path of this site is followed: any
other `next` (another site, `//host`, a backslash or a control character a browser
would read as one) leads home instead. A GET, like the poster's join link: it
changes nothing but this browser's own preference.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get
from litestar.response import Redirect

from surveys.controllers._reading import EASY_COOKIE, EASY_PATH, preference_cookie

HOME = "/"


def same_site_path(target: str | None) -> str:
    """`target` when it is a path of this site, else the home page."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return HOME
    # Browsers read "\" as "/" and drop tabs and newlines inside an address, so
    # "/\evil.example" and "/\t/evil.example" would leave the site.
    if "\\" in target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return HOME
    return target


class EasyReadController(Controller):
    @get(EASY_PATH, name="easy_read")
    async def switch(self, request: Request[Any, Any, Any]) -> Redirect:
        on = request.query_params.get("on") == "1"
        target = same_site_path(request.query_params.get("next"))
        return Redirect(
            target,
            status_code=303,
            cookies=[preference_cookie(EASY_COOKIE, "1" if on else "")],
            headers={"Cache-Control": "no-store"},
        )

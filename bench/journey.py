"""One resident's walk through the survey, outside the load: to check what the load
client will measure (the page reached, the answers one submission stores)."""

from __future__ import annotations

import http.cookiejar
import urllib.request
from urllib.parse import urlsplit

from bench.form import HtmlForm, encode, filled_in, read_form
from bench.servers import HOST


def walk(port: int, start_path: str, forms: int) -> tuple[str, str]:
    """Send `forms` filled-in forms from the start page (-1: until "Check your
    answers"), as bench.loadgen's visitors do; the path and HTML reached."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    base = f"http://{HOST}:{port}"
    with opener.open(base + start_path, timeout=5) as response:
        path, html = start_path, response.read().decode("utf-8")
    sent = 0
    while sent != forms and not (forms < 0 and "/check" in path):
        form: HtmlForm = read_form(html)
        request = urllib.request.Request(
            base + form.action, data=encode(filled_in(form)), method="POST"
        )
        # urllib follows the 303 with a GET, as a browser does.
        with opener.open(request, timeout=5) as response:
            path, html = urlsplit(response.url).path, response.read().decode("utf-8")
        sent += 1
        if sent > 100:
            raise RuntimeError("the walk did not reach its page")
    return path, html

"""Walking a survey the way a browser does: start, pages, check your answers, send."""

from __future__ import annotations

import html as html_module
import re
from typing import Any

from litestar.testing import TestClient

from tests.fixtures import csrf_token

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
PAGE = re.compile(r"/pages/(\d+)")


def begin(client: TestClient, start_url: str) -> str:
    """Open the start page and agree (when asked); the first page's address."""
    html = client.get(start_url).text
    data = {"_csrf_token": csrf_token(html)}
    consent = re.search(r'name="consent_version" value="(\d+)"', html)
    if consent:
        data["consent_version"] = consent.group(1)
    sent = client.post(f"{start_url}/start", data=data, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    return sent.headers["location"]


def post_page(
    client: TestClient, url: str, answers: dict[str, Any], action: str = "continue", **extra: Any
) -> Any:
    """GET a page (its CSRF token) and POST `answers` with the button `action`."""
    html = client.get(url).text
    data = {"_csrf_token": csrf_token(html), "action": action, **extra, **answers}
    if 'name="return" value="check"' in html:
        data["return"] = "check"
    return client.post(url.split("?", 1)[0], data=data, follow_redirects=False)


def walk(client: TestClient, start_url: str, answers: dict[str, Any]) -> str:
    """Answer every page with the fields of `answers` it shows; the address reached
    after the last page ("Check your answers")."""
    url = begin(client, start_url)
    for _ in range(100):
        if "/pages/" not in url:
            return url
        html = client.get(url).text
        mine = {name: value for name, value in answers.items() if f'name="{name}"' in html}
        sent = post_page(client, url, mine)
        assert sent.status_code == 303, f"{url} refused {mine}: {sent.text[:2000]}"
        url = sent.headers["location"]
    raise AssertionError("the journey did not reach its end")


def check_form(html: str) -> dict[str, list[str]]:
    """The hidden fields of "Check your answers", as a browser sends them back."""
    values: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(html):
        values.setdefault(name, []).append(html_module.unescape(value))
    return values


def send_checked(client: TestClient, check_url: str) -> Any:
    """Press "Send my answers" on the check page."""
    html = client.get(check_url).text
    data = check_form(html)
    data["_csrf_token"] = [csrf_token(html)]
    submit_url = check_url.rsplit("/check", 1)[0] + "/submit"
    return client.post(submit_url, data=data, follow_redirects=False)


def summary(html: str) -> dict[str, list[str]]:
    """Check your answers as a person reads it: question -> answer lines."""
    rows: dict[str, list[str]] = {}
    for block in html.split('<div class="summary-row">')[1:]:
        question = re.search(r'<dt class="summary-key">(.*?)</dt>', block, re.S)
        lines = re.findall(r'<p class="summary-line[^"]*">(.*?)</p>', block, re.S)
        assert question
        rows[html_module.unescape(question.group(1))] = [html_module.unescape(x) for x in lines]
    return rows

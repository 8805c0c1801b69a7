"""HEAD answers wherever GET does: every GET route of the app, walked anonymously and
as a signed-in planner on the planner's own objects, answers HEAD with the GET's
status and headers (Content-Type, Content-Length, Cache-Control, Location, the
security headers) and no body, and a HEAD writes nothing its GET may not.

A health checker or a link checker that probes with HEAD sees what a browser's GET
would (a 405 made the app look down), and a HEAD is no way around a guard: a staff
page asked for without a session sends to sign-in, as its GET does.
"""

from __future__ import annotations

import httpx
import pytest

from tests.integration.access_world import (
    app_routes,
    changed_tables,
    signed_in,
    snapshot,
    world,  # noqa: F401 - the module's fixture
)
from tests.integration.test_no_writes_on_get import ALLOWED, ALLOWED_EVERYWHERE

# Headers that differ between any two answers, GET or HEAD: the clock, and cookies
# whose values are new each time (a CSRF token); their names are compared instead.
VARYING = {"date", "set-cookie"}
# GETs asked for again when a HEAD's length differs from its GET's: if one of them
# differs too, the page's length is its own each time (see below).
LENGTH_TRIES = 5


def _get_routes():
    """Staff pages first: a public page may end the device's staff session."""
    routes = [route for route in app_routes() if route.method == "GET"]
    return sorted(routes, key=lambda route: not route.path.startswith("/staff"))


def _cookie_names(response) -> list[str]:
    return sorted(value.split("=", 1)[0] for value in response.headers.get_list("set-cookie"))


def _length_of_a_get(client, path: str, cookies: httpx.Cookies) -> str | None:
    client.cookies = cookies
    return client.get(path, follow_redirects=False).headers.get("content-length")


def _difference(path: str, get, head, lengths_vary: bool) -> list[str]:
    """How the HEAD's answer differs from the GET's, in words (a page whose length
    changes from one GET to the next need only have a length in both)."""
    problems = []
    if head.status_code != get.status_code:
        problems.append(f"HEAD {path}: {head.status_code}, GET {get.status_code}")
    if head.content:
        problems.append(f"HEAD {path}: a body of {len(head.content)} bytes")
    varying = VARYING | ({"content-length"} if lengths_vary else set())
    got = {name: value for name, value in get.headers.items() if name not in varying}
    headed = {name: value for name, value in head.headers.items() if name not in varying}
    if lengths_vary and ("content-length" in get.headers) != ("content-length" in head.headers):
        problems.append(f"HEAD {path}: a Content-Length only one of HEAD and GET has")
    for name in sorted(got.keys() | headed.keys()):
        if got.get(name) != headed.get(name):
            problems.append(f"HEAD {path}: {name} {headed.get(name)!r}, GET {got.get(name)!r}")
    if _cookie_names(head) != _cookie_names(get):
        problems.append(f"HEAD {path}: cookies {_cookie_names(head)}, GET {_cookie_names(get)}")
    return problems


def _ended_staff_session(response) -> bool:
    return response.status_code == 303 and "/staff/login" in response.headers["location"]


@pytest.mark.parametrize("role", ["anonymous", "planner_a"])
def test_head_answers_as_get_without_a_body_and_writes_nothing(client, run, world, role):  # noqa: F811
    # A language for the routes that name one (the world may not give one yet).
    values = {"locale": "is", **world.values_for(role, own=True)}
    signed_in(client, role)
    problems = []
    for route in _get_routes():
        path = route.filled(values)
        before = run(snapshot)
        # The GET is sent with the cookies the HEAD was sent with, so that both set
        # the same ones (a page's first visit starts a session, say).
        cookies = httpx.Cookies(client.cookies)
        head = client.head(path, follow_redirects=False)
        allowed = {**ALLOWED_EVERYWHERE, **ALLOWED.get(route.path, {})}
        changed = [name for name in changed_tables(before, run(snapshot)) if name not in allowed]
        if changed:
            problems.append(f"HEAD {path} ({head.status_code}) changed {changed}")
        client.cookies = cookies
        get = client.get(path, follow_redirects=False)
        lengths_vary = False
        if get.headers.get("content-length") != head.headers.get("content-length"):
            # A page with something random on it (a new code, a QR code of a new
            # secret) compresses to a length of its own each time: its GETs differ too.
            lengths_vary = any(
                _length_of_a_get(client, path, cookies) != get.headers.get("content-length")
                for _ in range(LENGTH_TRIES)
            )
        problems.extend(_difference(path, get, head, lengths_vary=lengths_vary))
        # A public page may end the staff session (leaving kiosk mode does).
        if role != "anonymous" and _ended_staff_session(get):
            signed_in(client, role)
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_head_of_the_health_check_answers_for_a_load_balancer(client):
    get = client.get("/healthz")
    head = client.head("/healthz")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == "application/json"
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))


def test_head_of_a_staff_page_without_a_session_is_sent_to_sign_in(client):
    client.cookies.clear()
    head = client.head("/staff", follow_redirects=False)
    assert head.status_code == 303
    assert head.headers["location"].startswith("/staff/login")


def test_a_head_to_a_form_is_still_refused(client):
    """HEAD stands for GET only: a POST-only address answers HEAD as it answers GET."""
    get = client.get("/staff/logout", follow_redirects=False)
    head = client.head("/staff/logout", follow_redirects=False)
    assert head.status_code == get.status_code == 405
    assert head.content == b""

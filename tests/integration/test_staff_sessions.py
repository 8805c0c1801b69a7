"""Staff sessions that end when they should: signing out ends every copy of the
session cookie; so do a new password or role; a session idle for longer than
CONSULT_STAFF_IDLE_MINUTES or older than CONSULT_STAFF_SESSION_HOURS opens nothing;
each sign-in makes a new session id and a new CSRF cookie; over https both cookies
are `__Host-` cookies. Time is moved on by setting the sessions' clock
(consult.auth._now), never by waiting."""

from __future__ import annotations

import time

import pytest

from tests.fixtures import PASSWORD, csrf_token, post_form, sign_in, signed_in_as

USER = "sol.sessions"
SESSION = "consult_session"


@pytest.fixture(scope="module")
def planner(client, make_staff):
    make_staff(USER, "planner")
    return USER


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved on by hand: clock.advance(seconds)."""
    from consult import auth

    class Clock:
        now = int(time.time())

        def advance(self, seconds: int) -> None:
            self.now += seconds

    moved = Clock()
    monkeypatch.setattr(auth, "_now", lambda: moved.now)
    return moved


def _opens_staff(client) -> bool:
    """Does the client's cookie open the staff dashboard (else: sent to sign in)?"""
    page = client.get("/staff", follow_redirects=False)
    if page.status_code == 303:
        assert page.headers["location"].startswith("/staff/login")
        return False
    assert page.status_code == 200
    return True


def _session_cookies(response) -> list[str]:
    return [
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.split("=", 1)[0].endswith(SESSION)
    ]


def _session_data(client) -> dict:
    """What this client's session cookie holds, decrypted as the app would."""
    from consult.sessions import ChangedOnlySessionBackend, session_config
    from consult.settings import get_settings

    backend = ChangedOnlySessionBackend(config=session_config(get_settings()))
    return backend.load_data([client.cookies[SESSION].encode()])


def test_signing_out_ends_a_copied_session_cookie(client, planner):
    signed_in_as(client, planner)
    copied = client.cookies[SESSION]
    assert _opens_staff(client)

    page = client.get("/staff").text
    out = client.post("/staff/logout", data={"_csrf_token": csrf_token(page)})
    assert out.status_code in (200, 303)

    # Whoever copied the cookie (from a shared computer, a proxy log) brings it back.
    client.cookies.clear()
    client.cookies.set(SESSION, copied)
    assert not _opens_staff(client)
    client.cookies.clear()


def test_signing_out_in_one_browser_ends_the_session_in_another(client, planner):
    signed_in_as(client, planner)
    first = client.cookies[SESSION]
    signed_in_as(client, planner)
    second = client.cookies[SESSION]
    page = client.get("/staff").text
    client.post("/staff/logout", data={"_csrf_token": csrf_token(page)})
    for cookie in (first, second):
        client.cookies.clear()
        client.cookies.set(SESSION, cookie)
        assert not _opens_staff(client)
    # Signing in again works as before.
    signed_in_as(client, planner)
    assert _opens_staff(client)
    client.cookies.clear()


@pytest.mark.parametrize("change", ["password", "role"])
def test_a_new_password_or_role_ends_every_session(client, run, make_staff, change):
    from consult.services.staff import create_user
    from consult.tables import Role

    username = f"sol.{change}"
    make_staff(username, "planner")
    signed_in_as(client, username)
    assert _opens_staff(client)
    if change == "password":
        run(create_user, username, "another long passphrase here", Role.planner, city="Reykjavik")
    else:
        run(create_user, username, PASSWORD, Role.facilitator)
    assert not _opens_staff(client)
    client.cookies.clear()


def test_a_session_idle_for_longer_than_the_idle_timeout_opens_nothing(client, planner, clock):
    from consult.settings import get_settings

    idle = get_settings().staff_idle_minutes * 60
    signed_in_as(client, planner)
    clock.advance(idle - 60)
    assert _opens_staff(client), "used within the idle time: still signed in"
    clock.advance(idle - 60)
    assert _opens_staff(client), "each use starts the idle time again"
    clock.advance(idle + 1)
    assert not _opens_staff(client)
    # The cookie that no longer works is taken away, not left to be tried again.
    assert SESSION not in client.cookies
    client.cookies.clear()


def test_a_session_in_use_ends_after_its_absolute_lifetime(client, planner, clock):
    from consult.settings import get_settings

    settings = get_settings()
    lifetime = settings.staff_session_hours * 3600
    step = settings.staff_idle_minutes * 60 // 2
    signed_in_as(client, planner)
    used_for = 0
    while used_for + step <= lifetime:
        clock.advance(step)
        used_for += step
        assert _opens_staff(client), f"still signed in after {used_for} s of use"
    clock.advance(lifetime - used_for + 1)
    assert not _opens_staff(client), "used all day, but past the session's lifetime"
    client.cookies.clear()


def test_last_seen_is_written_to_the_cookie_at_most_once_a_minute(client, planner, clock):
    signed_in_as(client, planner)
    clock.advance(1)
    assert not _session_cookies(client.get("/staff")), "no new cookie for every page"
    clock.advance(30)
    assert not _session_cookies(client.get("/staff"))
    clock.advance(30)
    refreshed = _session_cookies(client.get("/staff"))
    assert refreshed, "a minute on, the cookie says when the member was last seen"
    assert _session_data(client)["seen"] == clock.now
    client.cookies.clear()


def test_every_sign_in_makes_a_new_session_id(client, planner):
    ids = set()
    for _ in range(3):
        signed_in_as(client, planner)
        ids.add(_session_data(client)["sid"])
    assert len(ids) == 3
    client.cookies.clear()


def test_a_session_from_before_sign_in_is_not_carried_over(client, planner, make_survey):
    survey = make_survey("sessions-fixation")
    client.cookies.clear()
    # An anonymous session first (a survey's consent), as a planted cookie would be.
    client.get(survey.url)
    before = dict(client.cookies)
    assert sign_in(client, planner).status_code == 303
    assert client.cookies[SESSION] != before.get(SESSION)
    assert set(_session_data(client)) == {"user_id", "generation", "sid", "issued", "seen"}
    client.cookies.clear()


def test_a_csrf_token_from_before_sign_in_is_refused_after_it(client, planner):
    client.cookies.clear()
    before = csrf_token(client.get("/staff/login").text)
    signed = client.post(
        "/staff/login",
        data={"_csrf_token": before, "username": planner, "password": PASSWORD},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert any(value.startswith("consult_csrf=") for name, value in signed.headers.multi_items()), (
        "sign-in sets a new CSRF cookie"
    )
    after = csrf_token(client.get("/staff").text)
    assert after != before
    stale = client.post("/staff/logout", data={"_csrf_token": before}, follow_redirects=False)
    assert stale.status_code == 403
    assert _opens_staff(client), "the refused form changed nothing"
    fresh = client.post("/staff/logout", data={"_csrf_token": after}, follow_redirects=False)
    assert fresh.status_code == 303
    client.cookies.clear()


def test_a_sign_in_is_audited_without_address_or_password(client, run, planner):
    from piccolo.apps.user.tables import BaseUser

    from consult.tables import AuditEvent

    signed_in_as(client, planner)
    user_id = run(BaseUser.select(BaseUser.id).where(BaseUser.username == planner).first().run)[
        "id"
    ]
    rows = run(
        AuditEvent.select()
        .where((AuditEvent.action == "sign_in") & (AuditEvent.actor == user_id))
        .run
    )
    assert rows
    assert all(row["object_type"] == "user" and row["object_id"] == user_id for row in rows)
    assert all(row["detail"] == "" for row in rows), "no address, agent or password"
    client.cookies.clear()


def _set_cookies(*responses) -> list[str]:
    """Every Set-Cookie header of `responses`, in order."""
    return [
        value
        for response in responses
        for name, value in response.headers.multi_items()
        if name == "set-cookie"
    ]


def _cookie_parts(header: str) -> tuple[str, dict[str, str]]:
    """A Set-Cookie header's cookie name and its attributes (lower-case names)."""
    name = header.split("=", 1)[0]
    attributes = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value.lower()
    return name, attributes


def test_over_https_both_cookies_are_host_cookies(client, make_staff):
    from litestar.testing import TestClient
    from piccolo.engine import engine_finder

    from consult.app import create_app
    from consult.settings import Settings

    make_staff("sol.secure", "planner")
    engine = engine_finder()
    # The second app is not started (no lifespan: no pool, no background loops of
    # its own), and its requests, on loops of their own, must not use the module
    # client's pool: set aside meanwhile, each query opens a connection.
    kept_pool = getattr(engine, "pool", None)
    if kept_pool is not None:
        engine.pool = None
    secure = TestClient(
        app=create_app(Settings(public_url="https://consult.example.org")),
        base_url="https://testserver.local",
    )
    try:
        form = secure.get("/staff/login")
        signed = post_form(
            secure, "/staff/login", "/staff/login", {"username": "sol.secure", "password": PASSWORD}
        )
        opened = secure.get("/staff", follow_redirects=False).status_code
    finally:
        if kept_pool is not None:
            engine.pool = kept_pool
    assert signed.status_code == 303
    assert opened == 200, "the browser sends __Host- cookies back over https"
    headers = _set_cookies(form, signed)
    names = {_cookie_parts(header)[0] for header in headers}
    assert {"__Host-consult_session", "__Host-consult_csrf"} <= names
    assert not names & {"consult_session", "consult_csrf"}
    for header in headers:
        _, attributes = _cookie_parts(header)
        assert {"secure", "httponly"} <= attributes.keys(), header
        assert attributes.get("path") == "/", header
        assert attributes.get("samesite") == "lax", header
        assert "domain" not in attributes, header


def test_over_http_the_cookies_are_plain_but_httponly_and_lax(client, planner):
    client.cookies.clear()
    form = client.get("/staff/login")
    signed = sign_in(client, planner)
    headers = _set_cookies(form, signed)
    names = {_cookie_parts(header)[0] for header in headers}
    assert {"consult_session", "consult_csrf"} <= names
    for header in headers:
        _, attributes = _cookie_parts(header)
        assert "httponly" in attributes, header
        assert "secure" not in attributes, header
        assert attributes.get("samesite") == "lax", header
    client.cookies.clear()

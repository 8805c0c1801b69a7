"""The optional second factor (TOTP) on a real database: a planner turns it on by
confirming a code from the secret shown (as text and as a QR code); from then on
the password alone signs nobody in, the code step is throttled, a code works once,
and turning it off takes a current code. The secret is stored encrypted; turning
it on and off is audited, never with the code. Time is set on the codes' clock
(consult.services.totp._now), never waited for."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import PASSWORD, csrf_token, page_text, post_form, sign_in, signed_in_as

PLANNER = "tove.totp"
KEY = re.compile(r"<code>([A-Z2-7 ]+)</code>")
WRONG_CODE = "Enter the 6-digit code your authenticator app shows now."
START = 1_900_000_020  # a step boundary, so that moving on 30 s is the next step


@pytest.fixture(scope="module")
def staff(make_staff):
    make_staff(PLANNER, "planner")
    make_staff("fred.facilitator", "facilitator")


@pytest.fixture
def clock(monkeypatch):
    """The codes' clock: clock.now, moved on with clock.advance(seconds)."""
    from consult.services import totp

    class Clock:
        now = START

        def advance(self, seconds: int) -> None:
            self.now += seconds

    moved = Clock()
    monkeypatch.setattr(totp, "_now", lambda: moved.now)
    return moved


@pytest.fixture(autouse=True)
def no_counts_yet(client, run):
    """Every test starts with no attempt counted and signed out."""
    from consult.tables import RateLimit

    run(RateLimit.delete(force=True).run)
    yield
    client.cookies.clear()


def _code(secret: str, moment: int) -> str:
    from consult.services import totp

    return totp.code_at(totp._secret_bytes(secret), totp.step_at(moment))


def _user_id(run, username: str) -> int:
    from piccolo.apps.user.tables import BaseUser

    row = run(BaseUser.select(BaseUser.id).where(BaseUser.username == username).first().run)
    return row["id"]


def _turn_on(client, clock) -> str:
    """Turn the second factor on as the signed-in member; the secret shown."""
    page = client.get("/staff/account/second-factor")
    assert page.status_code == 200
    secret = KEY.search(page.text).group(1).replace(" ", "")
    done = client.post(
        "/staff/account/second-factor",
        data={"_csrf_token": csrf_token(page.text), "code": _code(secret, clock.now)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    return secret


def _opens_staff(client) -> bool:
    return client.get("/staff", follow_redirects=False).status_code == 200


def _send_code(client, code: str):
    return post_form(client, "/staff/login/code", "/staff/login/code", {"code": code})


@pytest.fixture
def secret(client, run, staff, clock):
    """The planner with the second factor on (turned off again afterwards)."""
    from consult.tables import Staff

    signed_in_as(client, PLANNER)
    made = _turn_on(client, clock)
    client.cookies.clear()
    clock.advance(30)
    yield made
    run(
        Staff.update({Staff.totp_secret: "", Staff.totp_last_step: 0})
        .where(Staff.user == _user_id(run, PLANNER))
        .run
    )


def test_a_planner_turns_it_on_by_confirming_a_code(client, run, staff, clock):
    from consult.tables import AuditEvent, Staff

    signed_in_as(client, PLANNER)
    account = client.get("/staff/account")
    assert "A second factor is off." in page_text(account.text)
    page = client.get("/staff/account/second-factor")
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in page.text
    shown = KEY.search(page.text).group(1).replace(" ", "")
    reloaded = client.get("/staff/account/second-factor").text
    assert shown in reloaded.replace(" ", ""), "reloading shows the same secret"

    wrong = client.post(
        "/staff/account/second-factor",
        data={"_csrf_token": csrf_token(page.text), "code": "000000"},
    )
    assert wrong.status_code == 422
    assert WRONG_CODE in page_text(wrong.text)
    assert shown in wrong.text.replace(" ", ""), "the same secret, to try again"
    user_id = _user_id(run, PLANNER)
    row = run(Staff.select().where(Staff.user == user_id).first().run)
    assert row["totp_secret"] == "", "nothing stored before a code confirms it"

    code = _code(shown, clock.now)
    done = client.post(
        "/staff/account/second-factor",
        data={"_csrf_token": csrf_token(page.text), "code": code},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "A second factor is on" in page_text(client.get("/staff/account").text)
    row = run(Staff.select().where(Staff.user == user_id).first().run)
    assert row["totp_secret"]
    assert shown not in row["totp_secret"], "stored encrypted"
    events = run(
        AuditEvent.select()
        .where((AuditEvent.actor == user_id) & (AuditEvent.action == "totp_on"))
        .run
    )
    assert len(events) == 1
    assert events[0]["object_type"] == "user"
    assert code not in events[0]["detail"]
    run(
        Staff.update({Staff.totp_secret: "", Staff.totp_last_step: 0})
        .where(Staff.user == user_id)
        .run
    )


def test_the_password_alone_signs_nobody_in(client, secret, clock):
    asked = sign_in(client, PLANNER)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/staff/login/code"
    assert not _opens_staff(client)
    page = client.get("/staff/login/code")
    assert "Enter your code" in page_text(page.text)

    wrong = _send_code(client, "123456" if _code(secret, clock.now) != "123456" else "654321")
    assert wrong.status_code == 422
    assert WRONG_CODE in page_text(wrong.text)
    assert not _opens_staff(client)

    right = _send_code(client, _code(secret, clock.now))
    assert right.status_code == 303
    assert right.headers["location"] == "/staff"
    assert _opens_staff(client)


def test_a_code_works_only_once(client, secret, clock):
    code = _code(secret, clock.now)
    sign_in(client, PLANNER)
    assert _send_code(client, code).status_code == 303
    client.cookies.clear()
    # Seen over a shoulder and typed again within the same 30 seconds.
    sign_in(client, PLANNER)
    assert _send_code(client, code).status_code == 422
    assert not _opens_staff(client)
    clock.advance(30)
    assert _send_code(client, _code(secret, clock.now)).status_code == 303


def test_the_code_step_is_throttled(client, secret, clock):
    sign_in(client, PLANNER)
    right = _code(secret, clock.now)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(10):
        assert _send_code(client, wrong).status_code == 422
    refused = _send_code(client, right)
    assert refused.status_code == 429
    assert refused.headers["retry-after"].isdigit()
    assert "Too many attempts to sign in." in page_text(refused.text)
    assert not _opens_staff(client)


def test_the_code_step_needs_the_password_first(client, staff):
    client.cookies.clear()
    assert client.get("/staff/login/code", follow_redirects=False).headers["location"] == (
        "/staff/login"
    )
    sent = post_form(client, "/staff/login", "/staff/login/code", {"code": "123456"})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/staff/login"


def test_turning_it_off_takes_a_current_code(client, run, secret, clock):
    from consult.tables import AuditEvent, Staff

    sign_in(client, PLANNER)
    assert _send_code(client, _code(secret, clock.now)).status_code == 303
    clock.advance(30)
    account = client.get("/staff/account")
    refused = client.post(
        "/staff/account/second-factor/off",
        data={"_csrf_token": csrf_token(account.text), "code": "999999"},
    )
    assert refused.status_code == 422
    assert WRONG_CODE in page_text(refused.text)
    assert "A second factor is on" in page_text(client.get("/staff/account").text)

    off = client.post(
        "/staff/account/second-factor/off",
        data={"_csrf_token": csrf_token(account.text), "code": _code(secret, clock.now)},
        follow_redirects=False,
    )
    assert off.status_code == 303
    assert "A second factor is off." in page_text(client.get("/staff/account").text)
    user_id = _user_id(run, PLANNER)
    assert run(Staff.select().where(Staff.user == user_id).first().run)["totp_secret"] == ""
    assert run(
        AuditEvent.exists()
        .where((AuditEvent.actor == user_id) & (AuditEvent.action == "totp_off"))
        .run
    )
    client.cookies.clear()
    assert sign_in(client, PLANNER).headers["location"] == "/staff", "password alone again"


def test_a_facilitator_has_no_second_factor_page(client, staff):
    signed_in_as(client, "fred.facilitator")
    assert client.get("/staff/account", follow_redirects=False).status_code == 403
    assert client.get("/staff/account/second-factor", follow_redirects=False).status_code == 403


def test_leaving_kiosk_mode_asks_for_the_code_too(client, run, make_survey, secret, clock):
    from tests.integration.test_join import new_session

    survey = make_survey("totp-kiosk")
    kiosk_id, _ = new_session(run, survey, "kiosk", "PQRTUVWXYZ", organisation="Library")
    sign_in(client, PLANNER)
    assert _send_code(client, _code(secret, clock.now)).status_code == 303
    clock.advance(30)
    start = f"/staff/sessions/{kiosk_id}/kiosk"
    started = post_form(client, start, start, {})
    assert started.status_code == 303
    assert not _opens_staff(client), "the kiosk is signed out"

    # Someone at the tablet who saw the planner's password is not signed in by it.
    left = post_form(client, "/kiosk/exit", "/kiosk/exit", {"password": PASSWORD})
    assert left.status_code == 303
    assert left.headers["location"] == "/staff/login/code"
    assert not _opens_staff(client)
    assert _send_code(client, _code(secret, clock.now)).status_code == 303
    assert _opens_staff(client)

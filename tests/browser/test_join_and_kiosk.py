"""Joining by code (keyboard only, without JavaScript) and the shared tablet in
Chromium: axe on every state, the thank-you page returning to the start with
nothing behind it on Back, the idle warning, more time, and clearing on expiry.

The module serves the demo itself with short kiosk timings (CONSULT_KIOSK_*), so
the idle warning comes after seconds, not a minute and a half.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from consult.demo import DEMO_SESSIONS
from consult.tables import SessionMode
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DemoSite, _context, _database_url, _load_demo, serving
from tests.browser.journey import (
    SURVEY_TITLE,
    answer,
    expect_answered,
    expect_question,
    heading,
    press,
    walk,
)
from tests.browser.words import words_in
from tests.durability.server import Zygote
from tests.fixtures import PASSWORD, run_in_fresh_loop

pytestmark = pytest.mark.browser

IDLE_SECONDS = 5
WARNING_SECONDS = 4
THANKS_SECONDS = 3
FACILITATOR = "mosque.host"


def _language_of(mode: SessionMode) -> str:
    """The language the demo's session of this kind is held in (consult/demo.py)."""
    return next(session[3] for session in DEMO_SESSIONS if session[2] is mode)


# Joining a session opens the survey in the session's language; the kiosk shows
# it in its session's language to each new person (the mosque's: Arabic).
JOINED = words_in(_language_of(SessionMode.own_phones))
KIOSK = words_in(_language_of(SessionMode.kiosk))


def _demo_sessions() -> dict[str, tuple[int, str]]:
    from consult.tables import HostedSession

    async def read() -> dict[str, tuple[int, str]]:
        rows = await HostedSession.select(
            HostedSession.id, HostedSession.code, HostedSession.mode
        ).order_by(HostedSession.id)
        return {row["mode"]: (row["id"], row["code"]) for row in rows}

    return run_in_fresh_loop(read)


def _make_facilitator(session_id: int) -> None:
    from consult.services.staff import create_user
    from consult.tables import HostedSession, Role

    async def make() -> None:
        row = (
            await HostedSession.select(HostedSession.organisation)
            .where(HostedSession.id == session_id)
            .first()
        )
        await create_user(FACILITATOR, PASSWORD, Role.facilitator, row["organisation"])

    run_in_fresh_loop(make)


def _forget_rate_limits() -> None:
    from consult.tables import RateLimit

    async def forget() -> None:
        await RateLimit.delete(force=True)

    run_in_fresh_loop(forget)


def _latest_response() -> dict:
    from surveys.tables import Response

    async def read() -> dict:
        return (
            await Response.select(Response.channel, Response.hosted_session)
            .order_by(Response.id, ascending=False)
            .first()
        )

    return run_in_fresh_loop(read)


def _drafts() -> int:
    from surveys.tables import ResumeDraft

    async def count() -> int:
        return await ResumeDraft.count()

    return run_in_fresh_loop(count)


@pytest.fixture(scope="module")
def site(database: None, server_parent: Zygote) -> Iterator[DemoSite]:
    """The demo, served with short kiosk timings, and a facilitator of the
    organisation hosting its shared-tablet session."""
    url = _database_url()
    _load_demo(url)
    _make_facilitator(_demo_sessions()["kiosk"][0])
    timings = {
        "CONSULT_KIOSK_IDLE_SECONDS": str(IDLE_SECONDS),
        "CONSULT_KIOSK_WARNING_SECONDS": str(WARNING_SECONDS),
        "CONSULT_KIOSK_THANKS_SECONDS": str(THANKS_SECONDS),
    }
    with serving(server_parent, url, **timings) as base_url:
        yield DemoSite(base_url, url)


@pytest.fixture
def tablet(browser: Browser, site: DemoSite) -> Iterator[Page]:
    """A tablet-sized browser with JavaScript, where a facilitator starts kiosk mode."""
    context = _context(browser, site, javascript=True, viewport={"width": 800, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser, site: DemoSite) -> Iterator[Page]:
    context = _context(browser, site, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_javascript(browser: Browser, site: DemoSite) -> Iterator[Page]:
    context = _context(browser, site, javascript=False)
    yield context.new_page()
    context.close()


def _start_kiosk(page: Page) -> str:
    """Sign in as the facilitator and start kiosk mode; the kiosk's start path."""
    session_id, _ = _demo_sessions()["kiosk"]
    page.goto(f"/staff/login?next_=/staff/sessions/{session_id}/kiosk")
    page.get_by_label("Username").fill(FACILITATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Start kiosk mode")
    page.get_by_role("button", name="Start kiosk mode").click()
    expect(heading(page)).to_have_text(KIOSK.survey_title)
    expect(page.locator("html")).to_have_attribute("lang", KIOSK.locale)
    return re.sub(r"^https?://[^/]+", "", page.url)


def _kiosk_first_question(page: Page) -> None:
    page.get_by_role("button", name=KIOSK.agree).click()
    expect_question(page, KIOSK.steps[0])


# -- joining -----------------------------------------------------------------------


def test_the_join_page_is_accessible_empty_and_with_an_error(phone: Page):
    _forget_rate_limits()
    phone.goto("/join")
    expect(heading(phone)).to_have_text("Join a session")
    assert_accessible(phone, "the join page")
    phone.get_by_label("Type the code on the poster").fill("acd-efg-hjkx")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator(".error-summary")).to_contain_text("No session has this code")
    expect(phone.get_by_label("Type the code on the poster")).to_have_value("acd-efg-hjkx")
    assert_accessible(phone, "the join page with a wrong code")


def test_joining_by_keyboard_alone(new_context_for_keyboard):
    page = new_context_for_keyboard
    _, code = _demo_sessions()["own_phones"]
    page.goto("/join")
    for _ in range(12):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "code":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "code"
    page.keyboard.type(code.lower()[:3] + " " + code.lower()[3:])
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Join")).to_be_focused()
    page.keyboard.press("Enter")
    # The session's code opens the survey in the session's language.
    expect(heading(page)).to_have_text(JOINED.survey_title)
    expect(page.locator("html")).to_have_attribute("lang", JOINED.locale)


@pytest.fixture
def new_context_for_keyboard(browser: Browser, site: DemoSite) -> Iterator[Page]:
    context = _context(
        browser,
        site,
        javascript=True,
        is_mobile=False,
        has_touch=False,
        viewport={"width": 1024, "height": 768},
    )
    yield context.new_page()
    context.close()


def test_joining_without_javascript_by_the_qr_link_and_the_form(
    phone_without_javascript: Page, site: DemoSite
):
    page = phone_without_javascript
    _, code = _demo_sessions()["own_phones"]
    # Someone who chose English keeps it: the session's language is only where
    # nobody chose one.
    page.context.add_cookies([{"name": "lang", "value": "en", "url": site.base_url}])
    page.goto(f"/j/{code}")
    expect(heading(page)).to_have_text(SURVEY_TITLE)
    page.goto("/join")
    page.get_by_label("Type the code on the poster").fill("-".join([code[:3], code[3:6], code[6:]]))
    page.get_by_role("button", name="Join").click()
    expect(heading(page)).to_have_text(SURVEY_TITLE)
    assert_accessible(page, "the survey start after joining without JavaScript")


# -- the kiosk -----------------------------------------------------------------------


def test_kiosk_answer_send_and_the_next_person_finds_nothing(tablet: Page):
    start = _start_kiosk(tablet)
    session_id, _ = _demo_sessions()["kiosk"]
    # Signed out: nobody at the tablet reaches the staff pages.
    tablet.goto("/staff")
    expect(heading(tablet)).to_have_text(KIOSK.say("Sign in"))
    tablet.go_back()
    expect(heading(tablet)).to_have_text(KIOSK.survey_title)
    _kiosk_first_question(tablet)
    assert tablet.locator("main form[autocomplete=off]").count() >= 1
    assert_accessible(tablet, "a kiosk question page")
    walk(tablet, words=KIOSK)
    expect(heading(tablet)).to_have_text(KIOSK.check_heading)
    press(tablet, KIOSK.send)
    expect(heading(tablet)).to_have_text(KIOSK.thanks_heading)
    countdown = KIOSK.pattern("Thank you – the next person can start in %(seconds)s seconds.")
    expect(tablet.get_by_text(countdown)).to_be_visible()
    assert_accessible(tablet, "the kiosk thank-you page")
    assert _latest_response() == {"channel": "kiosk", "hosted_session": session_id}
    assert _drafts() == 0
    # By itself, a few seconds later, the start for the next person, in the
    # session's language.
    expect(heading(tablet)).to_have_text(KIOSK.survey_title, timeout=(THANKS_SECONDS + 5) * 1000)
    expect(tablet.locator("html")).to_have_attribute("lang", KIOSK.locale)
    tablet.go_back()
    tablet.wait_for_load_state()
    main = tablet.locator("main")
    expect(main.get_by_text(KIOSK.thanks_heading)).to_have_count(0)
    expect(main.get_by_text(KIOSK.steps[0].choose[0], exact=True)).to_have_count(0)
    expect(tablet.locator("input:checked")).to_have_count(0)
    # The next person starts with empty fields.
    tablet.goto(start)
    _kiosk_first_question(tablet)
    expect(tablet.locator("input:checked")).to_have_count(0)


def _answer_the_first_two(tablet: Page) -> None:
    first, second = KIOSK.steps[:2]
    _kiosk_first_question(tablet)
    answer(tablet, first, KIOSK)
    press(tablet, KIOSK.continue_)
    expect_question(tablet, second)
    answer(tablet, second, KIOSK)


def test_the_idle_warning_more_time_and_clearing_on_expiry(tablet: Page):
    _start_kiosk(tablet)
    _answer_the_first_two(tablet)
    assert _drafts() == 1
    warning = tablet.get_by_role("alertdialog", name=KIOSK.say("Are you still there?"))
    expect(warning).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
    expect(warning).to_contain_text(
        KIOSK.pattern("Your answers will be cleared in %(seconds)s seconds.")
    )
    more_time = warning.get_by_role("button", name=KIOSK.say("I need more time"))
    expect(more_time).to_be_focused()
    assert_accessible(tablet, "the kiosk idle warning")
    more_time.click()
    expect(warning).to_be_hidden()
    # The answer on the page is still there.
    expect_answered(tablet, KIOSK.steps[1], KIOSK)
    # Nobody answers this time: cleared, and back at the start.
    expect(warning).to_be_visible(timeout=(IDLE_SECONDS + 3) * 1000)
    expect(heading(tablet)).to_have_text(KIOSK.survey_title, timeout=(WARNING_SECONDS + 5) * 1000)
    assert _drafts() == 0
    tablet.go_back()
    tablet.wait_for_load_state()
    expect(tablet.locator("input:checked")).to_have_count(0)


def test_finish_and_clear_and_leaving_kiosk_mode(tablet: Page):
    _start_kiosk(tablet)
    _answer_the_first_two(tablet)
    assert _drafts() == 1
    tablet.get_by_role("button", name=KIOSK.say("Finish and clear")).click()
    expect(heading(tablet)).to_have_text(KIOSK.survey_title)
    assert _drafts() == 0
    leave = KIOSK.say("Leave kiosk mode")
    tablet.get_by_role("link", name=leave).click()
    expect(heading(tablet)).to_have_text(leave)
    assert_accessible(tablet, "the kiosk exit page")
    tablet.get_by_label(KIOSK.say("Your password")).fill("not it")
    tablet.get_by_role("button", name=leave).click()
    expect(tablet.locator(".error-summary")).to_be_visible()
    assert_accessible(tablet, "the kiosk exit page with a wrong password")
    tablet.get_by_label(KIOSK.say("Your password")).fill(PASSWORD)
    tablet.get_by_role("button", name=leave).click()
    expect(tablet).to_have_url(re.compile(r"/staff$"))


def test_the_join_page_when_too_many_codes_were_tried(phone: Page):
    _forget_rate_limits()
    try:
        phone.goto("/join")
        field = phone.get_by_label("Type the code on the poster")
        for attempt in range(11):
            field.fill(f"ACDEFGHJ{attempt}X")
            with phone.expect_navigation():
                phone.get_by_role("button", name="Join").click()
            expect(field).to_have_value(f"ACDEFGHJ{attempt}X")
        expect(phone.locator(".error-summary")).to_contain_text("Too many codes tried")
        assert_accessible(phone, "the join page after too many codes")
    finally:
        _forget_rate_limits()

"""Facilitators' session pages in Chromium: the list, the form (with errors), a
session's page, the poster (on screen and printed) and the live count, with and
without JavaScript, pass axe; the live count goes up by itself through htmx once a
response of the session is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.staff import DESKTOP, fill_sign_in
from tests.browser.words import say
from tests.fixtures import new_idempotency_key, run_in_fresh_loop

pytestmark = pytest.mark.browser

FACILITATOR = "session-pages-facilitator"
# The poll is every 10 s; allow one missed poll on a slow machine.
POLL_WAIT_MS = 25_000


@dataclass(frozen=True)
class DemoSession:
    id: int
    code: str
    survey_id: int
    locale: str  # the session's language, which its poster is in


async def _demo_session() -> DemoSession:
    from consult.services import hosted_sessions
    from consult.services.staff import create_user
    from consult.tables import HostedSession, Role
    from tests.fixtures import PASSWORD

    row = await HostedSession.select().where(HostedSession.mode == "own_phones").first()
    await create_user(FACILITATOR, PASSWORD, Role.facilitator, row["organisation"])
    session = await hosted_sessions.session_by_id(row["id"])
    assert session is not None
    assert session.survey_id is not None
    return DemoSession(session.id, session.code, session.survey_id, row["locale"])


@pytest.fixture(scope="module")
def session(demo_site: object) -> DemoSession:
    return run_in_fresh_loop(_demo_session)


def _signed_in(new_context: NewContext, *, javascript: bool = True) -> Page:
    page = new_context(
        javascript=javascript, viewport=DESKTOP, is_mobile=False, has_touch=False
    ).new_page()
    page.goto("/staff/login")
    fill_sign_in(page, FACILITATOR)
    expect(page).not_to_have_url("/staff/login")
    return page


def _store_response(session: DemoSession) -> None:
    from surveys.tables import Response

    run_in_fresh_loop(
        Response.insert(
            Response(
                survey=session.survey_id,
                channel="web",
                locale="en",
                submitted_at=datetime.now(UTC).replace(minute=0, second=0, microsecond=0),
                idempotency_key=new_idempotency_key(),
                hosted_session=session.id,
            )
        ).run
    )


def test_the_list_the_form_and_a_session_pass_axe(new_context: NewContext, session) -> None:
    page = _signed_in(new_context)
    page.goto("/staff/sessions")
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    assert_accessible(page, "the sessions list")

    page.get_by_role("link", name="Plan a new session").click()
    expect(page.get_by_role("heading", name="Plan a new session")).to_be_visible()
    assert_accessible(page, "the new session form")
    page.get_by_label("Place (optional)").fill("Youth centre, room 2")
    page.get_by_role("button", name="Create the session").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("Place (optional)")).to_have_value("Youth centre, room 2")
    assert_accessible(page, "the new session form with errors")

    page.get_by_label("Title", exact=True).fill("Saturday drop-in")
    page.get_by_label("Date", exact=True).fill("2026-03-14")
    page.get_by_label("Start time").fill("11:00")
    page.get_by_role("button", name="Create the session").click()
    expect(page.get_by_role("heading", name="Saturday drop-in")).to_be_visible()
    expect(page.get_by_text("The session was created.")).to_be_visible()
    assert_accessible(page, "a new session's page")

    page.goto(f"/staff/sessions/{session.id}")
    assert_accessible(page, "a demo session's page")


def test_the_poster_passes_axe_and_prints_without_navigation(
    new_context: NewContext, session
) -> None:
    page = _signed_in(new_context)
    page.goto(f"/staff/sessions/{session.id}/poster")
    # "QR code: opens <the address>", in the session's language.
    label = say(session.locale, "QR code: opens %(url)s", url="").strip()
    qr = page.get_by_role("img", name=label)
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 250  # large enough to scan from a step away
    assert_accessible(page, "the poster")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".staff-nav", ".site-footer", ".no-print"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(qr).to_be_visible()
    expect(page.locator(".poster-code")).to_be_visible()


def test_the_live_count_passes_axe_without_javascript(new_context: NewContext, session) -> None:
    page = _signed_in(new_context, javascript=False)
    page.goto(f"/staff/sessions/{session.id}/live")
    expect(page.locator("#live-number")).to_be_visible()
    assert_accessible(page, "the live count without JavaScript")
    before = int(page.locator("#live-number").inner_text())
    _store_response(session)
    page.get_by_role("link", name="Refresh").click()
    expect(page.locator("#live-number")).to_have_text(str(before + 1))


def test_the_live_count_goes_up_by_itself(new_context: NewContext, session) -> None:
    page = _signed_in(new_context)
    page.goto(f"/staff/sessions/{session.id}/live")
    number = page.locator("#live-number")
    expect(number).to_be_visible()
    assert_accessible(page, "the live count")
    before = int(number.inner_text())
    _store_response(session)
    expect(number).to_have_text(str(before + 1), timeout=POLL_WAIT_MS)
    expect(page.locator("#live-announcement")).to_contain_text(f"{before + 1} completed response")
    assert_accessible(page, "the live count after an update")

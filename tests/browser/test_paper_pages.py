"""Paper questionnaires in Chromium: the printable survey and the entry screen pass
axe (empty, with errors, after a save), printing drops the navigation, and a whole
demo questionnaire is keyed in with Tab, Space and typing alone, and stored."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from consult.demo import DEFINITION
from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in
from tests.browser.words import question_text, say
from tests.fixtures import run_in_fresh_loop

pytestmark = pytest.mark.browser

FACILITATOR = "paper-facilitator"
# More than the demo survey has controls.
MAX_TABS = 200
# What has the focus: read only; every key is pressed through the keyboard.
_ACTIVE = """() => {
  const e = document.activeElement;
  return {name: e.name || "", type: e.type || "", value: e.value || "", tag: e.tagName};
}"""


@dataclass(frozen=True)
class PaperSession:
    id: int
    survey: object  # the SurveySpec in use
    locale: str  # the session's language, which its paper survey is printed in


async def _paper_session() -> PaperSession:
    from consult.services.staff import create_user
    from consult.tables import HostedSession, Role
    from surveys.services import load_spec
    from surveys.tables import Survey
    from tests.fixtures import PASSWORD

    row = await HostedSession.select().where(HostedSession.mode == "paper").first()
    survey = (
        await Survey.select(Survey.id)
        .where((Survey.consultation == row["consultation"]) & Survey.retired.eq(False))
        .order_by(Survey.id)
        .first()
    )
    await create_user(FACILITATOR, PASSWORD, Role.facilitator, row["organisation"])
    return PaperSession(row["id"], await load_spec(survey["id"]), row["locale"])


@pytest.fixture(scope="module")
def session(demo_site: object) -> PaperSession:
    create_staff("paper-browser-planner", "planner")
    return run_in_fresh_loop(_paper_session)


def _signed_in(new_context: NewContext) -> Page:
    page = new_context(viewport=DESKTOP, is_mobile=False, has_touch=False).new_page()
    page.goto("/staff/login")
    fill_sign_in(page, FACILITATOR)
    expect(page).not_to_have_url("/staff/login")
    return page


def _paper_count(session_id: int) -> int:
    from surveys.tables import Response

    return run_in_fresh_loop(
        Response.count()
        .where((Response.hosted_session == session_id) & (Response.channel == "paper"))
        .run
    )


def _newest_answer_count(session_id: int) -> int:
    from surveys.tables import Answer, Response

    async def count() -> int:
        newest = (
            await Response.select(Response.id)
            .where(Response.hosted_session == session_id)
            .order_by(Response.id, ascending=False)
            .first()
        )
        return await Answer.count().where(Answer.response == newest["id"])

    return run_in_fresh_loop(count)


def test_the_paper_survey_passes_axe_and_prints_without_navigation(
    new_context: NewContext, session: PaperSession
):
    page = _signed_in(new_context)
    page.goto(f"/staff/sessions/{session.id}/paper-survey")
    # Printed in the session's language, questions and interface words alike.
    first = f"1. {question_text(session.locale, DEFINITION.questions[0].key)}"
    expect(page.get_by_role("heading", name=first)).to_be_visible()
    expect(page.get_by_text(say(session.locale, "For office use"))).to_be_visible()
    assert_accessible(page, "the paper survey")

    page.emulate_media(media="print")
    for hidden in (".site-header", ".staff-nav", ".site-footer", ".no-print"):
        expect(page.locator(hidden).first).to_be_hidden()
    for button in page.locator("button, .button").all():
        expect(button).to_be_hidden()
    expect(page.get_by_role("heading", name=first)).to_be_visible()
    kept = page.locator(".paper-question").first.evaluate(
        "(node) => getComputedStyle(node).breakInside"
    )
    assert kept == "avoid"
    page.emulate_media(media="screen")
    expect(page.locator(".staff-nav")).to_be_visible()


def test_the_entry_screen_passes_axe_empty_with_errors_and_after_a_save(
    new_context: NewContext, session: PaperSession
):
    page = _signed_in(new_context)
    page.goto(f"/staff/sessions/{session.id}/paper")
    expect(page.get_by_role("heading", name="Enter paper questionnaires")).to_be_visible()
    assert_accessible(page, "the empty entry screen")

    first = session.survey.questions[0]
    page.locator(f"#{first.field_name}").fill("99")
    page.get_by_role("button", name="Save and enter the next").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the number of one of the answers")
    expect(page.locator(f"#{first.field_name}")).to_have_value("99")
    assert_accessible(page, "the entry screen with errors")
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#{first.field_name}")).to_be_focused()

    page.locator(f"#{first.field_name}").fill("1")
    before = _paper_count(session.id)
    page.get_by_role("button", name="Save and enter the next").click()
    expect(page.get_by_role("heading", name=f"Questionnaire {before + 1} saved")).to_be_visible()
    expect(page.locator(f"#{first.field_name}")).to_be_focused()
    expect(page.locator(f"#{first.field_name}")).to_have_value("")
    assert_accessible(page, "the entry screen after a save")


def _plan(survey) -> tuple[dict[str, str], set[str]]:
    """What to type into each field and which boxes to tick: the first answer of
    every question, a number in range, a few words of text."""
    typed: dict[str, str] = {}
    ticked: set[str] = set()
    for question in survey.questions:
        kind = question.type
        if kind in ("single_choice", "scale"):
            typed[question.field_name] = "1"
        elif kind == "matrix":
            for statement in question.statements:
                typed[question.statement_field(statement)] = "1"
        elif kind == "multiple_choice":
            ticked.add(f"{question.field_name}={question.options[0].id}")
        elif kind == "ranking":
            typed[question.rank_field(question.options[0])] = "1"
        elif kind == "number":
            typed[question.field_name] = str((question.min_number or 0) + 1)
        else:
            typed[question.field_name] = "Typed from paper"
    return typed, ticked


def test_a_whole_questionnaire_is_keyed_in_by_keyboard_alone(
    new_context: NewContext, session: PaperSession
):
    page = _signed_in(new_context)
    page.goto(f"/staff/sessions/{session.id}/paper")
    first = session.survey.questions[0]
    # The first field has the focus when the page opens: typing starts at once.
    expect(page.locator(f"#{first.field_name}")).to_be_focused()
    typed, ticked = _plan(session.survey)
    before = _paper_count(session.id)
    for _ in range(MAX_TABS):
        active = page.evaluate(_ACTIVE)
        if active["tag"] == "BUTTON":
            page.keyboard.press("Space")
            break
        if active["type"] == "checkbox":
            if f"{active['name']}={active['value']}" in ticked:
                page.keyboard.press("Space")
        elif active["name"] in typed:
            page.keyboard.type(typed[active["name"]])
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the button")
    expect(page.get_by_role("heading", name=f"Questionnaire {before + 1} saved")).to_be_visible()
    assert _paper_count(session.id) == before + 1
    assert _newest_answer_count(session.id) >= len(typed)
    expect(page.locator(f"#{first.field_name}")).to_be_focused()

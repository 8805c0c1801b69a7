"""Save and continue later: the code page, the resume form and its errors.

A resident saves after two pages, is shown their code once, and comes back with
it; a mistyped code, an unknown one and an expired one each get a clear error,
keep what was typed and pass axe; the right code brings back every answer.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from consult.demo import DEMO_SLUG
from tests.browser.axe import assert_accessible
from tests.browser.journey import (
    ANSWERS,
    CONTINUE,
    SAVE,
    answer,
    answer_first,
    expect_answered,
    expect_question,
    heading,
    press,
)
from tests.fixtures import run_in_fresh_loop

pytestmark = pytest.mark.browser

RESUME = f"/c/{DEMO_SLUG}/resume"
CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
SAVED_HEADING = "Your answers are saved"
RESUME_HEADING = "Continue with your code"
NO_MATCH = "No saved answers match this code."


def _save_after_two_pages(page: Page) -> str:
    """Answer two pages, save on the third; the code the page shows."""
    answer_first(page, 2)
    answer(page, ANSWERS[2])
    saved = press(page, SAVE)
    assert saved.status in {200, 303}
    expect(heading(page)).to_have_text(SAVED_HEADING)
    code = page.locator(".resume-code").inner_text().strip()
    assert CODE.match(code), code
    return code


def _enter_code(page: Page, code: str) -> int:
    page.get_by_label("Your code").fill(code)
    return press(page, CONTINUE).status


def _expect_code_refused(page: Page, message: str, typed: str) -> None:
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_contain_text(message)
    expect(page.locator("main .error-message")).to_contain_text(message)
    expect(page.get_by_label("Your code")).to_have_value(typed)


def _expire_saved_drafts() -> None:
    """Thirty days pass: every saved draft is past its expiry."""
    from datetime import UTC, datetime, timedelta

    from surveys.tables import ResumeDraft

    async def expire() -> None:
        await ResumeDraft.update(
            {ResumeDraft.expires_at: datetime.now(UTC) - timedelta(minutes=1)}
        ).where(ResumeDraft.saved == True)  # noqa: E712 (a Piccolo query)

    run_in_fresh_loop(expire)


def test_the_code_is_shown_once_and_brings_every_answer_back(phone: Page):
    code = _save_after_two_pages(phone)
    expect(phone.get_by_text("It is shown only once.")).to_be_visible()
    assert_accessible(phone, "the ‘your answers are saved’ page with the code")
    # Reloading does not show the code again: it is in no page after this one.
    phone.reload()
    expect(heading(phone)).to_have_text(SAVED_HEADING)
    expect(phone.locator(".resume-code")).to_have_count(0)
    expect(phone.get_by_text(code)).to_have_count(0)
    assert_accessible(phone, "the saved page once the code has been shown")

    phone.get_by_role("link", name="Continue with a code you saved").click()
    expect(heading(phone)).to_have_text(RESUME_HEADING)
    assert_accessible(phone, "the resume form")
    # Typed as people do: lower case, spaces instead of dashes.
    assert _enter_code(phone, code.lower().replace("-", " ")) == 303
    expect_question(phone, ANSWERS[2])
    expect_answered(phone, ANSWERS[2])
    phone.get_by_role("link", name="Back").click()
    expect_question(phone, ANSWERS[1])
    expect_answered(phone, ANSWERS[1])


def test_a_wrong_code_is_refused_clearly_and_kept(phone: Page):
    phone.goto(RESUME)
    assert _enter_code(phone, "not a code") == 422
    _expect_code_refused(phone, "Enter your code: 16 letters and numbers", "not a code")
    assert_accessible(phone, "the resume form refusing a malformed code")

    unknown = "7KQF-3MXA-9PRT-2WHN"
    assert _enter_code(phone, unknown) == 422
    _expect_code_refused(phone, NO_MATCH, unknown)
    assert_accessible(phone, "the resume form refusing an unknown code")


def test_an_expired_code_no_longer_opens_the_answers(phone: Page):
    code = _save_after_two_pages(phone)
    _expire_saved_drafts()
    phone.goto(RESUME)
    assert _enter_code(phone, code) == 422
    _expect_code_refused(phone, NO_MATCH, code)
    # The same words as for a code never given: nobody learns that it once worked.
    expect(phone.locator("main .error-message")).to_contain_text(
        "a code works for 30 days after you saved"
    )
    assert_accessible(phone, "the resume form refusing an expired code")


def test_without_javascript_saving_and_resuming_work_the_same(
    phone_without_javascript: Page,
):
    page = phone_without_javascript
    code = _save_after_two_pages(page)
    assert_accessible(page, "the code page without JavaScript")
    page.goto(RESUME)
    assert _enter_code(page, "7KQF-3MXA-9PRT-2WHX") == 422
    _expect_code_refused(page, NO_MATCH, "7KQF-3MXA-9PRT-2WHX")
    assert_accessible(page, "the resume form's error without JavaScript")
    assert _enter_code(page, code) == 303
    expect_question(page, ANSWERS[2])
    expect_answered(page, ANSWERS[2])

"""Display conditions and the Back link, as a resident meets them, JS on and off.

In the demo, "Where did you see or hear it?" and "Did you or anyone report it?"
follow up a "Yes" to having seen hate speech: skipped after "No", shown after
"Yes, sometimes", and dropped from what is sent once the answer is changed back.
Going Back, page after page, shows every answer as it was given.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewContext
from tests.browser.journey import (
    ANSWERS,
    CHECK_HEADING,
    CONTINUE,
    EXPECTED_ROWS,
    QUESTIONS,
    QUESTIONS_WITHOUT_FOLLOW_UPS,
    STEP,
    Row,
    answer,
    answer_first,
    expect_answered,
    expect_question,
    heading,
    latest_answers,
    press,
    send,
)

pytestmark = pytest.mark.browser

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-js"])
FOLLOW_UPS = {"where_hate", "reported"}


def _go_back(page: Page) -> None:
    page.locator("main").get_by_role("link", name="Back", exact=True).click()


def _choose(page: Page, label: str) -> None:
    page.locator("main").get_by_label(label, exact=True).check()


@JAVASCRIPT
def test_a_follow_up_is_skipped_after_no_and_shown_after_yes(
    new_context: NewContext, javascript: bool
):
    page = new_context(javascript=javascript).new_page()
    answer_first(page, 1)
    expect_question(page, STEP["seen_hate"], f"Question 2 of {QUESTIONS_WITHOUT_FOLLOW_UPS}")
    _choose(page, "No")
    press(page, CONTINUE)
    # Straight on to the question after the follow-ups, which are not counted.
    expect_question(page, STEP["trust"], f"Question 3 of {QUESTIONS_WITHOUT_FOLLOW_UPS}")
    expect(page.get_by_text(STEP["where_hate"].question)).to_have_count(0)

    _go_back(page)
    expect_question(page, STEP["seen_hate"])
    expect(page.locator("main").get_by_label("No", exact=True)).to_be_checked()
    _choose(page, "Yes, sometimes")
    press(page, CONTINUE)
    expect_question(page, STEP["where_hate"], f"Question 3 of {QUESTIONS}")
    answer(page, STEP["where_hate"])
    press(page, CONTINUE)
    expect_question(page, STEP["reported"], f"Question 4 of {QUESTIONS}")


@JAVASCRIPT
def test_back_shows_every_answer_given_and_the_survey_goes_on_from_there(
    new_context: NewContext, javascript: bool
):
    page = new_context(javascript=javascript).new_page()
    ranking = ANSWERS.index(STEP["priorities"])
    # Every kind of question answered: choices with "other", the matrix, the ranking.
    answer_first(page, ranking + 1)
    for step in reversed(ANSWERS[: ranking + 1]):
        _go_back(page)
        expect_question(page, step)
        expect_answered(page, step)
    # Forward again with Continue alone: nothing has to be given twice.
    for index, step in enumerate(ANSWERS[: ranking + 1]):
        expect_answered(page, step)
        press(page, CONTINUE)
        expect_question(page, ANSWERS[index + 1])
    for step in ANSWERS[ranking + 1 :]:
        answer(page, step)
        press(page, CONTINUE)
    expect(heading(page)).to_have_text(CHECK_HEADING)
    send(page)
    assert latest_answers() == EXPECTED_ROWS


def test_answers_to_a_follow_up_no_longer_shown_are_not_sent(phone: Page):
    answer_first(phone, 4)  # up to and including both follow-ups
    for step in (STEP["reported"], STEP["where_hate"], STEP["seen_hate"]):
        _go_back(phone)
        expect_question(phone, step)
    _choose(phone, "No")
    press(phone, CONTINUE)
    expect_question(phone, STEP["trust"])
    for step in ANSWERS[ANSWERS.index(STEP["trust"]) :]:
        answer(phone, step)
        press(phone, CONTINUE)
    expect(heading(phone)).to_have_text(CHECK_HEADING)
    main = phone.locator("main")
    expect(main.get_by_text(STEP["where_hate"].question)).to_have_count(0)
    expect(main.get_by_text(STEP["reported"].question)).to_have_count(0)
    send(phone)
    expected = {row for row in EXPECTED_ROWS if row.question not in FOLLOW_UPS}
    expected.discard(Row("seen_hate", "Yes, sometimes"))
    expected.add(Row("seen_hate", "No"))
    assert latest_answers() == frozenset(expected)

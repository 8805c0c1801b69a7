"""Mistakes a resident can make, one per kind of question, and how the page helps.

Each error state says what is wrong next to the field and in a summary that takes
focus and links to the field, keeps what was entered, and passes axe; once fixed,
the survey goes on and stores exactly the answers meant. The character count of
the long-text box is checked here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from consult.i18n import format_number
from surveys.question_types import LONG_TEXT_MAX
from tests.browser.axe import assert_accessible
from tests.browser.journey import (
    ANSWERS,
    CONTINUE,
    EXPECTED_ROWS,
    STEP,
    answer,
    answer_first,
    begin,
    expect_question,
    heading,
    latest_answers,
    make_question_required,
    press,
    progress_of,
    response_count,
    send,
    survey_path,
)

pytestmark = pytest.mark.browser

TOO_LONG = "a" * (LONG_TEXT_MAX + 1)


def _english_number(value: int) -> str:
    """A number as the English pages write it into a sentence (5,000)."""
    return format_number(value, "en")


LONG_TEXT_QUESTION = STEP["anything_else"].question


def _main(page: Page) -> Locator:
    return page.locator("main")


def _group(page: Page, key: str) -> Locator:
    return _main(page).get_by_role("group", name=STEP[key].question)


@dataclass(frozen=True)
class Mistake:
    """One wrong answer: how it is made, what the page then says, where the
    summary's link leads, and what of it must still be on the page."""

    make: Callable[[Page], None]
    message: str
    field: Callable[[Page], Locator]
    kept: Callable[[Page], None] = lambda page: None


def _rank_twice(page: Page) -> None:
    _main(page).get_by_label("Make reporting easier").select_option("1")
    _main(page).get_by_label("More youth workers in the evenings").select_option("1")


def _kept_ranks(page: Page) -> None:
    expect(_main(page).get_by_label("Make reporting easier")).to_have_value("1")
    expect(_main(page).get_by_label("More youth workers in the evenings")).to_have_value("1")


def _leave_out_the_city(page: Page) -> None:
    statements = dict(STEP["trust"].statements)
    del statements["The city"]
    for statement, label in statements.items():
        _main(page).get_by_role("group", name=statement, exact=True).get_by_label(
            label, exact=True
        ).check()


MISTAKES = {
    "feel_safe": Mistake(
        make=lambda page: None,
        message="Select an answer.",
        field=lambda page: _main(page).get_by_label("Very unsafe"),
    ),
    "seen_hate": Mistake(
        make=lambda page: None,
        message="Select an answer.",
        field=lambda page: _main(page).get_by_label("Yes, often"),
    ),
    "where_hate": Mistake(
        make=lambda page: _main(page).get_by_label("Somewhere else", exact=True).check(),
        message="Enter your answer for ‘Somewhere else’.",
        field=lambda page: _main(page).get_by_label(re.compile("say what it is")),
        kept=lambda page: expect(
            _main(page).get_by_label("Somewhere else", exact=True)
        ).to_be_checked(),
    ),
    # Made required for this module (the demo's matrix is optional).
    "trust": Mistake(
        make=_leave_out_the_city,
        message="Choose an answer for ‘The city’.",
        field=lambda page: (
            _main(page)
            .get_by_role("group", name="The city", exact=True)
            .get_by_label("No trust at all")
        ),
        kept=lambda page: expect(
            _main(page)
            .get_by_role("group", name="The police", exact=True)
            .get_by_label("Some trust")
        ).to_be_checked(),
    ),
    "priorities": Mistake(
        make=_rank_twice,
        message="Give each item a different number.",
        field=lambda page: _main(page).get_by_label("More youth workers in the evenings"),
        kept=_kept_ranks,
    ),
    "years_in_city": Mistake(
        make=lambda page: _main(page).get_by_label(STEP["years_in_city"].question).fill("seven"),
        message="Enter a whole number, like 12.",
        field=lambda page: _main(page).get_by_label(STEP["years_in_city"].question),
        kept=lambda page: expect(
            _main(page).get_by_label(STEP["years_in_city"].question)
        ).to_have_value("seven"),
    ),
    "anything_else": Mistake(
        make=lambda page: _main(page).get_by_label(LONG_TEXT_QUESTION).fill(TOO_LONG),
        message=f"Your answer must be {_english_number(LONG_TEXT_MAX)} characters or fewer.",
        field=lambda page: _main(page).get_by_label(LONG_TEXT_QUESTION),
        kept=lambda page: expect(_main(page).get_by_label(LONG_TEXT_QUESTION)).to_have_value(
            TOO_LONG
        ),
    ),
}


def _expect_error_state(page: Page, question: str, mistake: Mistake) -> None:
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.get_by_role("link")
    expect(link).to_have_text(f"{question} – {mistake.message}")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # Next to the field too, where a screen reader reads it with the field.
    expect(_main(page).locator(".error-message")).to_have_text(f"Error: {mistake.message}")
    mistake.kept(page)


def test_each_mistake_is_explained_and_fixed_without_losing_anything(phone: Page):
    make_question_required("trust")
    before = response_count()
    begin(phone)
    for index, step in enumerate(ANSWERS):
        expect_question(phone, step, progress_of(index))
        mistake = MISTAKES.get(step.key)
        if mistake is not None:
            mistake.make(phone)
            refused = press(phone, CONTINUE)
            assert refused.status == 422
            assert refused.request.headers.get("hx-request") == "true"
            _expect_error_state(phone, step.question, mistake)
            assert_accessible(phone, f"the error on the page of {step.key}")
            phone.get_by_role("alert").get_by_role("link").click()
            expect(mistake.field(phone)).to_be_focused()
        answer(phone, step)
        press(phone, CONTINUE)
        if index + 1 < len(ANSWERS):
            expect_question(phone, ANSWERS[index + 1])
    assert response_count() == before, "a refused page stores nothing"
    send(phone)
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED_ROWS, "the mistakes left nothing behind"


def _to_where_hate(page: Page) -> None:
    answer_first(page, 2)


def test_prefer_not_to_say_with_another_answer_is_refused_without_javascript(
    phone_without_javascript: Page,
):
    page = phone_without_javascript
    _to_where_hate(page)
    group = _group(page, "where_hate")
    group.get_by_label("Online or on social media").check()
    group.get_by_label("Prefer not to say").check()
    refused = press(page, CONTINUE)
    assert refused.status == 422
    assert "hx-request" not in refused.request.headers
    mistake = Mistake(
        make=lambda page: None,
        message="Select ‘Prefer not to say’ on its own, or other answers.",
        field=lambda page: _group(page, "where_hate").get_by_label("Online or on social media"),
    )
    _expect_error_state(page, STEP["where_hate"].question, mistake)
    expect(group.get_by_label("Online or on social media")).to_be_checked()
    expect(group.get_by_label("Prefer not to say")).to_be_checked()
    assert_accessible(page, "the error for ‘Prefer not to say’ with another answer")
    page.get_by_role("alert").get_by_role("link").click()
    expect(mistake.field(page)).to_be_focused()


def test_with_javascript_prefer_not_to_say_unticks_the_other_answers(phone: Page):
    _to_where_hate(phone)
    group = _group(phone, "where_hate")
    online, street = (
        group.get_by_label("Online or on social media"),
        group.get_by_label("In the street or on public transport"),
    )
    prefer_not = group.get_by_label("Prefer not to say")
    online.check()
    street.check()
    prefer_not.check()
    expect(online).not_to_be_checked()
    expect(street).not_to_be_checked()
    online.check()
    expect(prefer_not).not_to_be_checked()


def test_the_character_count_says_how_many_are_left_or_too_many(phone: Page):
    begin(phone)
    phone.goto(f"{survey_path(phone)}/pages/13")
    expect(heading(phone)).to_contain_text(LONG_TEXT_QUESTION)
    box = phone.get_by_label(LONG_TEXT_QUESTION)
    message = _main(phone).locator(".character-count-message")
    expect(message).to_have_text(f"You can enter up to {_english_number(LONG_TEXT_MAX)} characters")
    described_by = (box.get_attribute("aria-describedby") or "").split()
    assert message.get_attribute("id") in described_by, "the count is not tied to the box"

    box.press_sequentially("Hello")
    expect(message).to_have_text(f"Characters remaining: {_english_number(LONG_TEXT_MAX - 5)}")
    expect(box).to_have_accessible_description(
        re.compile(f"Characters remaining: {_english_number(LONG_TEXT_MAX - 5)}")
    )

    box.fill(TOO_LONG)
    expect(message).to_have_text("Too many characters: 1")
    expect(box).to_have_accessible_description(re.compile("Too many characters: 1"))
    # Near the limit the count is also announced, once typing pauses.
    expect(phone.get_by_role("status")).to_have_text("Too many characters: 1")

    box.press("Backspace")
    expect(message).to_have_text("Characters remaining: 0")

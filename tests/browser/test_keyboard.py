"""A resident who uses only a keyboard can answer, correct errors and submit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from consult.demo import DEMO_SLUG
from tests.browser.demo_answers import (
    CHOICES,
    EXPECTED,
    FREE_TEXT,
    SUBMIT,
    latest_answers,
    response_count,
)

pytestmark = pytest.mark.browser

# Enough presses to walk the whole survey page once; a control not reached by then
# is not reachable by keyboard at all.
MAX_TABS = 120


def _is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def _focus_is_visible(page: Page) -> bool:
    """The focused element shows an outline or a focus ring (WCAG 2.4.7)."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return style.outlineStyle !== "none" || style.boxShadow !== "none";
        }"""
    )


def _tab_to(page: Page, target: Locator) -> None:
    for _ in range(MAX_TABS):
        if _is_focused(target):
            assert _focus_is_visible(page), f"focus on {target} cannot be seen"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def _choose_by_keyboard(page: Page, question: str, label: str) -> None:
    group = page.get_by_role("group", name=question)
    target = group.get_by_label(label, exact=True)
    if target.get_attribute("type") == "checkbox":
        _tab_to(page, target)
        page.keyboard.press("Space")
        return
    # Tab enters a radio group once; the arrow keys move (and select) within it.
    _tab_to(page, group.get_by_role("radio").first)
    page.keyboard.press("Space")
    for _ in range(group.get_by_role("radio").count()):
        if _is_focused(target):
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()


def test_a_keyboard_user_answers_corrects_an_error_and_submits(phone: Page):
    before = response_count()
    phone.goto(f"/c/{DEMO_SLUG}")
    _tab_to(phone, phone.get_by_role("link", name="Start now"))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("button", name=SUBMIT)).to_be_visible()

    phone.keyboard.press("Tab")
    skip_link = phone.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_be_focused()

    # Submitting too early: focus moves to the error summary, whose links lead back.
    _tab_to(phone, phone.get_by_role("button", name=SUBMIT))
    phone.keyboard.press("Enter")
    summary = phone.get_by_role("alert")
    expect(summary).to_be_focused()
    phone.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    phone.keyboard.press("Enter")
    first_question = next(iter(CHOICES))
    expect(
        phone.get_by_role("group", name=first_question).get_by_role("radio").first
    ).to_be_focused()

    for question, labels in CHOICES.items():
        for label in labels:
            _choose_by_keyboard(phone, question, label)
    for question, text in FREE_TEXT.items():
        _tab_to(phone, phone.get_by_label(question))
        phone.keyboard.type(text)
    _tab_to(phone, phone.get_by_role("button", name=SUBMIT))
    phone.keyboard.press("Enter")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers have been received")
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED

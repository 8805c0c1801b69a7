"""Reflow, tap targets and motion on every respondent page state.

At 320 CSS px (WCAG 1.4.10) no page of the journey, and no error state, scrolls
sideways; every control is a target of at least 44 x 44 px (links inside running
text excepted, as WCAG 2.5.5 allows; a radio or checkbox counts by its label,
which is its larger target); with `prefers-reduced-motion: reduce` nothing moves.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewContext
from tests.browser.journey import (
    ANSWERS,
    CONSULTATION_TITLE,
    CONTINUE,
    LANDING,
    SAVE,
    START_NOW,
    SURVEY_TITLE,
    agree_and_start,
    answer,
    begin,
    expect_question,
    heading,
    make_question_required,
    press,
    send,
    walk,
)
from tests.browser.test_answer_errors import MISTAKES

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
TARGET = 44

_SIDEWAYS = """() => {
  const page = document.scrollingElement;
  return { scrollWidth: page.scrollWidth, clientWidth: page.clientWidth };
}"""

# Every control a person taps, with its size; radios and checkboxes by their label.
# A link counts as "inline" when the block around it has other text of its own.
_SMALL_TARGETS = """(minimum) => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 1
      && box.height > 1 && box.right > 0 && box.bottom > 0 && !el.closest(".visually-hidden");
  };
  const inline = (link) => {
    const block = link.parentElement.closest("p, li, dd, td, div");
    if (!block || getComputedStyle(link).display !== "inline") return false;
    const own = block.textContent.replace(link.textContent, "").trim();
    return own.length > 0;
  };
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]),"
    + " select, textarea, summary, .choice-label"
  );
  const small = [];
  for (const el of controls) {
    if (!visible(el) || (el.matches("a") && inline(el))) continue;
    const box = el.getBoundingClientRect();
    if (box.width < minimum || box.height < minimum) {
      const size = `${box.width.toFixed(0)} x ${box.height.toFixed(0)}`;
      small.push(`${el.outerHTML.slice(0, 90)}: ${size}`);
    }
  }
  return small;
}"""


def check_layout(page: Page, state: str) -> None:
    """No sideways scrolling at this width, and no target too small to tap."""
    width = page.evaluate(_SIDEWAYS)
    assert width["scrollWidth"] <= width["clientWidth"], f"{state} scrolls sideways: {width}"
    small = page.evaluate(_SMALL_TARGETS, TARGET)
    assert not small, f"targets under {TARGET} px on {state}:\n" + "\n".join(small)


@pytest.fixture
def narrow(new_context: NewContext) -> Callable[..., Page]:
    def make(*, javascript: bool = True) -> Page:
        return new_context(javascript=javascript, viewport=NARROW).new_page()

    return make


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-js"])
def test_every_page_of_the_journey_fits_320_px_and_has_big_targets(
    narrow: Callable[..., Page], javascript: bool
):
    page = narrow(javascript=javascript)
    page.goto("/")
    check_layout(page, "the home page")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(heading(page)).to_have_text(CONSULTATION_TITLE)
    check_layout(page, "the landing page")
    page.get_by_role("link", name=START_NOW).click()
    expect(heading(page)).to_have_text(SURVEY_TITLE)
    check_layout(page, "the start page")
    agree_and_start(page)
    walk(page, on_page=lambda page, step: check_layout(page, f"the page of {step.key}"))
    check_layout(page, "check your answers (with long, unbroken text)")
    send(page)
    check_layout(page, "the confirmation page")


def test_every_error_state_fits_320_px_and_has_big_targets(narrow: Callable[..., Page]):
    make_question_required("trust")
    page = narrow()
    begin(page)
    for index, step in enumerate(ANSWERS):
        mistake = MISTAKES.get(step.key)
        if mistake is not None:
            mistake.make(page)
            assert press(page, CONTINUE).status == 422
            expect(page.get_by_role("alert")).to_be_focused()
            check_layout(page, f"the error on the page of {step.key}")
        answer(page, step)
        press(page, CONTINUE)
        if index + 1 < len(ANSWERS):
            expect_question(page, ANSWERS[index + 1])


def test_saving_and_resuming_fit_320_px_and_have_big_targets(narrow: Callable[..., Page]):
    page = narrow()
    begin(page)
    answer(page, ANSWERS[0])
    press(page, SAVE)
    expect(heading(page)).to_have_text("Your answers are saved")
    check_layout(page, "the page with the resume code")
    page.goto(f"{LANDING}/resume")
    check_layout(page, "the resume form")
    page.get_by_label("Your code").fill("WXYZ-WXYZ-WXYZ-WXYZ-WXYZ")
    assert press(page, CONTINUE).status == 422
    check_layout(page, "the resume form's error")


_MOVING = """() => {
  const moving = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const seconds = (list) => list.split(",").map((t) => parseFloat(t) || 0);
      const transition = Math.max(...seconds(style.transitionDuration));
      const animation = style.animationName !== "none"
        ? Math.max(...seconds(style.animationDuration)) : 0;
      if (transition > 0 || animation > 0) {
        moving.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo || ""}`);
      }
    }
  }
  return moving;
}"""


def test_reduced_motion_stops_every_transition(narrow: Callable[..., Page]):
    page = narrow()
    begin(page)
    button = page.get_by_role("button", name=CONTINUE, exact=True)
    # Without the preference the buttons do ease their colour, so this is the
    # state the preference must change.
    page.emulate_media(reduced_motion="no-preference")
    assert button.evaluate("(el) => getComputedStyle(el).transitionDuration") != "0s"
    assert page.evaluate(_MOVING), "nothing moves even without the preference"

    page.emulate_media(reduced_motion="reduce")
    assert button.evaluate("(el) => getComputedStyle(el).transitionDuration") == "0s"
    assert page.evaluate(_MOVING) == []
    assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == (
        "auto"
    )

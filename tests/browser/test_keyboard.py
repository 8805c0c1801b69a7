"""A resident completes the whole demo survey with the keyboard alone.

Tab and Shift+Tab move between controls, arrow keys choose within a radio group
and within a ranking's select, Space ticks a box, Enter follows a link or presses
a button; text is typed where Tab has put the caret. No click, no fill(), no
focus() from the test: if a control cannot be reached or worked by keyboard, the
journey cannot finish. The ranking is a list of selects, not drag and drop.

Along the way, each control reached is checked for a visible focus indicator: its
outline, shadow or colours when focused differ from the same control unfocused.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import NewContext
from tests.browser.journey import (
    AGREE,
    ANSWERS,
    CHECK_HEADING,
    CONSULTATION_TITLE,
    CONTINUE,
    EXPECTED_ROWS,
    SEND,
    START_NOW,
    SURVEY_TITLE,
    THANKS_HEADING,
    Step,
    expect_question,
    heading,
    latest_answers,
    response_count,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1024, "height": 768}
# More than any page has controls before the one wanted.
MAX_TABS = 60

_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return {
    outline: s.outlineStyle === "none"
      ? "none"
      : `${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`,
    shadow: s.boxShadow,
    background: s.backgroundColor,
    colour: s.color,
  };
}"""


class Keys:
    """The resident's keyboard on one page, and what it has focused."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.keyboard = page.keyboard
        self.focus_checks = 0

    def focused(self, target: Locator) -> bool:
        return target.evaluate("(el) => el === document.activeElement")

    def tab_to(self, target: Locator, *, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until `target` has focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MAX_TABS):
            if self.focused(target):
                return
            self.keyboard.press(key)
        raise AssertionError(f"{key} never reached {target}")

    def tab_into_group(self, name: str) -> None:
        """Tab until a radio of the group `name` has focus (Tab stops once per group)."""
        for _ in range(MAX_TABS):
            if self.page.evaluate("(name) => document.activeElement?.name === name", name):
                return
            self.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached the radio group {name}")

    def choose_radio(self, radio: Locator) -> None:
        """Tab into the radio's group and arrow to it; arrows also check it."""
        name = radio.get_attribute("name")
        assert name
        self.tab_into_group(name)
        group = self.page.locator(f'input[type="radio"][name="{name}"]')
        ids = group.evaluate_all("(radios) => radios.map((radio) => radio.id)")
        at = ids.index(self.page.evaluate("document.activeElement.id"))
        wanted = ids.index(radio.get_attribute("id"))
        for _ in range(abs(wanted - at)):
            self.keyboard.press("ArrowDown" if wanted > at else "ArrowUp")
        expect(radio).to_be_focused()
        if not radio.is_checked():  # the first radio, reached by Tab, is not yet chosen
            self.keyboard.press("Space")
        expect(radio).to_be_checked()

    def tick(self, box: Locator) -> None:
        self.tab_to(box)
        self.keyboard.press("Space")
        expect(box).to_be_checked()

    def type_into(self, field: Locator, text: str) -> None:
        self.tab_to(field)
        self.keyboard.type(text)
        expect(field).to_have_value(text)

    def select_place(self, select: Locator, place: int) -> None:
        """A ranking's select: closed, arrow keys step through "Not ranked", 1, 2 ..."""
        self.tab_to(select)
        for _ in range(place):
            self.keyboard.press("ArrowDown")
        expect(select).to_have_value(str(place))

    def press_button(self, name: str) -> None:
        button = self.page.get_by_role("button", name=name, exact=True)
        self.tab_to(button)
        self.expect_visible_focus(f"the {name} button")
        self.keyboard.press("Enter")

    def follow_link(self, link: Locator) -> None:
        self.tab_to(link)
        self.expect_visible_focus(f"the link {link}")
        self.keyboard.press("Enter")

    def expect_visible_focus(self, what: str) -> None:
        """The focused control looks different from itself unfocused.

        Tab moves on and Shift+Tab comes back, so the same control is seen both
        ways; it must then have focus again (for radios: once one is chosen).
        """
        handle = self.page.evaluate_handle("document.activeElement").as_element()
        assert handle is not None, what
        assert handle.evaluate("(el) => el.matches(':focus-visible')"), what
        focused: dict[str, Any] = handle.evaluate(_STYLE)
        self.keyboard.press("Tab")
        assert not handle.evaluate("(el) => el === document.activeElement"), what
        unfocused: dict[str, Any] = handle.evaluate(_STYLE)
        self.keyboard.press("Shift+Tab")
        assert handle.evaluate("(el) => el === document.activeElement"), f"Shift+Tab: {what}"
        assert focused != unfocused, f"{what} looks the same focused: {focused}"
        # A ring or shadow of its own, not only a colour change.
        assert focused["outline"] != "none" or focused["shadow"] != "none", (
            f"{what} has no focus ring: {focused}"
        )
        self.focus_checks += 1


def _settled(page: Page) -> None:
    """htmx has finished the swap (a few milliseconds a person never notices)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def _answer_by_keyboard(keys: Keys, step: Step) -> None:
    main = keys.page.locator("main")
    for index, label in enumerate(step.choose):
        control = main.get_by_label(label, exact=True)
        if control.get_attribute("type") == "radio":
            keys.choose_radio(control)
        else:
            keys.tick(control)
        if index == 0:
            keys.expect_visible_focus(f"‘{label}’ on the page of {step.key}")
    if step.other:
        other = main.get_by_label("say what it is", exact=False)
        keys.type_into(other, step.other)
        keys.expect_visible_focus(f"the ‘other’ box of {step.key}")
        # Back to the box it belongs to, and on again: the text stays as typed.
        box = main.get_by_label(step.choose[-1], exact=True)
        keys.tab_to(box, backwards=True)
        expect(box).to_be_checked()
        keys.tab_to(other)
        expect(other).to_have_value(step.other)
    for statement, label in step.statements.items():
        radio = main.get_by_role("group", name=statement, exact=True).get_by_label(
            label, exact=True
        )
        keys.choose_radio(radio)
    if step.statements:
        keys.expect_visible_focus(f"a radio of the matrix {step.key}")
    for item, place in step.ranks.items():
        keys.select_place(main.get_by_label(item, exact=True), place)
    if step.ranks:
        keys.expect_visible_focus(f"a select of the ranking {step.key}")
    if step.text:
        field = main.get_by_label(step.question)
        keys.type_into(field, step.text)
        keys.expect_visible_focus(f"the text box of {step.key}")


def test_the_whole_survey_by_keyboard_alone(new_context: NewContext):
    page = new_context(viewport=DESKTOP, is_mobile=False, has_touch=False).new_page()
    keys = Keys(page)
    before = response_count()
    # Any pointer event at all would mean something other than the keyboard acted.
    page.add_init_script(
        "document.addEventListener('pointerdown', () => { window.pointerUsed = true; }, true);"
    )

    page.goto("/")
    keys.follow_link(page.get_by_role("link", name=CONSULTATION_TITLE))
    expect(heading(page)).to_have_text(CONSULTATION_TITLE)
    keys.follow_link(page.get_by_role("link", name=START_NOW))
    expect(heading(page)).to_have_text(SURVEY_TITLE)
    keys.press_button(AGREE)

    for index, step in enumerate(ANSWERS):
        expect_question(page, step)
        _answer_by_keyboard(keys, step)
        keys.press_button(CONTINUE)
        if index + 1 < len(ANSWERS):
            expect_question(page, ANSWERS[index + 1])
            # The new page is ready for the keyboard once focus is on its heading
            # (htmx swapped it in): Tab goes on from there, not from the old page.
            expect(heading(page)).to_be_focused()
            _settled(page)

    expect(heading(page)).to_have_text(CHECK_HEADING)
    expect(heading(page)).to_be_focused()
    keys.press_button(SEND)
    expect(heading(page)).to_have_text(THANKS_HEADING)

    assert not page.evaluate("window.pointerUsed === true"), "a pointer was used"
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED_ROWS
    assert keys.focus_checks >= 20, keys.focus_checks


def test_the_error_summary_is_worked_by_keyboard(new_context: NewContext):
    page = new_context(viewport=DESKTOP, is_mobile=False, has_touch=False).new_page()
    keys = Keys(page)
    page.goto("/")
    keys.follow_link(page.get_by_role("link", name=CONSULTATION_TITLE))
    keys.follow_link(page.get_by_role("link", name=START_NOW))
    keys.press_button(AGREE)
    expect_question(page, ANSWERS[0])
    keys.press_button(CONTINUE)
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    _settled(page)
    # The first Tab from the summary is its link; Enter takes the caret to the field.
    page.keyboard.press("Tab")
    link = summary.get_by_role("link")
    expect(link).to_be_focused()
    keys.expect_visible_focus("the error summary's link")
    page.keyboard.press("Enter")
    first = page.locator("main").get_by_label("Very unsafe", exact=True)
    expect(first).to_be_focused()
    # From there the arrows choose, as on any radio group.
    page.keyboard.press("ArrowDown")
    expect(page.locator("main").get_by_label("Fairly unsafe", exact=True)).to_be_checked()
    keys.press_button(CONTINUE)
    expect_question(page, ANSWERS[1])
    expect(heading(page)).to_be_focused()

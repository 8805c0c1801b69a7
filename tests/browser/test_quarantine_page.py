"""Held responses in Chromium: the planner's review page passes axe with and without
JavaScript, before and after "Count it"; the resident's "Check your answers" with
its honeypot passes axe, and the honeypot is in neither the accessibility tree nor
the tab order, so nobody using a screen reader or a keyboard is asked to fill it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import (
    CHECK_HEADING,
    CONSULTATION_TITLE,
    LANDING,
    agree_and_start,
    heading,
    walk,
)
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in

pytestmark = pytest.mark.browser

PLANNER = "quarantine-planner"
HONEYPOT = "homepage"  # surveys.abuse.HONEYPOT_FIELD


@pytest.fixture(scope="module")
def planner(demo_site: object) -> str:
    return create_staff(PLANNER, "planner")


def _open_review(page: Page) -> None:
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name="Results").first.click()
    page.get_by_role("link", name=re.compile(r"^\d+ responses? held for review$")).click()
    expect(heading(page)).to_contain_text("Held for review")


@pytest.mark.parametrize(
    ("javascript", "button", "done"),
    [
        (True, "Keep out – Held response 1", "The response is kept out."),
        (False, "Count it – Held response 1", "The response is counted."),
    ],
    ids=["js", "no-js"],
)
def test_the_review_page_passes_axe_before_and_after_a_decision(
    new_context: NewContext, planner: str, javascript: bool, button: str, done: str
):
    state = "JS" if javascript else "no JS"
    page = new_context(javascript=javascript, viewport=DESKTOP).new_page()
    _open_review(page)
    main = page.locator("main")
    expect(main).to_contain_text("waiting for review")
    expect(main.get_by_text("Why it was held").first).to_be_visible()
    assert_accessible(page, f"the review page ({state})")
    page.get_by_role("button", name=button).click()
    expect(page.locator(".notice")).to_have_text(done)
    assert_accessible(page, f"the review page after a decision ({state})")


def test_the_honeypot_is_hidden_from_everyone_but_a_script(phone: Page):
    page = phone
    page.goto(LANDING)
    page.get_by_role("link", name="Start now").click()
    agree_and_start(page)
    walk(page)
    expect(heading(page)).to_have_text(CHECK_HEADING)
    field = page.locator(f'input[name="{HONEYPOT}"]')
    expect(field).to_have_count(1)
    expect(field).to_have_attribute("tabindex", "-1")
    expect(field).to_have_attribute("autocomplete", "off")
    # Not in the accessibility tree: a screen reader finds no text box to fill.
    expect(page.locator("main").get_by_role("textbox")).to_have_count(0)
    # Not in the tab order: from the last link before the form, Tab goes to Send.
    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.name") != HONEYPOT
    assert_accessible(page, "check your answers with the honeypot")

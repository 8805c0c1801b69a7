"""The planner's text pages in Chromium, on the demo: axe finds nothing on any
state (errors included), one answer is reviewed by keyboard alone with htmx, and
with JavaScript off every action is a plain form that still works."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONSULTATION_TITLE, heading
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in

pytestmark = pytest.mark.browser

PLANNER = "text-browser-planner"
ADMIN = "text-browser-admin"


@pytest.fixture(scope="module")
def staff(demo_site: object) -> None:
    create_staff(PLANNER, "planner")
    create_staff(ADMIN, "admin")


def _desk(new_context: NewContext, *, javascript: bool = True) -> Page:
    # Reduced motion: a button's colour eases for 0.15 s when focus lands on it
    # after a swap, and axe reading it halfway finds yellow behind white text.
    context = new_context(
        javascript=javascript,
        viewport=DESKTOP,
        is_mobile=False,
        has_touch=False,
        reduced_motion="reduce",
    )
    return context.new_page()


def _sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login")
    fill_sign_in(page, username)
    expect(heading(page)).to_have_text("Consultations")


def _open_text_pages(page: Page, username: str = PLANNER) -> str:
    """Sign in, follow the consultation's link to the text overview; its address."""
    _sign_in(page, username)
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name=re.compile(r"^What people wrote")).first.click()
    expect(heading(page)).to_have_text(re.compile(r"^What people wrote"))
    return page.url.split("?")[0]


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Text analysis").get_by_role("link", name=name).click()


def test_every_text_page_passes_axe(new_context: NewContext, staff: None, tmp_path):
    desk = _desk(new_context)
    _open_text_pages(desk)
    expect(desk.get_by_role("table").first).to_be_visible()
    assert_accessible(desk, "the text overview")
    desk.get_by_label("Break themes down by").select_option(label="Language")
    desk.get_by_role("button", name="Show").click()
    expect(desk.get_by_text("Themes by group").first).to_be_visible()
    assert_accessible(desk, "the overview with themes by language")

    _nav(desk, "Suggested themes")
    expect(heading(desk)).to_have_text("Suggested themes")
    assert_accessible(desk, "the suggested themes")
    first = desk.locator(".theme-card").first
    first.get_by_role("textbox").fill("")
    first.get_by_role("button", name=re.compile(r"^Rename")).click()
    expect(desk.get_by_role("alert")).to_be_focused()
    assert_accessible(desk, "a suggested theme refusing an empty label (htmx)")

    _nav(desk, "Codebook")
    expect(heading(desk)).to_have_text("Codebook")
    desk.locator("details summary").first.click()
    assert_accessible(desk, "the codebook with a theme's edit form open")
    bad = tmp_path / "bad-codebook.json"
    bad.write_text(json.dumps({"themes": [{"id": "x", "label": "X", "keywords": [7]}]}))
    desk.get_by_label("Codebook file").set_input_files(str(bad))
    desk.get_by_role("button", name="Import codebook").click()
    expect(desk).to_have_title(re.compile(r"^Error: "))
    expect(desk.get_by_role("alert")).to_contain_text("themes[0].keywords[0]")
    assert_accessible(desk, "the codebook refusing a bad file")

    desk.get_by_role("link", name=re.compile(r"^Review its answers")).first.click()
    expect(heading(desk)).to_have_text(re.compile(r"^Review: "))
    desk.get_by_text("Why this suggestion").first.click()
    assert_accessible(desk, "a theme's review with a reason open")

    _nav(desk, "Safeguarding")
    expect(heading(desk)).to_have_text("Safeguarding")
    assert_accessible(desk, "the safeguarding flags")
    desk.get_by_role("button", name=re.compile(r"^Mark as followed up")).first.click()
    expect(desk).to_have_title(re.compile(r"^Error: "))
    expect(desk.get_by_role("alert")).to_be_focused()
    assert_accessible(desk, "a follow-up refused without a note")


def test_an_admin_sees_the_original_and_it_passes_axe(new_context: NewContext, staff: None):
    desk = _desk(new_context)
    base = _open_text_pages(desk, ADMIN)
    desk.goto(f"{base}/safeguarding")
    # A button (a POST, which writes the audit row), not a link: no GET writes.
    desk.get_by_role("button", name=re.compile(r"^Show original text")).first.click()
    expect(heading(desk)).to_have_text("Original answer")
    assert_accessible(desk, "an answer's original text")


def test_one_answer_reviewed_by_keyboard_alone(new_context: NewContext, staff: None):
    desk = _desk(new_context)
    base = _open_text_pages(desk)
    desk.goto(f"{base}/codebook")
    desk.get_by_role("link", name=re.compile(r"^Review its answers")).first.focus()
    desk.keyboard.press("Enter")
    expect(heading(desk)).to_have_text(re.compile(r"^Review: "))
    for _ in range(80):
        desk.keyboard.press("Tab")
        if desk.evaluate("() => document.activeElement.id").startswith("yes-"):
            break
    yes = desk.locator(":focus")
    button_id = yes.get_attribute("id")
    expect(yes).to_have_attribute("aria-pressed", "false")
    desk.keyboard.press("Enter")
    pressed = desk.locator(f"#{button_id}")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()
    row = desk.locator(f"#answer-{button_id.removeprefix('yes-')}")
    expect(row.get_by_text("You said: this theme.")).to_be_visible()
    desk.keyboard.press("Tab")
    expect(desk.locator(":focus")).to_have_attribute("id", button_id.replace("yes-", "no-"))
    assert_accessible(desk, "a review after one answer was confirmed (htmx)")


def test_without_javascript_every_action_is_a_plain_form(new_context: NewContext, staff: None):
    desk = _desk(new_context, javascript=False)
    base = _open_text_pages(desk)
    desk.goto(f"{base}/themes")
    card = desk.locator(".theme-card").first
    label = card.get_by_role("heading", level=2).inner_text()
    card.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(desk.get_by_role("status").first).to_contain_text(f"“{label}” is now in the codebook.")
    assert_accessible(desk, "a theme accepted without JavaScript")

    desk.goto(f"{base}/codebook")
    desk.get_by_role("link", name=re.compile(r"^Review its answers")).first.click()
    desk.get_by_role("button", name="Yes, this theme").first.click()
    expect(desk.get_by_text("Saved: this theme.")).to_be_visible()
    assert_accessible(desk, "a review decision without JavaScript")

    desk.goto(f"{base}/codebook")
    # The server's first re-coding loads the lemma dictionaries of the answers'
    # languages (about 3 s each, more on a busy machine): allowed time for it.
    desk.get_by_role("button", name="Re-code all answers").click(timeout=60_000)
    expect(desk.get_by_text(re.compile(r"^Answers re-coded"))).to_be_visible(timeout=60_000)

    desk.goto(f"{base}/safeguarding")
    desk.get_by_role("textbox").first.fill("Passed to the police liaison officer.")
    desk.get_by_role("button", name=re.compile(r"^Mark as followed up")).first.click()
    expect(desk.get_by_text("Marked as followed up.")).to_be_visible()
    assert_accessible(desk, "a follow-up recorded without JavaScript")


def test_with_htmx_a_theme_action_swaps_its_block_and_keeps_focus(
    new_context: NewContext, staff: None
):
    desk = _desk(new_context)
    base = _open_text_pages(desk)
    desk.goto(f"{base}/themes")
    card = desk.locator(".theme-card").nth(1)
    label = card.get_by_role("heading", level=2).inner_text()
    card_id = card.get_attribute("id").removeprefix("theme-")
    card.get_by_role("button", name=re.compile(r"^Discard")).focus()
    desk.keyboard.press("Enter")
    outcome = desk.locator(f"#discard-{card_id}")
    expect(outcome).to_have_text(f"“{label}” was discarded.")
    expect(outcome).to_be_focused()
    expect(heading(desk)).to_have_text("Suggested themes")  # the page stayed
    assert_accessible(desk, "a theme discarded with htmx")

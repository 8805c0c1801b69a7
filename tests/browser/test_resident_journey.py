"""A resident answers the demo survey on a 360 px phone; axe checks every page state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from consult.demo import DEMO_SLUG
from tests.browser.axe import assert_accessible
from tests.browser.demo_answers import (
    CHOICES,
    CONSULTATION_TITLE,
    EXPECTED,
    FIRST_CHOICES,
    FREE_TEXT,
    REST_CHOICES,
    SUBMIT,
    choose,
    latest_answers,
    open_demo_survey,
    response_count,
    submit,
    type_free_text,
)

pytestmark = pytest.mark.browser


def test_a_resident_answers_with_javascript_and_every_state_is_accessible(phone: Page):
    before = response_count()

    phone.goto("/")
    expect(phone.get_by_role("link", name=CONSULTATION_TITLE)).to_be_visible()
    assert_accessible(phone, "the home page")

    phone.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(CONSULTATION_TITLE)
    # What a resident must know before starting: who asks, how long, what happens next.
    expect(phone.get_by_text("City of Reykjavik").first).to_be_visible()
    expect(phone.get_by_text(re.compile(r"\d+ minutes")).first).to_be_visible()
    expect(phone.get_by_role("heading", name="What happens to your answers")).to_be_visible()
    assert_accessible(phone, "the consultation landing page")

    phone.get_by_role("link", name="Start now").click()
    expect(phone.get_by_role("button", name=SUBMIT)).to_be_visible()
    assert_accessible(phone, "the empty survey form")

    status, headers = submit(phone)
    assert status == 422
    assert headers.get("hx-request") == "true", "with JavaScript on, htmx sends the form"
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(4)
    expect(phone).to_have_title(re.compile("^Error: "))
    assert_accessible(phone, "the error state of an empty submission")

    choose(phone, FIRST_CHOICES)
    type_free_text(phone)
    assert_accessible(phone, "the partly answered form")
    status, _ = submit(phone)
    assert status == 422
    expect(phone.get_by_role("alert").get_by_role("link")).to_have_count(3)
    for question, labels in FIRST_CHOICES.items():
        group = phone.get_by_role("group", name=question)
        for label in labels:
            expect(group.get_by_label(label, exact=True)).to_be_checked()
    for question, text in FREE_TEXT.items():
        expect(phone.get_by_label(question)).to_have_value(text)
    assert_accessible(phone, "the error state with some answers kept")
    assert response_count() == before, "an invalid submission stores nothing"

    choose(phone, REST_CHOICES)
    status, _ = submit(phone)
    assert status == 303, "stored, then sent on to the confirmation page"
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers have been received")
    assert_accessible(phone, "the confirmation page")

    assert response_count() == before + 1
    assert latest_answers() == EXPECTED


def test_the_summary_links_take_the_resident_to_each_question(phone: Page):
    open_demo_survey(phone)
    submit(phone)
    first_link = phone.get_by_role("alert").get_by_role("link").first
    expect(first_link).to_contain_text("How safe do you feel")
    first_link.click()
    expect(
        phone.get_by_role("group", name="How safe do you feel").get_by_role("radio").first
    ).to_be_focused()


def _page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_pages_fit_a_320_px_screen_without_sideways_scrolling(phone: Page):
    phone.set_viewport_size({"width": 320, "height": 640})
    open_demo_survey(phone)
    submit(phone)
    assert _page_width(phone) <= 320, "the error state scrolls sideways at 320 px"
    for path in ("/", f"/c/{DEMO_SLUG}", "/staff/login"):
        phone.goto(path)
        assert _page_width(phone) <= 320, f"{path} scrolls sideways at 320 px"


def test_answers_survive_a_lost_cookie_and_are_stored_once(phone: Page):
    before = response_count()
    open_demo_survey(phone)
    choose(phone, CHOICES)
    type_free_text(phone)
    # As when a phone's browser is closed and its tab later restored.
    phone.context.clear_cookies()
    status, _ = submit(phone)
    assert status == 403
    expect(phone.get_by_role("heading", level=1)).to_have_text("Send this form again")
    assert_accessible(phone, "the form sent again after a lost cookie")
    assert response_count() == before

    phone.get_by_role("button", name="Send again").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your answers have been received")
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED

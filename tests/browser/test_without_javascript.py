"""With JavaScript off the survey still works: plain forms, 422 pages and a redirect."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.demo_answers import (
    EXPECTED,
    FIRST_CHOICES,
    FREE_TEXT,
    REST_CHOICES,
    choose,
    latest_answers,
    open_demo_survey,
    response_count,
    submit,
    type_free_text,
)

pytestmark = pytest.mark.browser


def test_without_javascript_the_same_answers_are_stored(phone_without_javascript: Page):
    page = phone_without_javascript
    before = response_count()
    open_demo_survey(page)

    choose(page, FIRST_CHOICES)
    type_free_text(page)
    status, headers = submit(page)
    assert status == 422
    assert "hx-request" not in headers, "no JavaScript, so the browser posts the form itself"
    expect(page.get_by_role("alert").get_by_role("link")).to_have_count(3)
    for question, text in FREE_TEXT.items():
        expect(page.get_by_label(question)).to_have_value(text)
    assert response_count() == before

    choose(page, REST_CHOICES)
    status, _ = submit(page)
    assert status == 303
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been received")
    assert page.url.endswith("/thanks"), "the confirmation has its own address"

    assert response_count() == before + 1
    assert latest_answers() == EXPECTED, "the same answers as with JavaScript on"

"""A resident answers the whole demo survey with JavaScript off.

Plain HTML forms, a POST and a redirect per page: the same answers must be stored
as with htmx on (EXPECTED_ROWS), and axe checks every state on the way (through
axe.py's scripted copy, since axe cannot run in a page without scripting).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.axe import assert_accessible
from tests.browser.journey import (
    ANSWERS,
    CONSULTATION_TITLE,
    CONTINUE,
    EXPECTED_ROWS,
    HOSTILE,
    LONG_TEXT,
    START_NOW,
    SURVEY_TITLE,
    agree_and_start,
    heading,
    latest_answers,
    press,
    response_count,
    send,
    walk,
)

pytestmark = pytest.mark.browser


def test_without_javascript_the_same_journey_stores_the_same_answers(
    phone_without_javascript: Page,
):
    page = phone_without_javascript
    assert page.evaluate("() => matchMedia('(scripting: none)').matches") is True
    before = response_count()
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)

    page.goto("/")
    assert_accessible(page, "the home page without JavaScript")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(heading(page)).to_have_text(CONSULTATION_TITLE)
    assert_accessible(page, "the landing page without JavaScript")
    page.get_by_role("link", name=START_NOW).click()
    expect(heading(page)).to_have_text(SURVEY_TITLE)
    assert_accessible(page, "the start page without JavaScript")

    agree_and_start(page)
    walk(
        page,
        on_page=lambda page, step: assert_accessible(
            page, f"the page of {step.key} without JavaScript"
        ),
    )
    main = page.locator("main")
    expect(main.get_by_text(f"Somewhere else: {HOSTILE}", exact=True)).to_be_visible()
    expect(main.locator(".summary-value", has_text="日本語")).to_have_text(LONG_TEXT)
    assert_accessible(page, "check your answers without JavaScript")
    assert response_count() == before

    sent = send(page)
    assert sent.status == 303, "answers sent, then a redirect to the confirmation"
    assert_accessible(page, "the confirmation page without JavaScript")
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED_ROWS

    assert len(posts) == 1 + len(ANSWERS) + 1, "consent, one POST per page, the answers"
    for request in posts:
        assert "hx-request" not in request.headers, f"{request.url} was sent by a script"


def test_without_javascript_an_error_is_a_whole_page_with_the_summary_first(
    phone_without_javascript: Page,
):
    page = phone_without_javascript
    page.goto("/")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name=START_NOW).click()
    agree_and_start(page)
    refused = press(page, CONTINUE)
    assert refused.status == 422
    expect(page).to_have_title(f"Error: {ANSWERS[0].question} – consult")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    # Without a script nothing moves focus: the summary's `autofocus` does, so a
    # screen reader starts at the problem, not at the top of the page.
    expect(summary).to_be_focused()
    assert_accessible(page, "an error without JavaScript")

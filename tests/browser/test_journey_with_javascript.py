"""A resident answers the whole demo survey on a 360 px phone with htmx on.

axe checks every state on the way; what is stored is read back from the database.
Focus after each htmx swap, and the closed and missing pages, are checked here too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, Response, expect

from tests.browser.axe import assert_accessible
from tests.browser.journey import (
    ANSWERS,
    CHECK_HEADING,
    CONSULTATION_TITLE,
    CONTINUE,
    EXPECTED_ROWS,
    HOSTILE,
    LANDING,
    LONG_TEXT,
    NEIGHBOURHOOD,
    START_NOW,
    SURVEY_TITLE,
    agree_and_start,
    begin,
    expect_question,
    heading,
    latest_answers,
    open_start_page,
    press,
    response_count,
    send,
    set_consultation_open,
    survey_path,
    walk,
)

pytestmark = pytest.mark.browser


def test_a_resident_completes_the_survey_and_every_state_is_accessible(phone: Page):
    before = response_count()
    posts: list[Request] = []
    phone.on("request", lambda request: posts.append(request) if request.method == "POST" else None)

    phone.goto("/")
    expect(phone.get_by_role("link", name=CONSULTATION_TITLE)).to_be_visible()
    assert_accessible(phone, "the home page")

    phone.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(heading(phone)).to_have_text(CONSULTATION_TITLE)
    # What a resident must know before starting: who asks, how long, what happens next.
    expect(phone.get_by_text("City of Reykjavik").first).to_be_visible()
    expect(phone.get_by_text(re.compile(r"About \d+ minutes"))).to_be_visible()
    expect(phone.get_by_role("heading", name="What happens to your answers")).to_be_visible()
    assert_accessible(phone, "the landing page")

    phone.get_by_role("link", name=START_NOW).click()
    expect(heading(phone)).to_have_text(SURVEY_TITLE)
    expect(phone.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(phone.get_by_text("Your answers are anonymous").first).to_be_visible()
    assert_accessible(phone, "the start page with its consent")

    agree_and_start(phone)
    walk(phone, on_page=lambda page, step: assert_accessible(page, f"the page of {step.key}"))

    # Everything given is read back, hostile text as plain text, not markup.
    main = phone.locator("main")
    for text in (
        f"Somewhere else: {HOSTILE}",
        NEIGHBOURHOOD,
        "7 years",
        "1. Make reporting easier",
    ):
        expect(main.get_by_text(text, exact=True)).to_be_visible()
    expect(main.locator(".summary-value", has_text="日本語")).to_have_text(LONG_TEXT)
    expect(main.locator("b")).to_have_count(0)
    assert_accessible(phone, "check your answers")
    assert response_count() == before, "nothing is stored before it is sent"

    sent = send(phone)
    assert sent.status == 303
    assert_accessible(phone, "the confirmation page")
    assert response_count() == before + 1
    assert latest_answers() == EXPECTED_ROWS

    consent, *boosted = posts
    assert consent.url.endswith("/start"), "the consent form is a plain form"
    assert len(boosted) == len(ANSWERS) + 1, "one POST per page, then the answers sent"
    for request in boosted:
        assert request.headers.get("hx-request") == "true", f"{request.url} not sent by htmx"


LIVE_REGION_AT_LOAD = """
document.addEventListener("DOMContentLoaded", () => {
  window.liveRegionAtLoad = document.querySelector("#status[role=status]") !== null;
});
"""


def _focus_is_on_body(page: Page) -> bool:
    return page.evaluate("document.activeElement === document.body")


def test_focus_follows_every_htmx_swap_and_the_live_region_is_always_there(phone: Page):
    pages_served: list[Response] = []
    phone.on(
        "response",
        lambda response: (
            pages_served.append(response)
            if response.request.method == "GET"
            and response.headers.get("content-type", "").startswith("text/html")
            else None
        ),
    )
    # Whether each page had the live region in its HTML, as parsed.
    phone.add_init_script(LIVE_REGION_AT_LOAD)

    def live_region_was_served() -> None:
        # In each page the server sent for an htmx swap, too: a live region added
        # later would not be read out.
        assert pages_served, "no page was served"
        for response in pages_served:
            assert 'id="status" class="visually-hidden" role="status"' in response.text()
        pages_served.clear()

    open_start_page(phone)
    assert phone.evaluate("window.liveRegionAtLoad") is True
    agree_and_start(phone)
    assert phone.evaluate("window.liveRegionAtLoad") is True
    pages_served.clear()  # full loads, checked above

    # An invalid Continue: the error summary has focus, so it is read out first.
    press(phone, CONTINUE)
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()

    def after_continue(page: Page, _: Response) -> None:
        # htmx moves focus once the new content has settled (a few milliseconds).
        expect(heading(page)).to_be_focused()
        assert not _focus_is_on_body(page)
        expect(page.locator("#status[role=status]")).to_have_count(1)
        live_region_was_served()

    walk(phone, after_continue=after_continue)
    expect(heading(phone)).to_have_text(CHECK_HEADING)
    expect(heading(phone)).to_be_focused()


def test_a_missing_page_says_so_accessibly(phone: Page):
    response = phone.goto("/c/no-such-consultation")
    assert response is not None
    assert response.status == 404
    expect(heading(phone)).to_have_text("Page not found")
    assert_accessible(phone, "the page-not-found page")


def test_a_closed_consultation_says_it_takes_no_answers(phone: Page):
    begin(phone)
    question_url = phone.url
    set_consultation_open(False)
    try:
        phone.goto(LANDING)
        expect(phone.get_by_text("This consultation is not taking answers now.")).to_be_visible()
        expect(phone.get_by_role("link", name=START_NOW)).to_have_count(0)
        assert_accessible(phone, "a closed consultation's landing page")

        # A resident who kept a question open in a tab, or follows an old poster.
        phone.goto(question_url)
        expect(heading(phone)).to_have_text("This consultation is closed")
        expect(phone.get_by_role("button", name=CONTINUE, exact=True)).to_have_count(0)
        assert_accessible(phone, "a closed survey")
    finally:
        set_consultation_open(True)
    phone.goto(f"{survey_path(phone)}/pages/1")
    expect_question(phone, ANSWERS[0])

"""Quick exit on the demo (a sensitive consultation): the button, Shift three times
and the skip link all reach the neutral site with no referrer, and afterwards Back
shows none of the answers given.

The neutral site (the demo's DEMO_EXIT_URL) is answered by the test itself through
page.route, so nothing leaves this machine.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, Route, expect

from consult.demo import DEMO_EXIT_URL as NEUTRAL_SITE
from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import ANSWERS, answer, answer_first

pytestmark = pytest.mark.browser

NEUTRAL_TITLE = "Veðurstofa Íslands"


def _answer_two_pages(page: Page, *, second: bool = True) -> None:
    answer_first(page, 1)
    if second:
        answer(page, ANSWERS[1])


def _stand_in_for_the_neutral_site(page: Page) -> list[Request]:
    """Answer the neutral site locally; the requests it got, to check for a referrer."""
    seen: list[Request] = []

    def fulfil(route: Route) -> None:
        seen.append(route.request)
        route.fulfill(
            body=f"<!doctype html><meta charset=utf-8><title>{NEUTRAL_TITLE}</title><h1>Spá</h1>",
            content_type="text/html",
        )

    page.context.route(f"{NEUTRAL_SITE}**", fulfil)
    return seen


def _expect_left_without_trace(page: Page, seen: list[Request]) -> None:
    expect(page).to_have_title(NEUTRAL_TITLE)
    assert page.url == NEUTRAL_SITE
    assert seen, "the neutral site was not asked for"
    assert "referer" not in seen[-1].headers, "the neutral site was told where we came from"
    page.go_back()
    # Whatever Back shows, it is not a page with the resident's answers on it.
    expect(page.locator("input:checked")).to_have_count(0)
    expect(page.get_by_text(ANSWERS[0].choose[0], exact=True)).to_have_count(0)
    # htmx keeps nothing in the browser's storage: no copy of the pages it swapped
    # (its history cache is off) and not the address of the last question shown.
    stored = page.evaluate("() => Object.keys(sessionStorage)")
    assert [key for key in stored if key.startswith("htmx")] == [], stored


def test_the_exit_button_leaves_for_the_neutral_site_and_back_shows_nothing(phone: Page):
    seen = _stand_in_for_the_neutral_site(phone)
    _answer_two_pages(phone)
    phone.get_by_role("link", name="Exit this page").last.click()
    _expect_left_without_trace(phone, seen)


def test_shift_pressed_three_times_exits(phone: Page):
    seen = _stand_in_for_the_neutral_site(phone)
    _answer_two_pages(phone)
    for _ in range(3):
        phone.keyboard.press("Shift")
    _expect_left_without_trace(phone, seen)


def test_without_javascript_the_skip_link_exits_through_the_server(
    phone_without_javascript: Page,
):
    page = phone_without_javascript
    seen = _stand_in_for_the_neutral_site(page)
    _answer_two_pages(page, second=False)
    # On a page just loaded, the first Tab reaches the exit skip link.
    page.keyboard.press("Tab")
    exit_link = page.get_by_role("link", name="Exit this page").first
    expect(exit_link).to_be_focused()
    page.keyboard.press("Enter")
    _expect_left_without_trace(page, seen)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_exit_controls_are_accessible_in_every_state(new_context: NewContext, javascript: bool):
    page = new_context(javascript=javascript).new_page()
    answer_first(page, 1)
    button = page.locator(".exit-this-page").get_by_role("link", name="Exit this page")
    expect(button).to_be_visible()
    # Its accessible name says how else to leave, for those who cannot see the hint.
    expect(button).to_have_accessible_name(
        re.compile(r"^Exit this page\s*, or press Shift three times$")
    )
    assert_accessible(page, "a question page with the exit button")
    # The skip link: off screen until focused, then shown at the top, above all else.
    page.reload()  # the first Tab of a page just loaded
    page.keyboard.press("Tab")
    skip = page.locator(".exit-skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    assert box["height"] >= 44
    assert page.evaluate(
        "() => { const r = document.querySelector('.exit-skip-link').getBoundingClientRect();"
        " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)"
        "?.closest('.exit-skip-link') !== null; }"
    ), "the focused exit link is covered by something"
    assert_accessible(page, "a question page with the exit skip link focused")
    # Scrolled down, the button is still on screen (it sticks to the top).
    page.evaluate("() => window.scrollTo(0, 2000)")
    assert page.evaluate("() => window.scrollY") > 0
    button_box = button.bounding_box()
    assert button_box is not None
    assert 0 <= button_box["y"] < 40, button_box

"""The whole resident journey in Arabic and in Icelandic on a 320 px phone.

The resident opens the home page (in English: the browser asks for en-GB), picks
their language from the switcher in the header, and answers every question by its
label in that language (tests/browser/words.py reads them from the demo's data and
the catalogues). axe checks every state on the way, the page declares the
language and its direction throughout, nothing scrolls sideways, and the stored
response is in that language with the same answers as the English journey's.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import (
    EXPECTED_ROWS,
    agree_and_start,
    expect_question,
    follow_to_start_page,
    heading,
    latest_answers,
    press,
    response_count,
    send,
    walk,
)
from tests.browser.switcher import choose_language, expect_language
from tests.browser.test_layout import check_layout
from tests.browser.words import ENGLISH, Words, words_in
from tests.fixtures import run_in_fresh_loop

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
ARABIC = words_in("ar")
ICELANDIC = words_in("is")


def _newest_locale() -> str:
    from surveys.tables import Response

    async def read() -> str:
        row = await Response.select(Response.locale).order_by(Response.id, ascending=False).first()
        return row["locale"]

    return run_in_fresh_loop(read)


def _state(page: Page, words: Words, state: str) -> None:
    """What every state of the journey must be: in the language, accessible, and
    within 320 px with targets big enough to tap."""
    expect_language(page, words)
    assert_accessible(page, f"{state} in {words.locale}")
    check_layout(page, f"{state} in {words.locale}")


def _journey(page: Page, words: Words) -> None:
    before = response_count()
    page.goto("/")
    expect_language(page, ENGLISH)
    choose_language(page, words)
    expect(page.get_by_role("link", name=words.consultation_title)).to_be_visible()
    _state(page, words, "the home page")

    follow_to_start_page(page, words)
    _state(page, words, "the start page")
    agree_and_start(page, words)
    _state(page, words, "the first question")

    # The first question is required: Continue without an answer is an error,
    # told in the resident's language, with the answer still to give.
    refused = press(page, words.continue_)
    assert refused.status == 422
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words.say("There is a problem"))
    # The message at the field starts with a word for screen readers, in the
    # same language as the message.
    expect(page.locator("main .error-message")).to_contain_text(words.say("Error:"))
    expect(page).to_have_title(
        f"{words.say('Error:')} {words.steps[0].question} – {words.say('consult')}"
    )
    expect_question(page, words.steps[0], words.progress(0))
    _state(page, words, "an error on a required question")

    walk(
        page,
        words=words,
        on_page=lambda page, step: _state(page, words, f"the page of {step.key}"),
    )
    _state(page, words, "check your answers")
    assert response_count() == before

    send(page, words)
    _state(page, words, "the confirmation")
    assert response_count() == before + 1
    assert _newest_locale() == words.locale
    # Stored by option, so read back in the consultation's main language.
    assert latest_answers() == EXPECTED_ROWS


def test_the_whole_journey_in_arabic_at_320_px(new_context: NewContext):
    page = new_context(viewport=NARROW).new_page()
    _journey(page, ARABIC)


def test_the_whole_journey_in_icelandic_at_320_px(new_context: NewContext):
    page = new_context(viewport=NARROW).new_page()
    _journey(page, ICELANDIC)


def test_the_whole_journey_in_arabic_without_javascript(new_context: NewContext):
    page = new_context(javascript=False, viewport=NARROW).new_page()
    assert page.evaluate("() => matchMedia('(scripting: none)').matches") is True
    _journey(page, ARABIC)
    expect(heading(page)).to_have_text(ARABIC.thanks_heading)

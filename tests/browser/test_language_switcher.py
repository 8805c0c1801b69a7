"""The language switcher in the header and the /language page, in Chromium.

Each language is named in itself (and marked with its own `lang`, so a screen
reader says "Íslenska" in Icelandic); the switcher works by keyboard alone and
without JavaScript; the choice is kept for the next pages; axe finds nothing with
the switcher open, in English and in Arabic at 320 px, nor on /language.
The journeys choose their language with the switcher too
(tests/browser/test_language_journeys.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import LANDING, heading
from tests.browser.staff import DESKTOP
from tests.browser.switcher import expect_every_language_named_in_itself, expect_language, switcher
from tests.browser.test_layout import check_layout
from tests.browser.words import ENGLISH, Words, words_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
ARABIC = words_in("ar")
ICELANDIC = words_in("is")
# More than the header has controls before the switcher, or it has languages.
MAX_TABS = 20

_FOCUSED = """() => {
  const e = document.activeElement;
  return { tag: e.tagName, lang: e.getAttribute("lang") || "" };
}"""


def _tab_to(page: Page, wanted: dict[str, str]) -> None:
    """Press Tab until the focused element is the one `wanted` describes."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if all(focused[key] == value for key, value in wanted.items()):
            return
    pytest.fail(f"Tab never reached {wanted}")


def test_choosing_icelandic_by_keyboard_alone(new_context: NewContext):
    page = new_context(viewport=DESKTOP, is_mobile=False, has_touch=False).new_page()
    page.goto(LANDING)
    expect_language(page, ENGLISH)
    _tab_to(page, {"tag": "SUMMARY"})
    page.keyboard.press("Enter")
    header = switcher(page)
    expect(header).to_have_attribute("open", "")
    expect_every_language_named_in_itself(header)
    assert_accessible(page, "the switcher open")

    _tab_to(page, {"tag": "A", "lang": ICELANDIC.locale})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Back on the same page, now in Icelandic, and it stays so on the next one.
    expect(page).to_have_url(re.compile(f"{re.escape(LANDING)}$"))
    expect_language(page, ICELANDIC)
    expect(heading(page)).to_have_text(ICELANDIC.consultation_title)
    # The closed switcher marks the language in use for when it is opened again.
    current = switcher(page).locator(f'a[lang="{ICELANDIC.locale}"]')
    expect(current).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name=ICELANDIC.start_now).click()
    expect(heading(page)).to_have_text(ICELANDIC.survey_title)
    expect_language(page, ICELANDIC)


def test_the_switcher_without_javascript(new_context: NewContext):
    page = new_context(javascript=False, viewport=NARROW).new_page()
    page.goto(LANDING)
    switcher(page).locator("summary").click()
    expect(switcher(page)).to_have_attribute("open", "")
    assert_accessible(page, "the switcher open without JavaScript")
    check_layout(page, "the switcher open at 320 px")
    switcher(page).get_by_role("link", name=ICELANDIC.name, exact=True).click()
    expect_language(page, ICELANDIC)
    expect(heading(page)).to_have_text(ICELANDIC.consultation_title)


@pytest.mark.parametrize("words", [ENGLISH, ARABIC], ids=lambda words: words.locale)
def test_the_switcher_open_at_320_px(new_context: NewContext, words: Words):
    page = new_context(viewport=NARROW).new_page()
    page.goto(f"{LANDING}?lang={words.locale}")
    expect_language(page, words)
    switcher(page).locator("summary", has_text=words.say("Language")).click()
    expect(switcher(page)).to_have_attribute("open", "")
    assert_accessible(page, f"the switcher open in {words.locale}")
    check_layout(page, f"the switcher open in {words.locale} at 320 px")


def test_the_language_page(new_context: NewContext):
    page = new_context(viewport=NARROW).new_page()
    page.goto("/language")
    expect(heading(page)).to_have_text(ENGLISH.say("Choose a language"))
    languages = page.locator("main")
    expect_every_language_named_in_itself(languages)
    assert_accessible(page, "the language page")
    check_layout(page, "the language page at 320 px")

    languages.get_by_role("link", name=ARABIC.name, exact=True).click()
    expect_language(page, ARABIC)
    page.goto("/language")
    expect(heading(page)).to_have_text(ARABIC.say("Choose a language"))
    current = page.locator("main").get_by_role("link", name=ARABIC.name, exact=True)
    expect(current).to_have_attribute("aria-current", "true")
    assert_accessible(page, "the language page in Arabic")

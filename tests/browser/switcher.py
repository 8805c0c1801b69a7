"""The header's language switcher as a person uses it, and what a page says of
its own language."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from consult import i18n
from tests.browser.words import ENGLISH, Words


def switcher(page: Page) -> Locator:
    """The disclosure in the header that lists the languages."""
    return page.locator("header details")


def expect_language(page: Page, words: Words) -> None:
    """The page says which language it is in, and which way that language runs."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", words.locale)
    expect(html).to_have_attribute("dir", words.direction)


def choose_language(page: Page, words: Words, shown_in: Words = ENGLISH) -> None:
    """Open the switcher (labelled in the page's language, `shown_in`) and pick the
    language named in itself."""
    header = switcher(page)
    header.locator("summary", has_text=shown_in.say("Language")).click()
    choice = header.get_by_role("link", name=words.name, exact=True)
    expect(choice).to_have_attribute("lang", words.locale)
    choice.click()
    expect_language(page, words)


def expect_every_language_named_in_itself(links: Locator) -> None:
    """Every shipped language is a link named in itself, in its own language and
    direction (so a screen reader says "Íslenska" in Icelandic)."""
    for code in i18n.available_locales():
        link = links.get_by_role("link", name=i18n.language_heading(code), exact=True)
        expect(link).to_have_attribute("lang", code)
        expect(link).to_have_attribute("dir", i18n.text_direction(code))

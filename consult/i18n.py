"""Languages: which ones exist, which one a request gets, and their catalogues."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LOCALE = "en"
LANG_COOKIE = "lang"


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown.

    Lives here, at the bottom of the layers, so that every package can mark its
    messages without importing a package above it.
    """
    return message


@lru_cache(maxsize=1)
def available_locales() -> tuple[str, ...]:
    """The source language plus every language with a catalogue."""
    found = (
        sorted(
            path.name
            for path in LOCALE_DIR.iterdir()
            if (path / "LC_MESSAGES" / "messages.po").exists()
        )
        if LOCALE_DIR.exists()
        else []
    )
    return tuple(dict.fromkeys([SOURCE_LOCALE, *found]))


@lru_cache(maxsize=32)
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of `locale` (the source strings when there is none)."""
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def _supported(tag: str | None) -> str | None:
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    for candidate in (tag, tag.split("-", 1)[0]):
        if candidate in available_locales():
            return candidate
    return None


def negotiate(
    query_lang: str | None, cookie_lang: str | None, accept_language: str | None, default: str
) -> str:
    """Pick a language: an explicit choice, then the browser's wishes, then the default."""
    for explicit in (query_lang, cookie_lang):
        chosen = _supported(explicit)
        if chosen:
            return chosen
    wishes = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wishes.append((quality, tag))
    for _quality, tag in sorted(wishes, key=lambda wish: -wish[0]):
        chosen = _supported(tag)
        if chosen:
            return chosen
    return _supported(default) or SOURCE_LOCALE


@lru_cache(maxsize=32)
def text_direction(locale: str) -> str:
    try:
        return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        return "ltr"


@lru_cache(maxsize=32)
def language_name(locale: str) -> str:
    """The language's own name for itself, as a language switcher shows it."""
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (UnknownLocaleError, ValueError):
        return locale

"""Languages: which ones exist, which one a request gets, their catalogues, and
how each writes numbers, percentages and dates."""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
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
    """The language's own name for itself, as CLDR writes it inside a sentence
    ("íslenska", "suomi", "العربية")."""
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (UnknownLocaleError, ValueError):
        return locale


def language_heading(locale: str) -> str:
    """The language's own name as a list shows it, capitalised: "Íslenska", "Suomi"."""
    name = language_name(locale)
    return name[:1].upper() + name[1:]


# Digits are Latin (0-9) in every language, Arabic and Farsi included: residents
# type Latin digits into number boxes and codes (the forms read only those,
# consult.text_input.is_ascii_number), and a page that printed ١٢ beside a box
# that takes 12 would say two different things. Babel's "latn" numbering system
# keeps each language's own separators ("1 234,5", "1.234,5") with these digits.
DIGITS = "latn"


def format_number(
    value: float, locale: str, *, decimals: int | None = None, sign: bool = False
) -> str:
    """A count or a measure as `locale` writes it: 1,234,567 / 1 234 567 / 1.234.567.

    `decimals` fixes the digits after the separator (a score: 0.25 / 0,25); `sign`
    writes a plus before a positive number too (a sentiment: +0.25 / -0.40).
    """
    if decimals is None and not sign:
        return format_decimal(value, locale=locale, numbering_system=DIGITS)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=locale, numbering_system=DIGITS)


def format_percentage(
    value: float | None, locale: str, *, fraction: bool = False, sign: bool = True
) -> str:
    """A whole percentage as `locale` writes it ("34%", "34 %"); "" for no value.

    `value` runs from 0 to 100, or from 0 to 1 with `fraction`. Without `sign`,
    the number alone (the lower end of a range: "25–59 %").
    """
    if value is None:
        return ""
    share = value if fraction else value / 100
    if not sign:
        return format_number(round(share * 100), locale)
    return babel_percent(share, locale=locale, numbering_system=DIGITS)


def format_long_date(value: date, locale: str) -> str:
    """4 December 2026 / 4. joulukuuta 2026 / 4 ديسمبر 2026."""
    return format_date(value, format="long", locale=locale)


def format_short_date(value: date, locale: str) -> str:
    """Dec 4, 2026 / 4.12.2026 / 4 dec. 2026.

    A month in letters where the language has a short form: an all-digit date
    (12/4/26) reads as different days to readers used to different orders.
    """
    return format_skeleton("yMMMd", value, locale=locale)


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """A stored moment on the service's clock (one without a zone is UTC, as SQLite
    hands them back)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)


def format_date_time(value: date, locale: str, zone: tzinfo) -> str:
    """A moment on the service's clock: Dec 4, 2026, 2:05 PM / 4.12.2026 14.05.
    A date alone is shown as a date."""
    if not isinstance(value, datetime):
        return format_short_date(value, locale)
    moment = in_zone(value, zone)
    pattern = get_datetime_format("medium", locale=locale)
    return pattern.replace("{1}", format_short_date(moment.date(), locale)).replace(
        "{0}", format_time(moment.time(), format="short", locale=locale)
    )

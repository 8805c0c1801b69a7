"""Text and numbers as a person sent them, made safe to store the same way on both
engines. Pure code: no web framework, no ORM.

PostgreSQL refuses a NUL byte in a text column (the request failed with a 500 and
the resident's answers were lost) while SQLite stores it; other control characters
are invisible, break exports and let two identical-looking labels differ. Every
text a form sends is normalised here (consult.web.clean_form, for every form field,
and clean_text where a value is read), so a text is stored alike on either engine.
"""

from __future__ import annotations

import re
import unicodedata

# The C0 controls and DEL, less tab and newline (a carriage return becomes a
# newline first): nothing a person types, and NUL is what PostgreSQL refuses.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The largest id either database stores (PostgreSQL's integer): a bigger one in an
# address or a form names nothing, and asking the database for it would fail.
MAX_ID = 2_147_483_647
# No field of any form needs more (a long answer takes 5,000, a survey file is an
# upload): a longer one is refused whole, before any handler reads it.
FIELD_MAX_CHARS = 100_000


def normalise(value: str) -> str:
    """Text as it may be stored: NFC, every line break a newline, no control
    characters; spaces kept (a password keeps its own)."""
    # Each step only when needed: most values need none, and a survey form sends many.
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_text(value: str) -> str:
    """Text as it is stored: normalised, and trimmed of surrounding spaces."""
    return normalise(value).strip()


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a whole number written with the digits 0-9 only.

    `str.isdigit` also accepts superscripts ("²") and other digits that `int()`
    then refuses: a form field checked with it alone gave a 500.
    """
    return text.isascii() and text.isdigit()


def whole_number(value: object) -> int | None:
    """A whole number (an id, a count) a form field or a query sends, or None
    unless it is 0 to MAX_ID in plain digits: a bigger one would fail on
    PostgreSQL instead of matching nothing."""
    text = str(value or "").strip()
    if not is_ascii_number(text) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None

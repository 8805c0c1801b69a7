"""Names Excel is strict about: sheet names and table column names.

A name Excel does not accept is not an error it reports: it opens the file with a
"We found a problem with some content" repair prompt, or refuses it. So every name
made from a person's words (a question text, a translated label) passes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_SHEET_NAME = 31  # Excel counts UTF-16 code units
MAX_COLUMN_NAME = 255
# Excel forbids these in a sheet name; control and whitespace characters become a
# single space, and names may not start or end with an apostrophe.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
# Excel reserves this sheet name (for tracked changes).
_RESERVED_SHEETS = frozenset({"history"})


def _utf16_prefix(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-16 code units,
    never splitting a character that needs two."""
    if len(text.encode("utf-16-le")) <= 2 * limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class SheetNames:
    """Hands out sheet names that Excel accepts: at most 31 characters, none of
    []:*?/\\, no leading or trailing apostrophe, not empty, not "History", and unique
    ignoring case (a clash gets " (2)", " (3)" ...)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def __call__(self, wanted: str, fallback: str = "Sheet") -> str:
        base = _SPACES.sub(" ", _SHEET_FORBIDDEN.sub(" ", wanted)).strip(" '")
        if not base or base.casefold() in _RESERVED_SHEETS:
            base = fallback
        base = _utf16_prefix(base, MAX_SHEET_NAME).rstrip(" '") or fallback
        name, number = base, 1
        while name.casefold() in self._taken:
            number += 1
            suffix = f" ({number})"
            stem = _utf16_prefix(base, MAX_SHEET_NAME - _utf16_len(suffix)).rstrip(" '")
            name = (stem or fallback) + suffix
        self._taken.add(name.casefold())
        return name


def column_names(labels: Iterable[str]) -> list[str]:
    """Table column names Excel accepts: non-empty, at most 255 characters, no
    control characters, unique ignoring case. The header cells must hold exactly
    these, so the caller writes them as the header row."""
    names: list[str] = []
    taken: set[str] = set()
    for position, label in enumerate(labels, 1):
        base = _CONTROL.sub(" ", label).strip()[:MAX_COLUMN_NAME] or f"Column{position}"
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: MAX_COLUMN_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names

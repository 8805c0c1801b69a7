"""Codebooks as JSON: parse and check an imported file, write one out. Pure code.

A codebook is the planner's list of themes for coding free-text answers. Cities
reuse them across consultations, so the file format is documented and versioned by
its schema (`analysis/codebook.schema.json`, JSON Schema draft 2020-12):

    {"themes": [{"id": "online-hate", "label": "Online hate",
                 "description": "...", "keywords": ["online", "netinu"],
                 "examples": ["People write horrible things about us online."]}]}

`id` and `label` are required; `description`, `keywords` and `examples` may be left
out (they default to empty). A keyword ending in `*` matches any word it starts
(`áreit*` matches "áreitni" and "áreittur"). Anything else in the file is refused
with a message that names the place (`themes[2].keywords[0]: must be text`), so a
bad file stores nothing and the planner knows what to fix.

Messages are marked with `N_` and keep their template and values apart
(`CodebookError.template`, `.params`), so a page can show them translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from consult.i18n import N_
from consult.text_input import clean_text

# Limits; analysis/codebook.schema.json states the same numbers (a test compares).
MAX_FILE_BYTES = 2_000_000
MAX_THEMES = 200
MAX_ID_CHARS = 64
MAX_LABEL_CHARS = 120
MAX_DESCRIPTION_CHARS = 2_000
MAX_KEYWORDS = 100
MAX_KEYWORD_CHARS = 80
MAX_EXAMPLES = 50
MAX_EXAMPLE_CHARS = 2_000
# An id goes into URLs and into the `themes` column of a coded CSV (joined by ";").
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_ID = re.compile(ID_PATTERN)

TOP_FIELDS = ("themes",)
THEME_FIELDS = ("id", "label", "description", "keywords", "examples")
REQUIRED_THEME_FIELDS = ("id", "label")


@dataclass(frozen=True)
class ThemeDef:
    """One theme of a codebook."""

    id: str
    label: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    themes: tuple[ThemeDef, ...] = ()

    def theme(self, theme_id: str) -> ThemeDef | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)


class CodebookError(ValueError):
    """A codebook file that cannot be used, with the place and the reason."""

    def __init__(self, place: str, template: str, **params: object) -> None:
        self.place = place
        self.template = template
        self.params = params
        super().__init__(self.render())

    def render(self, gettext: Callable[[str], str] = str) -> str:
        """The message, translated by `gettext` (English without one)."""
        message = gettext(self.template).format(**self.params)
        return f"{self.place}: {message}" if self.place else message


class _Object(dict[str, Any]):
    """A JSON object that remembers keys it was given more than once."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    seen: set[str] = set()
    repeated = []
    for key, _ in pairs:
        if key in seen:
            repeated.append(key)
        seen.add(key)
    result.repeated = tuple(repeated)
    return result


def _load(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise CodebookError(
                "", N_("the file is larger than {limit} bytes"), limit=MAX_FILE_BYTES
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CodebookError(
                "", N_("the file is not UTF-8 text (byte {position})"), position=error.start
            ) from None
    elif len(data.encode("utf-8")) > MAX_FILE_BYTES:
        raise CodebookError("", N_("the file is larger than {limit} bytes"), limit=MAX_FILE_BYTES)
    data = data.removeprefix("\ufeff")
    try:
        return json.loads(data, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise CodebookError(
            "",
            N_("line {line}, column {column}: not valid JSON ({reason})"),
            line=error.lineno,
            column=error.colno,
            reason=error.msg,
        ) from None
    except RecursionError:
        raise CodebookError("", N_("the file is nested too deeply")) from None


def _fields(
    value: object, place: str, allowed: tuple[str, ...], required: tuple[str, ...]
) -> _Object:
    if not isinstance(value, _Object):
        if not place:
            raise CodebookError("", N_('the file must hold a JSON object with a "themes" list'))
        raise CodebookError(place, N_("must be an object"))
    if value.repeated:
        raise CodebookError(place, N_("field '{field}' is given twice"), field=value.repeated[0])
    for key in value:
        if key not in allowed:
            raise CodebookError(
                place,
                N_("unknown field '{field}' (expected one of: {allowed})"),
                field=key,
                allowed=", ".join(allowed),
            )
    for key in required:
        if key not in value:
            raise CodebookError(place, N_("field '{field}' is missing"), field=key)
    return value


def _text(value: object, place: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise CodebookError(place, N_("must be text"))
    # As a form's text is stored: PostgreSQL refuses a NUL byte (a 500 on import).
    text = clean_text(value)
    if required and not text:
        raise CodebookError(place, N_("must not be empty"))
    if len(text) > limit:
        raise CodebookError(place, N_("is longer than {limit} characters"), limit=limit)
    return text


def _texts(value: object, place: str, most: int, limit: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise CodebookError(place, N_("must be a list"))
    if len(value) > most:
        raise CodebookError(place, N_("has more than {limit} entries"), limit=most)
    texts: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        text = _text(item, f"{place}[{index}]", limit, required=True)
        folded = text.casefold()
        if folded in seen:
            raise CodebookError(
                f"{place}[{index}]", N_("repeats entry {index}"), index=seen[folded]
            )
        seen[folded] = index
        texts.append(text)
    return tuple(texts)


def _theme(value: object, place: str) -> ThemeDef:
    fields = _fields(value, place, THEME_FIELDS, REQUIRED_THEME_FIELDS)
    theme_id = _text(fields["id"], f"{place}.id", MAX_ID_CHARS, required=True)
    if not _ID.match(theme_id):
        raise CodebookError(
            f"{place}.id",
            N_(
                "may hold only letters A-Z, digits, '-', '_' and '.', and starts with a letter"
                " or digit"
            ),
        )
    return ThemeDef(
        id=theme_id,
        label=_text(fields["label"], f"{place}.label", MAX_LABEL_CHARS, required=True),
        description=_text(
            fields.get("description", ""),
            f"{place}.description",
            MAX_DESCRIPTION_CHARS,
            required=False,
        ),
        keywords=_texts(
            fields.get("keywords", []), f"{place}.keywords", MAX_KEYWORDS, MAX_KEYWORD_CHARS
        ),
        examples=_texts(
            fields.get("examples", []), f"{place}.examples", MAX_EXAMPLES, MAX_EXAMPLE_CHARS
        ),
    )


def parse_codebook(data: bytes | str) -> Codebook:
    """The codebook in a JSON file, checked in full; `CodebookError` says what is wrong."""
    top = _fields(_load(data), "", TOP_FIELDS, TOP_FIELDS)
    themes = top["themes"]
    if not isinstance(themes, list):
        raise CodebookError("themes", N_("must be a list"))
    if len(themes) > MAX_THEMES:
        raise CodebookError("themes", N_("has more than {limit} themes"), limit=MAX_THEMES)
    parsed: list[ThemeDef] = []
    first: dict[str, int] = {}
    for index, value in enumerate(themes):
        theme = _theme(value, f"themes[{index}]")
        # Ids are compared without case: "Online-hate" and "online-hate" would be
        # the same theme to a planner, and to a case-insensitive database collation.
        folded = theme.id.casefold()
        if folded in first:
            raise CodebookError(
                f"themes[{index}].id",
                N_("'{id}' is already the id of themes[{other}]"),
                id=theme.id,
                other=first[folded],
            )
        first[folded] = index
        parsed.append(theme)
    return Codebook(tuple(parsed))


def codebook_data(codebook: Codebook) -> dict[str, list[dict[str, object]]]:
    """The codebook as plain JSON-ready values, every field written out."""
    return {
        "themes": [
            {
                "id": theme.id,
                "label": theme.label,
                "description": theme.description,
                "keywords": list(theme.keywords),
                "examples": list(theme.examples),
            }
            for theme in codebook.themes
        ]
    }


def dump_codebook(codebook: Codebook) -> str:
    """The codebook as JSON text that `parse_codebook` reads back to the same value."""
    return json.dumps(codebook_data(codebook), ensure_ascii=False, indent=2) + "\n"

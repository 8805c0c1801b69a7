"""The stylesheets lay out in logical directions only, so Arabic and Farsi mirror.

A physical left or right (margin-left, float: right, text-align: left, left: 0,
a four-value margin whose right and left differ) stays on the same side in a
right-to-left page and breaks the mirror. Each stylesheet is read declaration by
declaration: comments and quoted strings cannot make or hide a finding.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consult.templating import STATIC_DIR

STYLESHEETS = sorted(path.name for path in STATIC_DIR.glob("*.css"))
# A property named after a side: margin-left, border-right-color, left, right,
# border-top-left-radius, scroll-padding-right ...
PHYSICAL_NAME = re.compile(r"(^|-)(left|right)(-|$)")
# Properties whose value may name a side.
SIDE_VALUES = frozenset({"float", "clear", "text-align", "text-align-last", "caption-side"})
SIDE_WORD = re.compile(r"\b(left|right)\b")
# Shorthands of four sides: top, right, bottom, left.
BOX_SHORTHANDS = frozenset(
    {
        "margin",
        "padding",
        "inset",
        "border-width",
        "border-style",
        "border-color",
        "scroll-margin",
        "scroll-padding",
    }
)


def declarations(css: str) -> list[tuple[int, str, str]]:
    """(line, property, value) of every declaration, at any depth of @media."""
    found: list[tuple[int, str, str]] = []
    buffer: list[str] = []
    line = start_line = 1
    index = 0
    while index < len(css):
        character = css[index]
        if css.startswith("/*", index):
            end = css.find("*/", index + 2)
            end = len(css) if end < 0 else end + 2
            line += css.count("\n", index, end)
            index = end
            buffer.append(" ")
            continue
        if character in "\"'":
            end = index + 1
            while end < len(css) and css[end] != character:
                end += 2 if css[end] == "\\" else 1
            buffer.append(css[index : end + 1])
            line += css.count("\n", index, end + 1)
            index = end + 1
            continue
        if character in "{};":
            text = "".join(buffer).strip()
            # Before "{" stands a selector or an at-rule's prelude, never a declaration.
            if character != "{" and ":" in text and not text.startswith("@"):
                name, _, value = text.partition(":")
                found.append((start_line, name.strip().lower(), value.strip()))
            buffer = []
        else:
            if not "".join(buffer).strip() and not character.isspace():
                start_line = line
            buffer.append(character)
        line += character == "\n"
        index += 1
    return found


def _without_strings(value: str) -> str:
    return re.sub(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", '""', value)


def _sides(value: str) -> list[str]:
    """The space-separated parts of a value, functions such as calc() kept whole."""
    parts: list[str] = []
    depth = 0
    current = ""
    for character in value.replace("!important", ""):
        depth += character == "("
        depth -= character == ")"
        if character.isspace() and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += character
    return [*parts, current] if current else parts


def physical(name: str, value: str) -> str | None:
    """Why a declaration is physical, or None when it mirrors."""
    if name.startswith("--"):
        return None  # a custom property: where it is used is what counts
    if PHYSICAL_NAME.search(name):
        return f"{name} names a side (use its logical form: inline-start, start-end ...)"
    words = _without_strings(value).lower()
    if name in SIDE_VALUES and SIDE_WORD.search(words):
        return f"{name}: {value} names a side (use start/end or inline-start/inline-end)"
    if name in BOX_SHORTHANDS:
        sides = _sides(words)
        if len(sides) == 4 and sides[1] != sides[3]:
            return f"{name}: {value} gives right and left different values (use -block and -inline)"
    return None


def findings(css: str) -> list[str]:
    return [
        f"line {line}: {why}"
        for line, name, value in declarations(css)
        if (why := physical(name, value)) is not None
    ]


@pytest.mark.parametrize("name", STYLESHEETS)
def test_stylesheet_uses_logical_directions_only(name: str):
    found = findings((Path(STATIC_DIR) / name).read_text(encoding="utf-8"))
    assert not found, f"consult/static/{name}:\n" + "\n".join(found)


def test_the_check_reads_declarations_not_comments_or_strings():
    css = """
    /* margin-left: 1rem; float: left */
    .a { content: "float: left; margin-right: 0"; margin-inline-start: 1rem; }
    @media (min-width: 40rem) {
      .b:hover { float: right; }
      .c { padding: 0 1rem 0 2rem; margin: 0 1rem; inset-inline-start: 0; }
    }
    .d { text-align: left }
    .e { left: 0; border-top-right-radius: 2px; margin: 0 calc(1rem + 2px) 1rem calc(1rem + 2px); }
    """
    assert findings(css) == [
        "line 5: float: right names a side (use start/end or inline-start/inline-end)",
        "line 6: padding: 0 1rem 0 2rem gives right and left different values "
        "(use -block and -inline)",
        "line 8: text-align: left names a side (use start/end or inline-start/inline-end)",
        "line 9: left names a side (use its logical form: inline-start, start-end ...)",
        "line 9: border-top-right-radius names a side "
        "(use its logical form: inline-start, start-end ...)",
    ]


def test_every_stylesheet_is_checked():
    assert "consult.css" in STYLESHEETS
    assert len(STYLESHEETS) >= 6

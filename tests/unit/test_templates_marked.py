"""Every template text a person can read is marked for translation.

Each template is lexed with the app's own Jinja environment. What Jinja prints
(`{{ ... }}`), its tags and whole `{% trans %}` blocks are replaced by a
placeholder that is not a letter; the literal text left is parsed as HTML, and a
text node or a user-visible attribute value with a letter in it was written in
English for everyone: it fails, named with its file and line.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from consult.templating import TEMPLATE_DIR, make_environment

# Stands where Jinja puts something in: a private-use character, not a letter.
HOLE = "\ue000"
# Attributes a person reads or hears (a screen reader says labels and titles).
READ_ATTRIBUTES = frozenset(
    {
        "title",
        "alt",
        "placeholder",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
        "aria-placeholder",
        "label",
    }
)
# A submit input's value is its label; other values (a <button>'s too, whose label is
# its content) are sent with the form and never shown.
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
# Text inside these is code or drawing instructions, never shown as words.
NOT_READ = frozenset({"script", "style"})
# Text that is the same in every language, each with why. Kept short on purpose:
# symbols and entities (·, –, ×, &nbsp;) have no letter and need no entry.
# None is needed today (the brand name is marked, so a catalogue may transliterate it).
ALLOWED: frozenset[str] = frozenset()


def is_words(text: str) -> bool:
    """Whether a text with letters is words a person reads (not markup or an address)."""
    if text in ALLOWED:
        return False
    # A macro that writes attributes into the tag that calls it (`aria-describedby="..."`,
    # `autofocus`): a piece of a tag, seen out of place. No sentence holds `="`.
    if '="' in text:
        return False
    # An address printed as itself (/c/slug), the same in every language.
    return not (text.startswith("/") and " " not in text)


_environment = make_environment()
TEMPLATES = sorted(
    path.relative_to(TEMPLATE_DIR).as_posix() for path in TEMPLATE_DIR.rglob("*.html")
)


def literal_text(source: str) -> str:
    """The template with everything Jinja makes replaced by HOLE: what is left is
    text no translation call made. Lines stay where they were in the template."""
    out: list[str] = []
    line = 1
    in_trans = 0
    tag_name: str | None = None
    after_block_begin = False
    for lineno, kind, value in _environment.lex(source):
        if lineno > line:
            # Keep the template's line numbers for the parser's positions.
            out.append("\n" * (lineno - line))
            line = lineno
        if kind == "block_begin":
            after_block_begin, tag_name = True, None
        elif after_block_begin and kind != "whitespace":
            tag_name, after_block_begin = value, False
        if kind == "block_end":
            if tag_name == "trans":
                in_trans += 1
            elif tag_name == "endtrans":
                in_trans -= 1
            out.append(HOLE)
        elif kind == "variable_end":
            out.append(HOLE)
        elif kind == "data" and not in_trans:
            out.append(value)
            line += value.count("\n")
    return "".join(out)


class _Reader(HTMLParser):
    """Collects the text a person reads that has a letter in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[tuple[int, str]] = []

    def _note(self, text: str) -> None:
        cleaned = " ".join(text.replace(HOLE, " ").split())
        if not any(character.isalpha() for character in cleaned) or not is_words(cleaned):
            return
        # The line of the first letter, not of the run of holes and blanks before it.
        first = next(index for index, character in enumerate(text) if character.isalpha())
        self.found.append((self.getpos()[0] + text.count("\n", 0, first), cleaned))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            ):
                self._note(value)
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(tag in NOT_READ for tag in self.open):
            self._note(data)


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, text) of each readable text in a template not marked for translation."""
    reader = _Reader()
    reader.feed(literal_text(source))
    reader.close()
    return reader.found


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_readable_text_is_marked_for_translation(name: str):
    found = unmarked((TEMPLATE_DIR / name).read_text(encoding="utf-8"))
    assert not found, f"templates/{name}: text not marked for translation: " + "; ".join(
        f"line {line}: {text!r}" for line, text in found
    )


def test_the_check_finds_unmarked_text_and_attributes():
    source = (
        '<p>Hello {{ name }}</p><a title="Open it" href="/x">{{ _("Go") }}</a>'
        '<input type="submit" value="Send"><input type="text" value="data">'
        '<script>var words = "not read";</script>{# a comment #}'
        "{% trans %}Marked {{ x }}{% endtrans %}<button>{{ _('Yes') }} ·</button>"
    )
    assert unmarked(source) == [(1, "Hello"), (1, "Open it"), (1, "Send")]

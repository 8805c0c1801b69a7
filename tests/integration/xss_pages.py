"""Reading pages as a browser would, for tests/integration/test_xss: the forms a
page offers (to fill them in like a person), and whether text a person typed
became markup.

Both parse with the standard library's html.parser, which builds elements and
attributes the way a browser's tokenizer does for the cases that matter here: an
escaped payload is text (or an attribute's value); an unescaped one is an element,
an attribute, a script body or a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.data.xss_payloads import MARKER_PREFIX

MARKER = re.compile(MARKER_PREFIX + r"\d{3}")
# Attributes whose value may hold text a person typed, shown as text: a form
# field's value, a tooltip, an accessible name. Anywhere else (an address, an
# id, a class, an event handler, an htmx attribute, a style, a meta refresh's
# content) a payload's marker means the payload wrote the attribute.
TEXT_ATTRIBUTES = frozenset({"value", "title", "aria-label", "alt", "placeholder"})


@dataclass
class Form:
    """One <form>: where it goes and its fields in document order."""

    action: str
    method: str
    enctype: str
    # (kind, name, value, checked); kind is "text", "textarea", "hidden",
    # "radio", "checkbox", "select" (value: the chosen option's), "file",
    # "password" or "keep" (any other input).
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(
                found.get("action", ""),
                found.get("method", "get").lower(),
                found.get("enctype", ""),
            )
            self.forms.append(self._form)
        if tag == "option" and self._select is not None:
            value = found.get("value", "")
            self._select[1].append(value)
            if "selected" in found:
                self._select[2].append(value)
        if self._form is None or "name" not in found:
            return
        name = found["name"]
        if tag == "input":
            kind = found.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("text", "search", "email", "tel", "url"):
                kind = "text"
            elif kind not in ("hidden", "radio", "checkbox", "file", "password"):
                kind = "keep"  # a date, a time, a number: left as the page has it
            self._form.fields.append((kind, name, found.get("value", ""), "checked" in found))
        elif tag == "textarea":
            self._textarea = (name, [])
        elif tag == "select":
            self._select = (name, [], [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea and self._form:
            name, parts = self._textarea
            self._form.fields.append(("textarea", name, "".join(parts), False))
            self._textarea = None
        elif tag == "select" and self._select and self._form:
            name, values, chosen = self._select
            first = next((value for value in values if value), "")
            # A person picks something where the page offers only "Choose …".
            picked = chosen[0] if chosen and chosen[0] else first
            self._form.fields.append(("select", name, picked, False))
            self._select = None


def forms_of(page: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(page)
    reader.close()
    return reader.forms


def form_to(page: str, action: str, where: dict[str, str] | None = None) -> Form:
    """The page's form that posts to `action` (its path, without a #fragment);
    with `where`, the one whose fields hold those names and values ("" for any
    value)."""
    for form in forms_of(page):
        if form.action.split("#", 1)[0] != action or form.method != "post":
            continue
        held = {(name, value) for _kind, name, value, _checked in form.fields}
        names = {name for name, _value in held}
        if all(
            (name, value) in held or (not value and name in names)
            for name, value in (where or {}).items()
        ):
            return form
    offered = [form.action for form in forms_of(page)]
    raise AssertionError(f"no form posts to {action}; the page offers {offered}")


class _MarkupFinder(HTMLParser):
    """Collects every place where a payload marker is live markup."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []
        self._raw: str | None = None  # inside <script> or <style>
        self.text: list[str] = []

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if MARKER.search(name):
            self.live.append(f"<{tag} {name}=…>: an attribute named by a payload")
            return
        if not MARKER.search(value) or name in TEXT_ATTRIBUTES:
            return
        self.live.append(f"<{tag} {name}={value[:80]!r}>: a payload in a live attribute")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if MARKER.search(tag):
            self.live.append(f"<{tag}>: an element named by a payload")
        for name, value in attrs:
            self._attribute(tag, name, value or "")
        if tag in ("script", "style"):
            self._raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw is not None and MARKER.search(data):
            self.live.append(f"<{self._raw}>{data[:80]!r}: a payload inside a {self._raw}")
        elif self._raw is None:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        if MARKER.search(data):
            self.live.append(f"<!--{data[:80]!r}-->: a payload became a comment")


@dataclass(frozen=True)
class Reading:
    """What a page did with the payloads: where one became markup, which markers
    it shows (as text or in a text attribute), and the text a person reads."""

    live: list[str]
    markers: set[str]
    text: str


def read_page(page: str) -> Reading:
    finder = _MarkupFinder()
    finder.feed(page)
    finder.close()
    text = "".join(finder.text)
    return Reading(finder.live, set(MARKER.findall(page)), text)

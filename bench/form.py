"""Reading an HTML form the way a browser would, and filling it in validly."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus

# The field a POST must vary: the app stores each idempotency key only once.
IDEMPOTENCY_FIELD = "idempotency_key"
FREE_TEXT_ANSWER = "More youth workers in the evenings, and better lighting at bus stops."
NUMBER_ANSWER = "7"


@dataclass
class FormInput:
    name: str
    kind: str  # input type ("hidden", "radio", "checkbox", "text", ...) or "textarea"
    value: str
    inputmode: str = ""


@dataclass
class HtmlForm:
    action: str = ""
    inputs: list[FormInput] = field(default_factory=list)


class _FormReader(HTMLParser):
    """Collects the first <form> of a page: its action and its named controls."""

    def __init__(self) -> None:
        super().__init__()
        self.form: HtmlForm | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = HtmlForm(action=attributes.get("action", ""))
        elif self.form is not None and not self._done and "name" in attributes:
            if tag == "input":
                kind = attributes.get("type", "text")
                self.form.inputs.append(
                    FormInput(
                        attributes["name"],
                        kind,
                        attributes.get("value", ""),
                        attributes.get("inputmode", ""),
                    )
                )
            elif tag == "textarea":
                self.form.inputs.append(FormInput(attributes["name"], "textarea", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self._done = True


def read_form(html: str) -> HtmlForm:
    reader = _FormReader()
    reader.feed(html)
    if reader.form is None:
        raise ValueError("the page has no form")
    return reader.form


def filled_in(form: HtmlForm) -> list[tuple[str, str]]:
    """One valid answer per question: the first choice of each list, text in text
    boxes, a number where the box asks for one. (Selects, such as a ranking's, are
    left alone: a ranking is optional.)

    Hidden fields keep their values (the CSRF token among them), except the
    idempotency key, which the caller supplies afresh for every POST.
    """
    pairs: list[tuple[str, str]] = []
    answered: set[str] = set()
    for control in form.inputs:
        if control.name == IDEMPOTENCY_FIELD or control.name in answered:
            continue
        if control.kind in ("hidden", "radio", "checkbox"):
            pairs.append((control.name, control.value))
        elif control.kind in ("text", "textarea"):
            numeric = control.inputmode == "numeric"
            pairs.append((control.name, NUMBER_ANSWER if numeric else FREE_TEXT_ANSWER))
        else:
            continue  # buttons and the like send nothing we need
        answered.add(control.name)
    return pairs


def encode(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs).encode(
        "ascii"
    )


def encode_without_key(pairs: list[tuple[str, str]]) -> bytes:
    """The urlencoded body up to the idempotency key, which is appended per POST."""
    return encode(pairs) + f"&{IDEMPOTENCY_FIELD}=".encode("ascii")


def answer_atoms(form: HtmlForm) -> int:
    """How many Answer rows the "Check your answers" form stores: one per value of a
    question's field (q12, q12-s3 for a matrix row, q12-r4 for a rank), none for the
    text beside an "Other" that was not chosen."""
    return sum(
        1
        for control in form.inputs
        if control.kind == "hidden"
        and control.name.startswith("q")
        and not control.name.endswith("-other")
    )

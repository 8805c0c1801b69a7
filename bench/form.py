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
    kind: str  # input type ("hidden", "radio", "checkbox", "text", ...), "textarea", "select"
    value: str
    inputmode: str = ""
    exclusive: bool = False  # a "Prefer not to say" box, to be ticked on its own
    options: list[str] = field(default_factory=list)  # a select's option values


@dataclass
class HtmlForm:
    action: str = ""
    inputs: list[FormInput] = field(default_factory=list)
    # How many "(optional)" marks the form shows: one per question that may be skipped.
    optional_marks: int = 0


class _FormReader(HTMLParser):
    """Collects the first <form> of a page: its action and its named controls."""

    def __init__(self) -> None:
        super().__init__()
        self.form: HtmlForm | None = None
        self._done = False
        self._select: FormInput | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            self.form = HtmlForm(action=attributes.get("action", ""))
            return
        if self.form is None or self._done:
            return
        if tag == "span" and "optional" in attributes.get("class", "").split():
            self.form.optional_marks += 1
        elif tag == "option" and self._select is not None:
            self._select.options.append(attributes.get("value", ""))
        elif "name" not in attributes:
            return
        elif tag == "input":
            self.form.inputs.append(
                FormInput(
                    attributes["name"],
                    attributes.get("type", "text"),
                    attributes.get("value", ""),
                    attributes.get("inputmode", ""),
                    exclusive=attributes.get("data-exclusive") == "true",
                )
            )
        elif tag == "textarea":
            self.form.inputs.append(FormInput(attributes["name"], "textarea", ""))
        elif tag == "select":
            self._select = FormInput(attributes["name"], "select", "")
            self.form.inputs.append(self._select)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self._done = True
        elif tag == "select":
            self._select = None


def read_form(html: str) -> HtmlForm:
    reader = _FormReader()
    reader.feed(html)
    if reader.form is None:
        raise ValueError("the page has no form")
    return reader.form


def is_question_field(name: str) -> bool:
    """q12, q12-s3 (a matrix row), q12-r4 (a rank), q12-other: a question's answer.
    Anything else (the CSRF token, the honeypot a person never fills) is not."""
    return name.startswith("q") and name[1:].split("-", 1)[0].isdigit()


def filled_in(form: HtmlForm) -> list[tuple[str, str]]:
    """The plainest valid answer to each question: the first choice of each list,
    text in text boxes, a number where the box asks for one. (Selects, such as a
    ranking's, are left alone: a ranking is optional.) What bench.answers falls
    back on when its varied answers meet an error.

    Hidden fields keep their values (the CSRF token among them), except the
    idempotency key, which the caller supplies afresh for every POST. A text box
    that is no question's (the honeypot) is sent empty, as a person leaves it.
    """
    pairs: list[tuple[str, str]] = []
    answered: set[str] = set()
    for control in form.inputs:
        if control.name == IDEMPOTENCY_FIELD or control.name in answered:
            continue
        if control.kind in ("hidden", "radio", "checkbox"):
            pairs.append((control.name, control.value))
        elif control.kind in ("text", "textarea") and not is_question_field(control.name):
            pairs.append((control.name, ""))
        elif control.kind in ("text", "textarea"):
            numeric = control.inputmode == "numeric"
            pairs.append((control.name, NUMBER_ANSWER if numeric else FREE_TEXT_ANSWER))
        else:
            continue  # selects, buttons and the like: nothing we need
        answered.add(control.name)
    return pairs


def encode(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs).encode(
        "ascii"
    )

"""Reading the languages form and the translation editor's form: values kept for
the page again, what is wrong, and never a field name the page did not offer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import FormMultiDict
from litestar.exceptions import ClientException

from consult.i18n import N_, available_locales
from consult.tables import Consultation
from consult.web import form_text
from surveys import languages
from surveys.translations import SourceText

UNKNOWN_LANGUAGE = N_("Choose a language from the list.")
REPORTING_NOT_CHOSEN = N_(
    "Choose the main language or one of the languages the consultation is translated into."
)
MAIN_LOCKED = N_(
    "People have answered this consultation, so its main language can no longer change: "
    "their answers and the texts of its surveys are stored in it."
)
TOO_LONG = N_("Enter up to %(limit)s characters.")
# Fields of the editor's form that are not texts.
_EDITOR_CONTROLS = frozenset({"_csrf_token", "missing"})


@dataclass
class LanguageForm:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    choice: languages.LanguageChoice | None = None


def read_languages(form: FormMultiDict, consultation: Consultation) -> LanguageForm:
    """The languages form as sent. A form without a main language (the page leaves
    it out once people have answered) keeps the one there is."""
    known = available_locales()
    main = form_text(form, "main_locale") or consultation.default_locale
    others = [str(code) for code in form.getall("others", []) if isinstance(code, str)]
    reporting = form_text(form, "reporting_locale")
    checked = LanguageForm({"main_locale": main, "others": others, "reporting_locale": reporting})
    if main not in known:
        checked.errors["main_locale"] = UNKNOWN_LANGUAGE
    if any(code not in known for code in others):
        checked.errors["others"] = UNKNOWN_LANGUAGE
    chosen = {main, *others}
    if reporting and reporting not in chosen:
        checked.errors["reporting_locale"] = REPORTING_NOT_CHOSEN
    if not checked.errors:
        checked.choice = languages.LanguageChoice(
            main=main,
            others=tuple(code for code in others if code != main),
            reporting="" if reporting == main else reporting,
        )
    return checked


@dataclass
class TextsForm:
    """What the editor's boxes hold as sent, and the fields past their limit
    (field -> its limit)."""

    values: dict[str, str]
    too_long: dict[str, int] = field(default_factory=dict)


def read_texts(form: FormMultiDict, offered: Mapping[str, SourceText]) -> TextsForm:
    """Every box sent. A field name the page does not offer (another consultation's
    text, a made-up one, a main-language text) refuses the whole form with 400."""
    values: dict[str, str] = {}
    for name in dict.fromkeys(form.keys()):
        if name in _EDITOR_CONTROLS:
            continue
        text = offered.get(name)
        if text is None:
            raise ClientException("a field the editor does not offer")
        typed = form_text(form, name)
        # A one-line text stays one line, whatever a hand-made form sends.
        values[name] = typed if text.long else " ".join(typed.split())
    checked = TextsForm(values)
    for name, typed in values.items():
        if len(typed) > (limit := languages.limit_of(name)):
            checked.too_long[name] = limit
    return checked

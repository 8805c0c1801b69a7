"""A survey as every export reads it: its texts in the consultation's reporting
language (`Consultation.reporting_locale`), a missing translation shown in the main
language and listed, so that a report never has an empty label.

One query for the whole export (surveys.translations.texts_of), none per question
or per row: the translated SurveySpec then goes wherever the plain one went
(results, cross-tabs, indicators, the response rows' option labels), so every
figure keeps its meaning and only the words change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from consult.tables import Consultation
from surveys.flow import SurveySpec
from surveys.languages import reporting_locale
from surveys.question_types import QuestionSpec
from surveys.translations import (
    CONSULTATION_TEXTS,
    field_name,
    texts_of,
    translate_consultation,
    translate_spec,
)


@lru_cache(maxsize=256)
def language_in(code: str, locale: str) -> str:
    """A language's name in the reader's language ("Icelandic" in an English export,
    "Islanti" in a Finnish one), capitalised: it starts a cell or a list item. An
    unknown code is left as it is."""
    try:
        name = Locale.parse(code).get_display_name(locale) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class ReportingTexts:
    """The survey and its consultation's own texts, in the language they are reported in."""

    survey: SurveySpec
    locale: str  # the language the texts are in
    main_locale: str  # the language they were written in (the fallback)
    # The consultation's title, run_by, purpose and data_use, in `locale`.
    consultation: dict[str, str] = field(default_factory=dict)
    # Every field shown in the main language for want of a translation.
    fallbacks: frozenset[str] = frozenset()

    @property
    def translated(self) -> bool:
        """The texts are in a language other than the one they were written in."""
        return self.locale != self.main_locale

    def locale_of(self, field: str) -> str:
        """The language the text `field` is in: the reporting language, or the main
        one where it has no translation (for a `lang` attribute)."""
        return self.main_locale if field in self.fallbacks else self.locale

    def question_locale(self, question: QuestionSpec) -> str:
        return self.locale_of(field_name("question", question.id, "text"))

    def question_fallbacks(self, question: QuestionSpec) -> tuple[str, ...]:
        """The texts of `question` an export shows (its text, unit, statements and
        options) that are in the main language, as that language has them."""
        return tuple(text for name, text in shown_texts(question) if name in self.fallbacks)

    def untranslated(self) -> int:
        """How many of the texts an export shows are in the main language: the
        consultation's title, who runs it and why, the survey's title and what each
        question shows (its help, the introduction and consent are not exported)."""
        shown = {field_name("consultation", None, a) for a in ("title", "run_by", "purpose")}
        shown.add(field_name("survey", self.survey.id, "title"))
        shown.update(name for q in self.survey.questions for name, _text in shown_texts(q))
        return len(shown & self.fallbacks)


def shown_texts(question: QuestionSpec) -> Iterator[tuple[str, str]]:
    """(field, text) of each text of `question` an export shows."""
    yield field_name("question", question.id, "text"), question.text
    if question.unit:
        yield field_name("question", question.id, "unit"), question.unit
    for statement in question.statements:
        yield field_name("statement", statement.id, "text"), statement.text
    for option in question.options:
        yield field_name("option", option.id, "label"), option.label


async def reporting_texts(spec: SurveySpec, consultation: Consultation) -> ReportingTexts:
    """The survey as an export shows it; in the main language nothing is read."""
    main = consultation.default_locale
    locale = reporting_locale(consultation)
    own = {attr: getattr(consultation, attr) for attr in CONSULTATION_TEXTS}
    if locale == main:
        return ReportingTexts(spec, main, main, own)
    texts = await texts_of(consultation.id, locale)
    survey = translate_spec(spec, texts, locale=locale, main_locale=main)
    shown, missing = translate_consultation(consultation, texts, locale=locale)
    return ReportingTexts(survey, locale, main, shown, survey.fallbacks | missing)

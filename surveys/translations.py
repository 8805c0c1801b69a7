"""A consultation's texts in every language: translations, easy-read versions, fallbacks.

Texts are written in the consultation's main language (`Consultation.default_locale`)
in the survey's own tables. Every other language, and every easy-read version (the
main language's too), is a `ContentTranslation` row named by a field:

    consultation.title          consultation.run_by   consultation.purpose   consultation.data_use
    survey.12.title             survey.12.intro       survey.12.consent_text
    question.34.text            question.34.help      question.34.unit
    option.56.label             statement.7.text
    survey.12.intro.easy        survey.12.consent_text.easy        question.34.help.easy

A respondent reading language L sees, for each text: its easy-read version in L when
they asked for easy read and one exists, else its translation into L, else the main
language's text, which is then listed in `SurveySpec.fallbacks` so that the page can
say so (and mark it with the main language's `lang`) instead of showing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from consult.cache import TimedCache
from consult.database import write_transaction
from consult.i18n import N_
from consult.tables import Consultation, ContentTranslation
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec

EASY = ".easy"
CONSULTATION_TEXTS = ("title", "run_by", "purpose", "data_use")
# The texts that may have an easy-read version: what a person reads to decide
# whether and how to take part, and the help beside a question.
EASY_READ_TEXTS = frozenset({"intro", "consent_text", "help"})


def field_name(kind: str, object_id: int | None, attr: str, easy: bool = False) -> str:
    """`field_name("question", 34, "help", easy=True)` -> "question.34.help.easy"."""
    name = f"{kind}.{attr}" if object_id is None else f"{kind}.{object_id}.{attr}"
    return name + EASY if easy else name


@dataclass(frozen=True)
class SourceText:
    """One text a translator works on: where it is, and what it says in the main language."""

    field: str
    # What the text is, for the editor's label ("Question 3", "Answer").
    label: str
    text: str
    # Long texts get a text area; labels and titles a one-line box.
    long: bool = False
    easy: bool = False


def _survey_texts(spec: SurveySpec) -> Iterator[SourceText]:
    yield SourceText(field_name("survey", spec.id, "title"), N_("Survey title"), spec.title)
    for attr, label, text in (
        ("intro", N_("Introduction"), spec.intro),
        ("consent_text", N_("Consent text"), spec.consent_text),
    ):
        if text:
            yield SourceText(field_name("survey", spec.id, attr), label, text, long=True)
    for question in spec.questions:
        yield from _question_texts(question)


def _question_texts(question: QuestionSpec) -> Iterator[SourceText]:
    yield SourceText(
        field_name("question", question.id, "text"), N_("Question"), question.text, True
    )
    if question.help:
        yield SourceText(
            field_name("question", question.id, "help"), N_("Help text"), question.help, True
        )
    if question.unit:
        yield SourceText(field_name("question", question.id, "unit"), N_("Unit"), question.unit)
    for statement in question.statements:
        yield SourceText(
            field_name("statement", statement.id, "text"), N_("Statement"), statement.text
        )
    for option in question.options:
        yield SourceText(field_name("option", option.id, "label"), N_("Answer"), option.label)


def source_texts(consultation: Consultation, specs: Iterable[SurveySpec]) -> list[SourceText]:
    """Every text of a consultation a respondent can read, in the order they meet it."""
    texts = [
        SourceText(field_name("consultation", None, attr), label, getattr(consultation, attr), long)
        for attr, label, long in (
            ("title", N_("Consultation title"), False),
            ("run_by", N_("Run by"), False),
            ("purpose", N_("Purpose"), True),
            ("data_use", N_("What happens to the answers"), True),
        )
        if getattr(consultation, attr)
    ]
    for spec in specs:
        texts.extend(_survey_texts(spec))
    return texts


def easy_read_texts(texts: Iterable[SourceText]) -> list[SourceText]:
    """The easy-read slot of each text that can have one."""
    return [
        replace(text, field=text.field + EASY, easy=True)
        for text in texts
        if text.field.rsplit(".", 1)[-1] in EASY_READ_TEXTS
    ]


async def texts_of(consultation_id: int, locale: str) -> dict[str, str]:
    """field -> text of every translation (and easy-read version) stored in `locale`."""
    rows = await ContentTranslation.select(ContentTranslation.field, ContentTranslation.text).where(
        (ContentTranslation.consultation == consultation_id) & (ContentTranslation.locale == locale)
    )
    return {row["field"]: row["text"] for row in rows}


async def save_texts(consultation_id: int, locale: str, values: Mapping[str, str]) -> None:
    """Store what a translator typed: a text replaces the stored one, an emptied box
    removes it (the main language shows again), fields not sent stay as they are."""
    now = datetime.now(UTC)
    emptied = [field for field, text in values.items() if not text.strip()]
    typed = {field: text.strip() for field, text in values.items() if text.strip()}
    async with write_transaction():
        if emptied:
            await ContentTranslation.delete().where(
                (ContentTranslation.consultation == consultation_id)
                & (ContentTranslation.locale == locale)
                & ContentTranslation.field.is_in(emptied)
            )
        for field, text in typed.items():
            await ContentTranslation.insert(
                ContentTranslation(
                    consultation=consultation_id,
                    locale=locale,
                    field=field,
                    text=text,
                    updated_at=now,
                )
            ).on_conflict(
                target=(
                    ContentTranslation.consultation,
                    ContentTranslation.locale,
                    ContentTranslation.field,
                ),
                action="DO UPDATE",
                values=[ContentTranslation.text, ContentTranslation.updated_at],
            )
    forget_cached()


def missing(texts: Iterable[SourceText], translated: Mapping[str, str]) -> list[SourceText]:
    """The texts with no translation yet (easy-read versions are optional, never missing)."""
    return [text for text in texts if not text.easy and not translated.get(text.field)]


def _pick(
    field: str, main_text: str, texts: Mapping[str, str], easy: bool, fallbacks: set[str]
) -> str:
    if not main_text:
        return main_text
    if easy and texts.get(field + EASY):
        return texts[field + EASY]
    if field in texts:
        return texts[field]
    fallbacks.add(field)
    return main_text


def translate_spec(
    spec: SurveySpec, texts: Mapping[str, str], *, locale: str, main_locale: str, easy: bool = False
) -> SurveySpec:
    """The survey as a reader of `locale` sees it (see the module's docstring).

    In the main language only easy-read versions replace texts, and nothing falls back.
    """
    fallbacks: set[str] = set()
    in_main = locale == main_locale

    def pick(field: str, main_text: str) -> str:
        if in_main:
            if easy and texts.get(field + EASY):
                return texts[field + EASY]
            return main_text
        return _pick(field, main_text, texts, easy, fallbacks)

    questions = tuple(
        replace(
            question,
            text=pick(field_name("question", question.id, "text"), question.text),
            help=pick(field_name("question", question.id, "help"), question.help),
            unit=pick(field_name("question", question.id, "unit"), question.unit),
            options=tuple(
                replace(option, label=pick(field_name("option", option.id, "label"), option.label))
                for option in question.options
            ),
            statements=tuple(
                replace(
                    statement,
                    text=pick(field_name("statement", statement.id, "text"), statement.text),
                )
                for statement in question.statements
            ),
        )
        for question in spec.questions
    )
    translated = replace(
        spec,
        title=pick(field_name("survey", spec.id, "title"), spec.title),
        intro=pick(field_name("survey", spec.id, "intro"), spec.intro),
        consent_text=pick(field_name("survey", spec.id, "consent_text"), spec.consent_text),
        questions=questions,
    )
    return replace(
        translated, locale=locale, main_locale=main_locale, fallbacks=frozenset(fallbacks)
    )


def translate_consultation(
    consultation: Consultation, texts: Mapping[str, str], *, locale: str, easy: bool = False
) -> tuple[dict[str, str], frozenset[str]]:
    """The consultation's own texts (title, run by, purpose, data use) in `locale`,
    and the fields among them shown in the main language."""
    fallbacks: set[str] = set()
    shown = {}
    for attr in CONSULTATION_TEXTS:
        main_text = getattr(consultation, attr)
        field = field_name("consultation", None, attr)
        if locale == consultation.default_locale:
            shown[attr] = main_text
        else:
            shown[attr] = _pick(field, main_text, texts, easy, fallbacks)
    return shown, frozenset(fallbacks)


# A respondent's page reads these on every request; they change only when a
# planner saves a translation (which clears this worker's copy; others expire).
_texts_cache: TimedCache[tuple[int, str], dict[str, str]] = TimedCache()


async def cached_texts(consultation_id: int, locale: str, ttl: float) -> dict[str, str]:
    return await _texts_cache.get(
        (consultation_id, locale), ttl, lambda: texts_of(consultation_id, locale)
    )


def forget_cached() -> None:
    _texts_cache.clear()

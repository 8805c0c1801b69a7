"""The side-by-side editor's page: a consultation's texts grouped as a planner meets
them (the consultation, then each survey and each of its questions), each with
its translation box and, where it can have one, its easy-read box."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from consult.i18n import N_
from consult.tables import Consultation
from surveys import translations
from surveys.flow import SurveySpec
from surveys.translations import SourceText, field_name


@dataclass(frozen=True)
class Row:
    """One text: the main language's, its box in the target language (None in the
    main language, whose texts are edited in the builder), its easy-read box."""

    source: SourceText
    box: SourceText | None
    easy: SourceText | None
    # Answers and statements are numbered within their question ("Answer 2").
    number: int = 0


@dataclass(frozen=True)
class Group:
    """One fieldset: the consultation's own texts, a survey's, or a question's."""

    legend: str  # translatable, with `number`
    number: int
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    """The consultation (survey_id None), or one survey (its title as written)."""

    survey_id: int | None
    title: str
    groups: tuple[Group, ...]


def _question_groups(spec: SurveySpec, rows: Mapping[str, Row]) -> list[Group]:
    groups = []
    for question in spec.questions:
        found = [rows.get(field_name("question", question.id, a)) for a in ("text", "help", "unit")]
        for number, statement in enumerate(question.statements, start=1):
            row = rows.get(field_name("statement", statement.id, "text"))
            found.append(replace(row, number=number) if row else None)
        for number, option in enumerate(question.options, start=1):
            row = rows.get(field_name("option", option.id, "label"))
            found.append(replace(row, number=number) if row else None)
        kept = tuple(row for row in found if row)
        if kept:
            groups.append(Group(N_("Question %(number)s"), question.position, kept))
    return groups


def sections(
    consultation: Consultation,
    specs: Iterable[SurveySpec],
    locale: str,
    only: set[str] | None = None,
) -> list[Section]:
    """The editor's sections in `locale`; with `only`, just the rows of those texts
    (the missing ones). Groups and sections left empty are left out."""
    specs = list(specs)
    texts = translations.source_texts(consultation, specs)
    easy = {
        text.field.removesuffix(translations.EASY): text
        for text in translations.easy_read_texts(texts)
    }
    is_main = locale == consultation.default_locale
    rows = {
        text.field: Row(text, None if is_main else text, easy.get(text.field))
        for text in texts
        if (only is None or text.field in only) and (not is_main or text.field in easy)
    }
    found = []
    own = tuple(row for field, row in rows.items() if field.startswith("consultation."))
    if own:
        found.append(Section(None, "", (Group(N_("About the consultation"), 0, own),)))
    for spec in specs:
        survey_rows = tuple(
            row
            for attr in ("title", "intro", "consent_text")
            if (row := rows.get(field_name("survey", spec.id, attr)))
        )
        groups = [Group(N_("Survey texts"), 0, survey_rows)] if survey_rows else []
        groups += _question_groups(spec, rows)
        if groups:
            found.append(Section(spec.id, spec.title, tuple(groups)))
    return found


def dom_id(field: str) -> str:
    """An element id for a field name ("question.34.help" -> "t-question-34-help")."""
    return "t-" + field.replace(".", "-")

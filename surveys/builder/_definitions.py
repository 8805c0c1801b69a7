"""Whole surveys: create, edit their texts, import and export them as definitions,
copy them to a new version, and add questions from the demographic bank."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from consult.database import write_transaction
from surveys import services, translations
from surveys.builder._common import (
    ChangeRefused,
    NotInSurvey,
    editing,
    question_ids_in_order,
    refusals_of,
    survey_problems,
)
from surveys.builder._questions import NewOption, QuestionInput, insert_question
from surveys.builder._translations import copy_translations
from surveys.definition import QuestionDefinition, SurveyDefinition, definition_of
from surveys.flow import SurveySpec
from surveys.question_types import Operator
from surveys.tables import ConditionOption, DisplayCondition, Option, Survey


async def create_survey(
    consultation_id: int,
    title: str,
    intro: str = "",
    consent_text: str = "",
    one_question_per_page: bool = True,
) -> Survey:
    survey = Survey(
        consultation=consultation_id,
        title=title,
        intro=intro,
        consent_text=consent_text,
        one_question_per_page=one_question_per_page,
        created_at=datetime.now(UTC),
    )
    async with write_transaction():
        await survey.save()
    return survey


async def update_survey(
    survey_id: int, title: str, intro: str, consent_text: str, one_question_per_page: bool
) -> None:
    """Change a survey's texts and layout. A changed consent text is a new consent
    version: each response records which one its respondent agreed to. These may
    change after answers exist; the questions may not. A layout that would break a
    rule (grouping a condition onto the page of its source) is refused."""
    async with write_transaction():
        row = (
            await Survey.select(Survey.consent_text, Survey.consent_version)
            .where(Survey.id == survey_id)
            .first()
        )
        if row is None:
            raise NotInSurvey(survey_id)
        version = row["consent_version"] + (row["consent_text"] != consent_text)
        await Survey.update(
            {
                Survey.title: title,
                Survey.intro: intro,
                Survey.consent_text: consent_text,
                Survey.consent_version: version,
                Survey.one_question_per_page: one_question_per_page,
            }
        ).where(Survey.id == survey_id)
        spec, problems = await survey_problems(survey_id)
        if problems:
            raise ChangeRefused(refusals_of(spec, problems))
    services.forget_cached()


def _question_input(question: QuestionDefinition) -> QuestionInput:
    return QuestionInput(
        type=question.type,
        text=question.text,
        help=question.help,
        required=question.required,
        special_category=question.special_category,
        options=tuple(
            NewOption(
                option.label,
                is_prefer_not_to_say=option.prefer_not_to_say,
                is_other=option.other,
                is_dont_know=option.dont_know,
            )
            for option in question.options
        ),
        statements=tuple(question.statements),
        min_choices=question.min_choices,
        max_choices=question.max_choices,
        min_number=question.min_number,
        max_number=question.max_number,
        unit=question.unit,
        starts_page=question.starts_page,
        key=question.key,
    )


async def _insert_questions(
    survey_id: int, questions: list[QuestionDefinition], first_position: int
) -> None:
    """Write definition questions, then their conditions (keys and labels -> ids)."""
    ids: dict[str, int] = {}
    for offset, question in enumerate(questions):
        ids[question.key] = await insert_question(
            survey_id, _question_input(question), first_position + offset
        )
    for question in questions:
        condition = question.show_if
        if condition is None:
            continue
        source_id = ids[condition.question]
        labels = await Option.select(Option.id, Option.label).where(Option.question == source_id)
        by_label = {row["label"]: row["id"] for row in labels}
        inserted = await DisplayCondition.insert(
            DisplayCondition(
                question=ids[question.key],
                source=source_id,
                operator=Operator(condition.operator).value,
                whole_page=condition.whole_page,
            )
        )
        await ConditionOption.insert(
            *[
                ConditionOption(condition=inserted[0]["id"], option=by_label[label])
                for label in dict.fromkeys(condition.options)
            ]
        )


async def _write_definition(
    consultation_id: int, definition: SurveyDefinition, version: int
) -> int:
    """Insert a survey from a checked definition (inside the caller's transaction)."""
    inserted = await Survey.insert(
        Survey(
            consultation=consultation_id,
            title=definition.title,
            intro=definition.intro,
            consent_text=definition.consent_text,
            one_question_per_page=definition.one_question_per_page,
            version=version,
            created_at=datetime.now(UTC),
        )
    )
    survey_id = inserted[0]["id"]
    await _insert_questions(survey_id, definition.questions, 1)
    return survey_id


async def import_definition(
    consultation_id: int, definition: SurveyDefinition, version: int = 1
) -> int:
    """A new survey from a checked definition, in one transaction: all or nothing."""
    async with write_transaction():
        survey_id = await _write_definition(consultation_id, definition, version)
    services.forget_cached()
    return survey_id


async def export_definition(survey_id: int) -> SurveyDefinition:
    spec = await services.load_spec(survey_id)
    if spec is None:
        raise NotInSurvey(survey_id)
    return await _definition(spec)


async def _definition(spec: SurveySpec) -> SurveyDefinition:
    return definition_of(
        spec.title,
        spec.intro,
        spec.consent_text,
        spec.one_question_per_page,
        spec.questions,
        await services.question_keys(spec.id),
    )


class AlreadyReplaced(Exception):
    """The survey already has a newer version (a second press of the button)."""

    def __init__(self, newest_id: int) -> None:
        super().__init__(newest_id)
        self.newest_id = newest_id


async def new_version(survey_id: int) -> int:
    """Copy a survey whose questions are locked into a new, editable version, and
    retire the old one: its answers stay, it is no longer offered to residents. Its
    translations are copied to the new version's texts (the old one keeps its own).
    One transaction: a survey is replaced once, however often the button is pressed."""
    spec = await services.load_spec(survey_id)
    if spec is None:
        raise NotInSurvey(survey_id)
    definition = await _definition(spec)
    async with write_transaction():
        row = (
            await Survey.select(Survey.consultation, Survey.version, Survey.retired)
            .where(Survey.id == survey_id)
            .first()
        )
        if row is None:
            raise NotInSurvey(survey_id)
        if row["retired"]:
            newest = (
                await Survey.select(Survey.id)
                .where(
                    (Survey.consultation == row["consultation"])
                    & (Survey.title == definition.title)
                    & Survey.retired.eq(False)
                )
                .order_by(Survey.version, ascending=False)
                .first()
            )
            raise AlreadyReplaced(newest["id"] if newest else survey_id)
        await Survey.update({Survey.retired: True}).where(Survey.id == survey_id)
        new_id = await _write_definition(row["consultation"], definition, row["version"] + 1)
        await copy_translations(row["consultation"], spec, new_id)
    services.forget_cached()
    translations.forget_cached()
    return new_id


async def add_definition_questions(survey_id: int, questions: list[QuestionDefinition]) -> None:
    """Append questions taken from a definition (the demographic bank) to a survey;
    a key already used in the survey gets a suffix."""
    # A condition names keys of its own survey: on its own it could point anywhere.
    questions = [msgspec.structs.replace(question, show_if=None) for question in questions]
    async with editing(survey_id):
        first = len(await question_ids_in_order(survey_id)) + 1
        await _insert_questions(survey_id, questions, first)

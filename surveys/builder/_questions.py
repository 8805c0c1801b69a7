"""Adding, editing, moving, duplicating and deleting questions and their options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from consult.i18n import N_
from surveys.builder._common import (
    ChangeRefused,
    NotInSurvey,
    Refusal,
    editing,
    question_ids_in_order,
    renumber_questions,
    survey_of_question,
)
from surveys.question_types import get_type
from surveys.tables import ConditionOption, DisplayCondition, Option, Question, Statement

# Where the special answers go: after the ordinary ones, "Prefer not to say" last.
_SPECIAL_ORDER = ("is_dont_know", "is_other", "is_prefer_not_to_say")


@dataclass(frozen=True)
class NewOption:
    label: str
    is_prefer_not_to_say: bool = False
    is_other: bool = False
    is_dont_know: bool = False


@dataclass(frozen=True)
class QuestionInput:
    """A question as a planner defines it (already checked for lengths and types)."""

    type: str
    text: str
    help: str = ""
    required: bool = False
    special_category: bool = False
    options: tuple[NewOption, ...] = ()
    statements: tuple[str, ...] = ()
    min_choices: int | None = None
    max_choices: int | None = None
    min_number: int | None = None
    max_number: int | None = None
    unit: str = ""
    starts_page: bool = False
    key: str = ""  # "" : one is made from the position (q7)


@dataclass(frozen=True)
class SpecialOptions:
    """Which of the special answers a question offers, with the label each gets
    when it is added (the labels are survey content, in the survey's language)."""

    other: str | None = None
    prefer_not_to_say: str | None = None
    dont_know: str | None = None


@dataclass(frozen=True)
class QuestionEdit:
    """What the edit form of one question changes. Options keep their ids (display
    conditions refer to them); statements are replaced as a list."""

    text: str
    help: str
    required: bool
    special_category: bool
    key: str
    min_choices: int | None = None
    max_choices: int | None = None
    min_number: int | None = None
    max_number: int | None = None
    unit: str = ""
    starts_page: bool = False
    labels: dict[int, str] = field(default_factory=dict)  # option id -> new label
    new_options: tuple[str, ...] = ()
    statements: tuple[str, ...] | None = None
    specials: SpecialOptions = field(default_factory=SpecialOptions)
    # A button pressed beside one answer: ("up" | "down" | "remove", option id),
    # done in the same transaction as the rest, so a refusal changes nothing.
    option_action: tuple[str, int] | None = None


async def _free_key(survey_id: int, wanted: str, position: int) -> str:
    rows = await Question.select(Question.key).where(Question.survey == survey_id)
    taken = {row["key"] for row in rows}
    base = wanted or f"q{position}"
    key, suffix = base, 2
    while key in taken:
        key, suffix = f"{base[:36]}_{suffix}", suffix + 1
    return key


async def _position(question_id: int) -> int:
    row = await Question.select(Question.position).where(Question.id == question_id).first()
    return row["position"] if row else 0


async def insert_question(survey_id: int, data: QuestionInput, position: int) -> int:
    """Write one question and its options and statements at `position` (inside a
    transaction; the positions of the questions after it are the caller's)."""
    get_type(data.type)  # refuses an unknown type before anything is written
    inserted = await Question.insert(
        Question(
            survey=survey_id,
            position=position,
            key=await _free_key(survey_id, data.key, position),
            type=data.type,
            text=data.text,
            help=data.help,
            required=data.required,
            special_category=data.special_category,
            min_choices=data.min_choices,
            max_choices=data.max_choices,
            min_number=data.min_number,
            max_number=data.max_number,
            unit=data.unit,
            starts_page=data.starts_page,
        )
    )
    question_id = inserted[0]["id"]
    if data.options:
        await Option.insert(
            *[
                Option(
                    question=question_id,
                    position=index,
                    label=option.label,
                    is_prefer_not_to_say=option.is_prefer_not_to_say,
                    is_other=option.is_other,
                    is_dont_know=option.is_dont_know,
                )
                for index, option in enumerate(data.options, start=1)
            ]
        )
    await _write_statements(question_id, data.statements)
    return question_id


async def _write_statements(question_id: int, statements: tuple[str, ...]) -> None:
    await Statement.delete().where(Statement.question == question_id)
    if statements:
        await Statement.insert(
            *[
                Statement(question=question_id, position=index, text=text)
                for index, text in enumerate(statements, start=1)
            ]
        )


async def add_question(survey_id: int, data: QuestionInput) -> int:
    """Append a question (and its options, in order) to a survey."""
    async with editing(survey_id):
        order = await question_ids_in_order(survey_id)
        return await insert_question(survey_id, data, len(order) + 1)


async def update_question(question_id: int, edit: QuestionEdit) -> None:
    survey_id = await survey_of_question(question_id)
    async with editing(survey_id):
        await Question.update(
            {
                Question.text: edit.text,
                Question.help: edit.help,
                Question.required: edit.required,
                Question.special_category: edit.special_category,
                Question.key: edit.key
                or await _free_key(survey_id, "", await _position(question_id)),
                Question.min_choices: edit.min_choices,
                Question.max_choices: edit.max_choices,
                Question.min_number: edit.min_number,
                Question.max_number: edit.max_number,
                Question.unit: edit.unit,
                Question.starts_page: edit.starts_page,
            }
        ).where(Question.id == question_id)
        for option_id, label in edit.labels.items():
            await Option.update({Option.label: label}).where(
                (Option.id == option_id) & (Option.question == question_id)
            )
        await _edit_options(question_id, edit.new_options, edit.specials)
        if edit.statements is not None:
            await _write_statements(question_id, edit.statements)
        if edit.option_action is not None:
            action, option_id = edit.option_action
            if await _option_question(option_id) != question_id:
                raise NotInSurvey(option_id)
            if action == "remove":
                await _delete_option_row(option_id)
                await _order_options(question_id)
            else:
                await _order_options(question_id, (option_id, -1 if action == "up" else 1))


async def _options_of(question_id: int) -> list[dict[str, Any]]:
    return (
        await Option.select()
        .where(Option.question == question_id)
        .order_by(Option.position)
        .order_by(Option.id)
    )


async def _edit_options(question_id: int, new: tuple[str, ...], specials: SpecialOptions) -> None:
    """Add ordinary answers, add or remove the special ones, and keep them in order."""
    existing = await _options_of(question_id)
    wanted = {
        "is_other": specials.other,
        "is_prefer_not_to_say": specials.prefer_not_to_say,
        "is_dont_know": specials.dont_know,
    }
    for flag, label in wanted.items():
        present = [row for row in existing if row[flag]]
        if present and label is None:
            for row in present:
                await _delete_option_row(row["id"])
        elif not present and label is not None:
            await Option.insert(
                Option(
                    question=question_id, position=len(existing) + 100, label=label, **{flag: True}
                )
            )
    if new:
        await Option.insert(
            *[
                Option(question=question_id, position=len(existing) + i, label=label)
                for i, label in enumerate(new, 1)
            ]
        )
    await _order_options(question_id)


async def _order_options(question_id: int, moved: tuple[int, int] | None = None) -> None:
    """Number the options 1..n: ordinary ones in their order (after an optional
    move of one by -1 or +1), then "Don't know", "Other", "Prefer not to say"."""
    rows = await _options_of(question_id)
    ordinary = [row["id"] for row in rows if not any(row[flag] for flag in _SPECIAL_ORDER)]
    if moved is not None and moved[0] in ordinary:
        index = ordinary.index(moved[0])
        target = index + moved[1]
        if 0 <= target < len(ordinary):
            ordinary[index], ordinary[target] = ordinary[target], ordinary[index]
    special = [row["id"] for flag in _SPECIAL_ORDER for row in rows if row[flag]]
    for position, option_id in enumerate([*ordinary, *special], start=1):
        await Option.update({Option.position: position}).where(Option.id == option_id)


async def _option_question(option_id: int) -> int:
    row = await Option.select(Option.question).where(Option.id == option_id).first()
    if row is None:
        raise NotInSurvey(option_id)
    return row["question"]


async def _delete_option_row(option_id: int) -> None:
    if await ConditionOption.exists().where(ConditionOption.option == option_id):
        raise ChangeRefused(
            [
                Refusal(
                    "",
                    N_("A display condition uses this answer. Change that condition first."),
                    {},
                )
            ]
        )
    await Option.delete().where(Option.id == option_id)


async def move_option(option_id: int, offset: int) -> None:
    question_id = await _option_question(option_id)
    async with editing(await survey_of_question(question_id)):
        await _order_options(question_id, (option_id, offset))


async def delete_option(option_id: int) -> None:
    question_id = await _option_question(option_id)
    async with editing(await survey_of_question(question_id)):
        await _delete_option_row(option_id)
        await _order_options(question_id)


async def move_question(question_id: int, offset: int) -> None:
    """Move a question one place up (-1) or down (+1); a move that would put a
    question before the one its condition rests on is refused."""
    survey_id = await survey_of_question(question_id)
    async with editing(survey_id):
        order = await question_ids_in_order(survey_id)
        index = order.index(question_id)
        target = index + offset
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            await renumber_questions(survey_id, order)


async def duplicate_question(question_id: int) -> int:
    """A copy of the question (options, statements, condition) right after it."""
    survey_id = await survey_of_question(question_id)
    async with editing(survey_id):
        source = await Question.select().where(Question.id == question_id).first()
        assert source is not None
        options = await _options_of(question_id)
        statements = (
            await Statement.select(Statement.text)
            .where(Statement.question == question_id)
            .order_by(Statement.position)
        )
        order = await question_ids_in_order(survey_id)
        copy_id = await insert_question(
            survey_id,
            QuestionInput(
                type=source["type"],
                text=source["text"],
                help=source["help"],
                required=source["required"],
                special_category=source["special_category"],
                options=tuple(
                    NewOption(
                        str(row["label"]),
                        is_prefer_not_to_say=bool(row["is_prefer_not_to_say"]),
                        is_other=bool(row["is_other"]),
                        is_dont_know=bool(row["is_dont_know"]),
                    )
                    for row in options
                ),
                statements=tuple(row["text"] for row in statements),
                min_choices=source["min_choices"],
                max_choices=source["max_choices"],
                min_number=source["min_number"],
                max_number=source["max_number"],
                unit=source["unit"],
                key=source["key"],
            ),
            len(order) + 1,
        )
        await _copy_condition(question_id, copy_id)
        order.insert(order.index(question_id) + 1, copy_id)
        await renumber_questions(survey_id, order)
        return copy_id


async def _copy_condition(question_id: int, copy_id: int) -> None:
    condition = (
        await DisplayCondition.select().where(DisplayCondition.question == question_id).first()
    )
    if condition is None:
        return
    inserted = await DisplayCondition.insert(
        DisplayCondition(
            question=copy_id,
            source=condition["source"],
            operator=condition["operator"],
            whole_page=condition["whole_page"],
        )
    )
    chosen = await ConditionOption.select(ConditionOption.option).where(
        ConditionOption.condition == condition["id"]
    )
    if chosen:
        await ConditionOption.insert(
            *[ConditionOption(condition=inserted[0]["id"], option=row["option"]) for row in chosen]
        )


async def delete_question(question_id: int) -> None:
    """Delete a question; refused while another question's condition rests on it."""
    survey_id = await survey_of_question(question_id)
    async with editing(survey_id):
        dependent = await DisplayCondition.select(DisplayCondition.question.text).where(
            DisplayCondition.source == question_id
        )
        if dependent:
            raise ChangeRefused(
                [
                    Refusal(
                        row["question.text"],
                        N_(
                            "This question’s condition rests on the one you want to delete. "
                            "Remove the condition first."
                        ),
                        {},
                    )
                    for row in dependent
                ]
            )
        await Question.delete().where(Question.id == question_id)
        await renumber_questions(survey_id, await question_ids_in_order(survey_id))

"""Display conditions: show a question (or its page) only after a matching answer."""

from __future__ import annotations

from consult.i18n import N_
from surveys.builder._common import ChangeRefused, Refusal, editing, survey_of_question
from surveys.question_types import Operator
from surveys.tables import ConditionOption, DisplayCondition, Option


async def set_condition(
    question_id: int,
    source_id: int,
    operator: Operator,
    option_ids: set[int],
    whole_page: bool = False,
) -> None:
    """Give a question its condition (replacing any it had). The survey's rules
    decide the rest: the source must be an earlier page's choice question."""
    survey_id = await survey_of_question(question_id)
    async with editing(survey_id):
        if await survey_of_question(source_id) != survey_id:
            raise ChangeRefused([Refusal("", N_("Choose a question of this survey."), {})])
        known = await Option.select(Option.id).where(Option.question == source_id)
        if not option_ids or not option_ids <= {row["id"] for row in known}:
            raise ChangeRefused(
                [Refusal("", N_("Choose at least one answer of that question."), {})]
            )
        await DisplayCondition.delete().where(DisplayCondition.question == question_id)
        inserted = await DisplayCondition.insert(
            DisplayCondition(
                question=question_id,
                source=source_id,
                operator=operator.value,
                whole_page=whole_page,
            )
        )
        await ConditionOption.insert(
            *[
                ConditionOption(condition=inserted[0]["id"], option=option_id)
                for option_id in sorted(option_ids)
            ]
        )


async def remove_condition(question_id: int) -> None:
    async with editing(await survey_of_question(question_id)):
        await DisplayCondition.delete().where(DisplayCondition.question == question_id)

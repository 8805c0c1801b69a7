"""Reading surveys: the list of a consultation, one survey's definition as plain data."""

from __future__ import annotations

from consult.cache import TimedCache
from surveys.flow import SurveySpec
from surveys.question_types import (
    ConditionSpec,
    Operator,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
)
from surveys.tables import (
    ConditionOption,
    DisplayCondition,
    Option,
    Question,
    Response,
    Statement,
    Survey,
)


async def surveys_of(consultation_id: int, include_retired: bool = True) -> list[Survey]:
    query = Survey.objects().where(Survey.consultation == consultation_id)
    if not include_retired:
        query = query.where(Survey.retired.eq(False))
    return await query.order_by(Survey.id)


async def by_id(survey_id: int) -> Survey | None:
    return await Survey.objects().where(Survey.id == survey_id).first()


async def has_answers(survey_id: int) -> bool:
    return await Response.exists().where(Response.survey == survey_id)


async def answered_survey_ids(consultation_id: int) -> set[int]:
    """Which of a consultation's surveys have answers (and so fixed questions)."""
    rows = (
        await Response.select(Response.survey)
        .where(Response.survey.consultation == consultation_id)
        .distinct()
    )
    return {row["survey"] for row in rows}


async def question_keys(survey_id: int) -> dict[int, str]:
    """question id -> its key (a variable name); a question stored without one
    gets `q` and its position, so every question of an export has a name."""
    rows = await Question.select(Question.id, Question.key, Question.position).where(
        Question.survey == survey_id
    )
    return {row["id"]: row["key"] or f"q{row['position']}" for row in rows}


async def _conditions(survey_id: int) -> dict[int, ConditionSpec]:
    conditions = await DisplayCondition.select().where(
        DisplayCondition.question.survey == survey_id
    )
    chosen = await ConditionOption.select(ConditionOption.condition, ConditionOption.option).where(
        ConditionOption.condition.question.survey == survey_id
    )
    options: dict[int, set[int]] = {}
    for row in chosen:
        options.setdefault(row["condition"], set()).add(row["option"])
    return {
        row["question"]: ConditionSpec(
            source_question_id=row["source"],
            operator=Operator(row["operator"]),
            option_ids=frozenset(options.get(row["id"], ())),
            whole_page=bool(row["whole_page"]),
        )
        for row in conditions
    }


async def load_spec(survey_id: int) -> SurveySpec | None:
    """The survey as plain data: questions with their options, statements and
    conditions, in order (six queries, whatever the size of the survey)."""
    survey = await Survey.select().where(Survey.id == survey_id).first()
    if survey is None:
        return None
    questions = (
        await Question.select().where(Question.survey == survey_id).order_by(Question.position)
    )
    options = (
        await Option.select()
        .where(Option.question.survey == survey_id)
        .order_by(Option.question)
        .order_by(Option.position)
    )
    statements = (
        await Statement.select()
        .where(Statement.question.survey == survey_id)
        .order_by(Statement.question)
        .order_by(Statement.position)
    )
    conditions = await _conditions(survey_id)
    options_of: dict[int, list[OptionSpec]] = {}
    for row in options:
        options_of.setdefault(row["question"], []).append(
            OptionSpec(
                id=row["id"],
                position=row["position"],
                label=row["label"],
                is_prefer_not_to_say=bool(row["is_prefer_not_to_say"]),
                is_other=bool(row["is_other"]),
                is_dont_know=bool(row["is_dont_know"]),
            )
        )
    statements_of: dict[int, list[StatementSpec]] = {}
    for row in statements:
        statements_of.setdefault(row["question"], []).append(
            StatementSpec(id=row["id"], position=row["position"], text=row["text"])
        )
    return SurveySpec(
        id=survey["id"],
        consultation_id=survey["consultation"],
        title=survey["title"],
        intro=survey["intro"],
        consent_text=survey["consent_text"],
        consent_version=survey["consent_version"],
        one_question_per_page=bool(survey["one_question_per_page"]),
        version=survey["version"],
        questions=tuple(
            QuestionSpec(
                id=row["id"],
                position=row["position"],
                type=row["type"],
                text=row["text"],
                help=row["help"],
                required=bool(row["required"]),
                special_category=bool(row["special_category"]),
                options=tuple(options_of.get(row["id"], ())),
                statements=tuple(statements_of.get(row["id"], ())),
                min_choices=row["min_choices"],
                max_choices=row["max_choices"],
                min_number=row["min_number"],
                max_number=row["max_number"],
                unit=row["unit"],
                starts_page=bool(row["starts_page"]),
                condition=conditions.get(row["id"]),
            )
            for row in questions
        ),
    )


# The question page is the hottest page; its definition changes only while the
# survey is a draft, so a worker reuses it for a moment (see Settings).
_spec_cache: TimedCache[int, SurveySpec | None] = TimedCache()


async def cached_spec(survey_id: int, ttl: float) -> SurveySpec | None:
    return await _spec_cache.get(survey_id, ttl, lambda: load_spec(survey_id))


def forget_cached() -> None:
    _spec_cache.clear()

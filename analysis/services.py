"""Counts and percentages per option, done in SQL, then small cells suppressed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from analysis.disclosure import suppress, threshold, total_is_safe
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue, QuestionSpec
from surveys.tables import Answer, Response, ResponseStatus


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    label: str
    count: int | None  # None: fewer than k, not shown
    percent: float | None


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionSpec
    answered: int | None  # respondents who answered; None when below k
    options: tuple[OptionResult, ...]
    k: int


@dataclass(frozen=True)
class SurveyResults:
    responses: int
    questions: tuple[QuestionResult, ...]


_COMPLETE = Answer.response.status == ResponseStatus.complete.value


async def response_count(survey_id: int) -> int:
    return await Response.count().where(
        (Response.survey == survey_id) & (Response.status == ResponseStatus.complete.value)
    )


async def _option_counts(survey_id: int) -> dict[int, int]:
    """option id -> number of complete responses choosing it (one GROUP BY)."""
    rows = (
        await Answer.select(Answer.option, Count(Answer.id, alias="n"))
        .where((Answer.question.survey == survey_id) & Answer.option.is_not_null() & _COMPLETE)
        .group_by(Answer.option)
    )
    return {row["option"]: row["n"] for row in rows}


async def _answered_counts(survey_id: int) -> dict[int, int]:
    """question id -> number of complete responses with any answer to it."""
    rows = (
        await Answer.select(Answer.question, Count(distinct=[Answer.response], alias="n"))
        .where((Answer.question.survey == survey_id) & _COMPLETE)
        .group_by(Answer.question)
    )
    return {row["question"]: row["n"] for row in rows}


async def survey_results(survey: SurveySpec, k: int) -> SurveyResults:
    """Every choice question's counts and percentages, with small cells hidden."""
    total = await response_count(survey.id)
    option_counts = await _option_counts(survey.id)
    answered_counts = await _answered_counts(survey.id)
    questions = []
    for question in survey.questions:
        question_k = threshold(k, question.special_category)
        answered = answered_counts.get(question.id, 0)
        shown = suppress(
            {option.id: option_counts.get(option.id, 0) for option in question.options},
            question_k,
        )
        options = tuple(
            OptionResult(
                option_id=option.id,
                label=option.label,
                count=shown[option.id],
                percent=(
                    None
                    if shown[option.id] is None or not answered
                    else 100.0 * (shown[option.id] or 0) / answered
                ),
            )
            for option in question.options
        )
        questions.append(
            QuestionResult(
                question=question,
                answered=answered if total_is_safe(answered, question_k) else None,
                options=options,
                k=question_k,
            )
        )
    return SurveyResults(responses=total, questions=tuple(questions))


async def response_rows(survey: SurveySpec) -> AsyncIterator[tuple[object, ...]]:
    """One row per complete response: number, hour, channel, language, each answer.

    Answers are read in response order in one query and grouped as they stream.
    """
    responses = (
        await Response.select(Response.id, Response.submitted_at, Response.channel, Response.locale)
        .where((Response.survey == survey.id) & (Response.status == ResponseStatus.complete.value))
        .order_by(Response.id)
    )
    answers = (
        await Answer.select(
            Answer.response, Answer.question, Answer.option, Answer.number, Answer.text
        )
        .where((Answer.question.survey == survey.id) & _COMPLETE)
        .order_by(Answer.response)
        .order_by(Answer.id)
    )
    by_response: dict[int, list[AnswerValue]] = {}
    for row in answers:
        by_response.setdefault(row["response"], []).append(
            AnswerValue(
                question_id=row["question"],
                option_id=row["option"],
                number=row["number"],
                text=row["text"],
            )
        )
    for number, response in enumerate(responses, start=1):
        given = by_response.get(response["id"], [])
        cells: list[object] = [
            number,
            response["submitted_at"].strftime("%Y-%m-%d %H:00"),
            response["channel"],
            response["locale"],
        ]
        for question in survey.questions:
            mine = [answer for answer in given if answer.question_id == question.id]
            cells.append(question.kind.export_text(question, mine) if mine else "")
        yield tuple(cells)

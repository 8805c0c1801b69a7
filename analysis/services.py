"""Counts and percentages per option, done in SQL, then small cells suppressed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from analysis.disclosure import suppress, threshold, total_is_safe
from surveys import tally
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue, QuestionSpec
from surveys.tables import ANSWER_ATOM_COLUMNS, Answer, Response, ResponseStatus


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    label: str
    count: int | None  # None: fewer than k, not shown
    percent: float | None


@dataclass(frozen=True)
class StatementResult:
    """One statement of a matrix: its options' counts, suppressed like a question's."""

    text: str
    answered: int | None
    options: tuple[OptionResult, ...]


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionSpec
    answered: int | None  # respondents who answered; None when below k
    options: tuple[OptionResult, ...]
    k: int
    statements: tuple[StatementResult, ...] = ()


@dataclass(frozen=True)
class SurveyResults:
    responses: int
    questions: tuple[QuestionResult, ...]


def _option_results(
    question: QuestionSpec, counts: dict[int, int], answered: int, k: int
) -> tuple[OptionResult, ...]:
    shown = suppress({option.id: counts.get(option.id, 0) for option in question.options}, k)
    return tuple(
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


async def survey_results(survey: SurveySpec, k: int) -> SurveyResults:
    """Every choice question's counts and percentages (a matrix's per statement),
    with small cells hidden. Read from the tally (surveys.tally), one indexed query
    whose size does not grow with the number of responses."""
    counts = await tally.read(survey.id)
    questions = []
    for question in survey.questions:
        question_k = threshold(k, question.special_category)
        answered = counts.answered(question.id)
        statements = tuple(
            StatementResult(
                text=statement.text,
                answered=(
                    counts.rated(question.id, statement.id)
                    if total_is_safe(counts.rated(question.id, statement.id), question_k)
                    else None
                ),
                options=_option_results(
                    question,
                    {o.id: counts.cell(question.id, o.id, statement.id) for o in question.options},
                    counts.rated(question.id, statement.id),
                    question_k,
                ),
            )
            for statement in question.statements
        )
        questions.append(
            QuestionResult(
                question=question,
                answered=answered if total_is_safe(answered, question_k) else None,
                options=()
                if statements
                else _option_results(
                    question,
                    {o.id: counts.chose(question.id, o.id) for o in question.options},
                    answered,
                    question_k,
                ),
                k=question_k,
                statements=statements,
            )
        )
    return SurveyResults(responses=counts.responses, questions=tuple(questions))


# Responses per batch of an export: one query for them and one for their answers.
EXPORT_BATCH = 1000


async def response_batches(
    survey: SurveySpec, batch: int | None = None
) -> AsyncIterator[list[tuple[object, ...]]]:
    """Rows of complete responses, `batch` at a time, in order: number, hour,
    channel, language, then each question's export cells.

    Read by keyset (response id), so memory holds one batch however many
    responses there are, and each batch costs the same at the end as at the start.
    """
    batch = batch or EXPORT_BATCH
    after, number = 0, 0
    while True:
        responses = (
            await Response.select(
                Response.id, Response.submitted_at, Response.channel, Response.locale
            )
            .where(
                (Response.survey == survey.id)
                & (Response.status == ResponseStatus.complete.value)
                & (Response.id > after)
            )
            .order_by(Response.id)
            .limit(batch)
        )
        if not responses:
            return
        ids = [response["id"] for response in responses]
        # response -> question -> its answer atoms, in the order they were given.
        by_response: dict[int, dict[int, list[AnswerValue]]] = {}
        for row in (
            await Answer.select(Answer.response, *ANSWER_ATOM_COLUMNS)
            .where(Answer.response.is_in(ids))
            .order_by(Answer.response)
            .order_by(Answer.id)
        ):
            by_response.setdefault(row["response"], {}).setdefault(row["question"], []).append(
                AnswerValue(
                    question_id=row["question"],
                    option_id=row["option"],
                    number=row["number"],
                    text=row["text"],
                    statement_id=row["statement"],
                    rank=row["rank"],
                )
            )
        rows = []
        for response in responses:
            number += 1
            given = by_response.get(response["id"], {})
            cells: list[object] = [
                number,
                response["submitted_at"].strftime("%Y-%m-%d %H:00"),
                response["channel"],
                response["locale"],
            ]
            for question in survey.questions:
                cells.extend(question.kind.export_cells(question, given.get(question.id, [])))
            rows.append(tuple(cells))
        yield rows
        after = ids[-1]


def response_header(survey: SurveySpec) -> tuple[str, ...]:
    """One heading per export column of every question, in order."""
    return tuple(
        f"{question.position}. {question.text}" + (f" – {sub}" if sub else "")
        for question in survey.questions
        for sub in question.kind.export_columns(question)
    )

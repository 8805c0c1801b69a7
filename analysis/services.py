"""Counts and percentages per option, done in SQL, then small cells suppressed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from analysis.disclosure import suppress, threshold, total_is_safe
from analysis.redact import redact
from surveys import tally
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue, QuestionSpec
from surveys.tables import ResponseStatus


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
# Distinct answers of one question whose export cells are remembered; a question
# with more (free text, numbers) starts again, so memory stays bounded.
_CELL_CACHE_MAX = 4096
# Texts longer than this are not remembered: they are seldom the same twice.
_CACHED_TEXT_MAX = 200

# One atom as read: (option, number, text, statement, rank), text already redacted.
_Atom = tuple[int | None, int | None, str | None, int | None, int | None]
Fetch = Callable[..., Awaitable[Sequence[Sequence[Any]]]]


@asynccontextmanager
async def _tuple_rows() -> AsyncIterator[Fetch]:
    """A connection of its own that returns rows as tuples: an export reads millions
    of answer atoms, and Piccolo's dict per row was most of its cost. The SQL uses
    {} placeholders, as Piccolo's raw() does; values are bound."""
    engine = engine_finder()
    if isinstance(engine, PostgresEngine):
        pg = await engine.get_new_connection()

        async def fetch_pg(sql: str, *args: object) -> Sequence[Sequence[Any]]:
            parts = sql.split("{}")
            numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
            return await pg.fetch(numbered, *args)  # type: ignore[no-any-return]

        try:
            yield fetch_pg
        finally:
            await pg.close()
        return
    assert isinstance(engine, SQLiteEngine)
    lite = await engine.get_connection()
    lite.row_factory = None  # type: ignore[assignment]

    async def fetch_lite(sql: str, *args: object) -> Sequence[Sequence[Any]]:
        return await lite.execute_fetchall(sql.replace("{}", "?"), args)  # type: ignore[return-value]

    try:
        yield fetch_lite
    finally:
        await lite.close()


class _Layout:
    """Each question's export cells, worked out once per distinct answer: the
    question types (surveys.question_types) stay the one place that knows how an
    answer looks in a spreadsheet, and a survey's 2,000,000 atoms cost a dict look-up
    each instead of a call that builds its label maps again."""

    def __init__(self, survey: SurveySpec) -> None:
        self.questions = survey.questions
        self._blank = {q.id: tuple(q.kind.export_cells(q, ())) for q in survey.questions}
        self.all_blank = tuple(cell for q in survey.questions for cell in self._blank[q.id])
        self._cache: dict[int, dict[tuple[_Atom, ...], tuple[object, ...]]] = {
            q.id: {} for q in survey.questions
        }

    def cells(self, question: QuestionSpec, atoms: list[_Atom] | None) -> tuple[object, ...]:
        if not atoms:
            return self._blank[question.id]
        key = tuple(atoms)
        cache = self._cache[question.id]
        found = cache.get(key)
        if found is None:
            found = tuple(
                question.kind.export_cells(
                    question,
                    [
                        AnswerValue(question.id, option, number, text, statement, rank)
                        for option, number, text, statement, rank in atoms
                    ],
                )
            )
            if all(text is None or len(text) <= _CACHED_TEXT_MAX for _, _, text, _, _ in atoms):
                if len(cache) >= _CELL_CACHE_MAX:
                    cache.clear()
                cache[key] = found
        return found


class _Redactor:
    """Free text as an export shows it: the analysed redaction when the text job has
    stored one, else analysis.redact now (so answers not yet analysed are covered
    too); short texts that repeat (a district, a word) are redacted once."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        found = self._seen.get(text)
        if found is None:
            found = redact(text).text
            if len(text) <= _CACHED_TEXT_MAX:
                if len(self._seen) >= _CELL_CACHE_MAX:
                    self._seen.clear()
                self._seen[text] = found
        return found


def _hour(value: object) -> str:
    """The coarse time as the export writes it ("2026-11-03 14:00")."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:00")
    return f"{str(value)[:13]}:00"


async def response_batches(
    survey: SurveySpec, batch: int | None = None
) -> AsyncIterator[list[tuple[object, ...]]]:
    """Rows of complete responses, `batch` at a time, in order: number, hour,
    channel, language, then each question's export cells, free text redacted
    (analysis.redact: no email, phone or identity number typed by a respondent
    leaves in an export).

    Read by keyset (response id), so memory holds one batch however many
    responses there are, and each batch costs the same at the end as at the start:
    two queries a batch, rows as tuples.
    """
    batch = batch or EXPORT_BATCH
    layout, redacted = _Layout(survey), _Redactor()
    after, number = 0, 0
    async with _tuple_rows() as fetch:
        while True:
            responses = await fetch(
                "SELECT id, submitted_at, channel, locale FROM response"
                " WHERE survey = {} AND status = {} AND id > {} ORDER BY id LIMIT {}",
                survey.id,
                ResponseStatus.complete.value,
                after,
                batch,
            )
            if not responses:
                return
            first, last = responses[0][0], responses[-1][0]
            wanted = {row[0] for row in responses}
            # response -> question -> its answer atoms, in the order they were given.
            # A range of response ids, not a list: answers of responses in it that
            # are not wanted (another survey's, a withdrawn one) are passed over.
            by_response: dict[int, dict[int, list[_Atom]]] = {}
            for response, question, option, value, text, statement, rank, analysed in await fetch(
                "SELECT a.response, a.question, a.option, a.number, a.text, a.statement,"
                " a.rank, ta.redacted FROM answer a LEFT JOIN text_answer ta ON ta.answer = a.id"
                " WHERE a.response >= {} AND a.response <= {} ORDER BY a.response, a.id",
                first,
                last,
            ):
                if response not in wanted:
                    continue
                if text is not None:
                    text = analysed if analysed is not None else redacted(text)
                given = by_response.get(response)
                if given is None:
                    given = by_response[response] = {}
                atoms = given.get(question)
                if atoms is None:
                    given[question] = [(option, value, text, statement, rank)]
                else:
                    atoms.append((option, value, text, statement, rank))
            rows = []
            cells_of, questions = layout.cells, layout.questions
            for response_id, submitted_at, channel, locale in responses:
                number += 1
                head = (number, _hour(submitted_at), channel, locale)
                answered = by_response.get(response_id)
                if answered is None:
                    rows.append(head + layout.all_blank)
                    continue
                cells: list[object] = list(head)
                for question in questions:
                    cells.extend(cells_of(question, answered.get(question.id)))
                rows.append(tuple(cells))
            yield rows
            after = last


def response_header(survey: SurveySpec) -> tuple[str, ...]:
    """One heading per export column of every question, in order."""
    return tuple(
        f"{question.position}. {question.text}" + (f" – {sub}" if sub else "")
        for question in survey.questions
        for sub in question.kind.export_columns(question)
    )

"""Counts and percentages per option, done in SQL, then small cells suppressed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite
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
    # Without Piccolo's type detection, which sends every INTEGER through a Python
    # converter (a third of the read); a time comes back as its text.
    lite = await aiosqlite.connect(**{**engine.connection_kwargs, "detect_types": 0})

    async def fetch_lite(sql: str, *args: object) -> Sequence[Sequence[Any]]:
        return await lite.execute_fetchall(sql.replace("{}", "?"), args)  # type: ignore[return-value]

    try:
        yield fetch_lite
    finally:
        await lite.close()


class _Layout:
    """Each question's export cells, worked out once per distinct answer: the
    question types (surveys.question_types) stay the one place that knows how an
    answer looks in a spreadsheet, and a survey's millions of atoms cost a dict
    look-up per question and response instead of a call that builds label maps."""

    def __init__(self, survey: SurveySpec) -> None:
        self._questions = {q.id: q for q in survey.questions}
        blank = {q.id: tuple(q.kind.export_cells(q, ())) for q in survey.questions}
        self.all_blank = tuple(cell for q in survey.questions for cell in blank[q.id])
        self._cache: dict[int, dict[tuple[_Atom, ...], tuple[object, ...]]] = {
            q.id: {} for q in survey.questions
        }
        # (question id, its cache, its cells when unanswered), in column order.
        self.plan = tuple((q.id, self._cache[q.id], blank[q.id]) for q in survey.questions)

    def cells(self, question_id: int, atoms: tuple[_Atom, ...]) -> tuple[object, ...]:
        """The cells of an answer not met before (and remembered, if short)."""
        question = self._questions[question_id]
        found = tuple(
            question.kind.export_cells(
                question,
                [
                    AnswerValue(question_id, option, number, text, statement, rank)
                    for option, number, text, statement, rank in atoms
                ],
            )
        )
        if all(text is None or len(text) <= _CACHED_TEXT_MAX for _, _, text, _, _ in atoms):
            cache = self._cache[question_id]
            if len(cache) >= _CELL_CACHE_MAX:
                cache.clear()
            cache[atoms] = found
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


_Rows = Sequence[Sequence[Any]]


async def _read_batch(fetch: Fetch, survey_id: int, after: int, batch: int) -> tuple[_Rows, _Rows]:
    """The next `batch` complete responses after id `after`, and the answers of the
    id range they span (by response, in the order given; with the text job's
    redaction where it stored one): two indexed queries."""
    responses = await fetch(
        "SELECT id, submitted_at, channel, locale FROM response"
        " WHERE survey = {} AND status = {} AND id > {} ORDER BY id LIMIT {}",
        survey_id,
        ResponseStatus.complete.value,
        after,
        batch,
    )
    if not responses:
        return (), ()
    # A range of ids, not a list of them: answers of responses in it that are not
    # wanted (another survey's, a withdrawn one) are passed over in _rows.
    answers = await fetch(
        "SELECT a.response, a.question, a.option, a.number, a.text, a.statement, a.rank,"
        " ta.redacted FROM answer a LEFT JOIN text_answer ta ON ta.answer = a.id"
        " WHERE a.response >= {} AND a.response <= {} ORDER BY a.response, a.id",
        responses[0][0],
        responses[-1][0],
    )
    return responses, answers


def _rows(
    layout: _Layout, redacted: _Redactor, responses: _Rows, answers: _Rows, number: int
) -> list[tuple[object, ...]]:
    """One export row per response, numbered from `number` + 1."""
    wanted = {row[0] for row in responses}
    # response -> question -> its answer atoms. The answers come by response, so
    # each atom costs a comparison and a look-up, no more.
    by_response: dict[int, dict[int, list[_Atom]]] = {}
    current, given = None, {}
    for response, question, option, value, text, statement, rank, analysed in answers:
        if response != current:
            current, given = response, {}
            if response in wanted:
                by_response[response] = given
        if text is not None:
            text = analysed if analysed is not None else redacted(text)
        atoms = given.get(question)
        if atoms is None:
            given[question] = [(option, value, text, statement, rank)]
        else:
            atoms.append((option, value, text, statement, rank))
    rows = []
    plan, all_blank, first_seen = layout.plan, layout.all_blank, layout.cells
    for response_id, submitted_at, channel, locale in responses:
        number += 1
        cells: list[object] = [number, _hour(submitted_at), channel, locale]
        answered = by_response.get(response_id)
        if answered is None:
            cells.extend(all_blank)
        else:
            for question_id, cache, blank in plan:
                atoms = answered.get(question_id)
                if atoms is None:
                    cells.extend(blank)
                    continue
                key = tuple(atoms)
                found = cache.get(key)
                cells.extend(first_seen(question_id, key) if found is None else found)
        rows.append(tuple(cells))
    return rows


async def response_batches(
    survey: SurveySpec, batch: int | None = None
) -> AsyncIterator[list[tuple[object, ...]]]:
    """Rows of complete responses, `batch` at a time, in order: number, hour,
    channel, language, then each question's export cells, free text redacted
    (analysis.redact: no email, phone or identity number typed by a respondent
    leaves in an export).

    Read by keyset (response id), so memory holds a batch or two however many
    responses there are, and each batch costs the same at the end as at the start.
    The next batch is read while this one is turned into rows and used.
    """
    batch = batch or EXPORT_BATCH
    layout, redacted = _Layout(survey), _Redactor()
    number = 0
    async with _tuple_rows() as fetch:
        ahead = asyncio.ensure_future(_read_batch(fetch, survey.id, 0, batch))
        try:
            while True:
                responses, answers = await ahead
                if not responses:
                    return
                ahead = asyncio.ensure_future(
                    _read_batch(fetch, survey.id, responses[-1][0], batch)
                )
                rows = _rows(layout, redacted, responses, answers, number)
                number += len(rows)
                yield rows
        finally:
            if not ahead.done():
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ahead


def response_header(survey: SurveySpec) -> tuple[str, ...]:
    """One heading per export column of every question, in order."""
    return tuple(
        f"{question.position}. {question.text}" + (f" – {sub}" if sub else "")
        for question in survey.questions
        for sub in question.kind.export_columns(question)
    )

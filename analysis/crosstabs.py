"""Cross-tabs: one question's answers broken down by a segment (another choice
question, the respondent's language, or the channel), counted in SQL and protected
by analysis.disclosure.suppress_table.

A segment value's filtered view is a column of the same protected table, so the
unfiltered results, the breakdown and any one filtered view together reveal no
hidden cell. Respondents who answered the question but not the segment question
are a column of their own ("No answer"), so that each row adds up to the count the
one-way results show, and nobody is missing from a line an attacker can solve.
"""

from __future__ import annotations

# The SQL here is built from fixed fragments and {} placeholders only; every value
# (a question or survey id) is bound.
# ruff: noqa: S608
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from analysis.disclosure import suppress_table, threshold
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec
from surveys.tables import Answer

# Questions whose answers put respondents into groups. With multiple choice a
# person can be in several columns: a row's cells then overlap and do not add up
# to its total, so the row totals suppress_table takes as known only make it
# hide more than it needs to; the columns, whose totals are known, it protects.
SEGMENT_TYPES = frozenset({"single_choice", "scale", "multiple_choice"})
# Questions shown as rows: each chosen option one row.
CROSSED_TYPES = frozenset({"single_choice", "multiple_choice", "scale"})
NO_ANSWER = ""  # the column of those who did not answer the segment question
R = TypeVar("R")


class SegmentKind(enum.StrEnum):
    question = "question"
    language = "language"
    channel = "channel"


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    question: QuestionSpec | None = None

    @property
    def value(self) -> str:
        """How the segment is named in a URL (?by=...)."""
        return f"q{self.question.id}" if self.question else self.kind.value


def segments_of(survey: SurveySpec) -> tuple[Segment, ...]:
    """Every segment a planner may break results down by."""
    return (
        *(Segment(SegmentKind.question, q) for q in survey.questions if q.type in SEGMENT_TYPES),
        Segment(SegmentKind.language),
        Segment(SegmentKind.channel),
    )


def parse_segment(survey: SurveySpec, value: str | None) -> Segment | None:
    """The segment named `value`, or None for anything else (no breakdown)."""
    return next((s for s in segments_of(survey) if s.value == value), None)


@dataclass(frozen=True)
class CrossRow:
    label: str
    cells: tuple[int | None, ...]  # None: not shown


@dataclass(frozen=True)
class CrossTab:
    question: QuestionSpec
    columns: tuple[str, ...]  # option ids (as text), locale codes or channels; NO_ANSWER
    rows: tuple[CrossRow, ...]
    k: int


_COMPLETE_RESPONSES = "JOIN response r ON r.id = a.response AND r.status = 'complete'"
_ROWS = "a.question = {} AND a.option IS NOT NULL AND a.statement IS NULL"


@dataclass(frozen=True)
class SegmentSql:
    """How a query over answers `a` of complete responses `r` gets the segment's
    column: a LEFT JOIN to add after the FROM (its {} bound to `params`, which come
    before the query's own), and the column expression to select and group by."""

    join: str
    column: str
    params: tuple[int, ...]


def segment_sql(segment: Segment) -> SegmentSql:
    if segment.question is not None:
        return SegmentSql(
            join=" LEFT JOIN answer b ON b.question = {} AND b.response = a.response"
            " AND b.statement IS NULL AND b.option IS NOT NULL",
            column="b.option",
            params=(segment.question.id,),
        )
    column = "r.locale" if segment.kind is SegmentKind.language else "r.channel"
    return SegmentSql(join="", column=column, params=())


def column_key(value: object) -> str:
    """A segment column's key as cross-tabs name it: NO_ANSWER for a missing one."""
    return NO_ANSWER if value is None else str(value)


def segment_cell_k(question: QuestionSpec, segment: Segment, k: int) -> int:
    """The threshold for cells of `question` by `segment`: the higher one when either
    is special-category."""
    special = question.special_category or bool(
        segment.question and segment.question.special_category
    )
    return threshold(k, special)


def protect(
    row_keys: Sequence[R], segment: Segment, counts: Mapping[tuple[R, str], int], k: int
) -> tuple[tuple[str, ...], dict[tuple[R, str], int | None]]:
    """The columns of a table by `segment` (the segment question's options in
    order, else those counted; NO_ANSWER last when anyone is in it) and its cells
    protected by suppress_table."""
    if segment.question is not None:
        columns = [str(option.id) for option in segment.question.options]
    else:
        columns = sorted({column for _, column in counts})
    if any(column == NO_ANSWER for _, column in counts) and NO_ANSWER not in columns:
        columns.append(NO_ANSWER)
    cells = {(row, column): counts.get((row, column), 0) for row in row_keys for column in columns}
    return tuple(columns), suppress_table(cells, k)


async def _counts(question: QuestionSpec, segment: Segment) -> dict[tuple[int, str], int]:
    """(option id, column) -> complete responses, one GROUP BY."""
    sql = segment_sql(segment)
    rows = await Answer.raw(
        f"SELECT a.option AS row_key, {sql.column} AS column_key,"
        f" COUNT(DISTINCT a.response) AS n FROM answer a {_COMPLETE_RESPONSES}{sql.join}"
        f" WHERE {_ROWS} GROUP BY a.option, {sql.column}",
        *sql.params,
        question.id,
    )
    return {(row["row_key"], column_key(row["column_key"])): row["n"] for row in rows}


async def cross_tab(question: QuestionSpec, segment: Segment, k: int) -> CrossTab:
    """The question by the segment, every cell that would expose a small group hidden."""
    cell_k = segment_cell_k(question, segment, k)
    option_ids = [option.id for option in question.options]
    columns, shown = protect(option_ids, segment, await _counts(question, segment), cell_k)
    return CrossTab(
        question=question,
        columns=columns,
        rows=tuple(
            CrossRow(option.label, tuple(shown[(option.id, column)] for column in columns))
            for option in question.options
        ),
        k=cell_k,
    )


async def cross_tabs(survey: SurveySpec, segment: Segment, k: int) -> tuple[CrossTab, ...]:
    """Every other choice question of the survey by the segment."""
    return tuple(
        [
            await cross_tab(question, segment, k)
            for question in survey.questions
            if question.type in CROSSED_TYPES
            and (segment.question is None or question.id != segment.question.id)
        ]
    )

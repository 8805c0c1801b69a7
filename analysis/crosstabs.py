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
from dataclasses import dataclass

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


async def _counts(question: QuestionSpec, segment: Segment) -> dict[tuple[int, str], int]:
    """(option id, column) -> complete responses, one GROUP BY."""
    if segment.kind is SegmentKind.question:
        assert segment.question is not None
        rows = await Answer.raw(
            "SELECT a.option AS row_key, b.option AS column_key,"
            " COUNT(DISTINCT a.response) AS n FROM answer a "
            f"{_COMPLETE_RESPONSES}"
            " LEFT JOIN answer b ON b.question = {} AND b.response = a.response"
            " AND b.statement IS NULL AND b.option IS NOT NULL"
            f" WHERE {_ROWS} GROUP BY a.option, b.option",
            segment.question.id,
            question.id,
        )
    else:
        column = "r.locale" if segment.kind is SegmentKind.language else "r.channel"
        rows = await Answer.raw(
            f"SELECT a.option AS row_key, {column} AS column_key,"
            f" COUNT(DISTINCT a.response) AS n FROM answer a {_COMPLETE_RESPONSES}"
            f" WHERE {_ROWS} GROUP BY a.option, {column}",
            question.id,
        )
    return {
        (row["row_key"], NO_ANSWER if row["column_key"] is None else str(row["column_key"])): row[
            "n"
        ]
        for row in rows
    }


async def cross_tab(question: QuestionSpec, segment: Segment, k: int) -> CrossTab:
    """The question by the segment, every cell that would expose a small group hidden."""
    special = question.special_category or bool(
        segment.question and segment.question.special_category
    )
    cell_k = threshold(k, special)
    counts = await _counts(question, segment)
    if segment.question is not None:
        columns = [str(option.id) for option in segment.question.options]
    else:
        columns = sorted({column for _, column in counts})
    if any(column == NO_ANSWER for _, column in counts) and NO_ANSWER not in columns:
        columns.append(NO_ANSWER)
    cells = {
        (option.id, column): counts.get((option.id, column), 0)
        for option in question.options
        for column in columns
    }
    shown = suppress_table(cells, cell_k)
    return CrossTab(
        question=question,
        columns=tuple(columns),
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

"""Accepted themes of one text question by a segment (another choice question,
language or channel): one GROUP BY, protected by analysis.disclosure.suppress_table.

The overview shows each theme's total, the row total here; every answer falls in
exactly one column (those who did not answer the segment question are "No
answer"), so a row adds up to it and suppress_table's reasoning holds: no hidden
cell follows from the shown cells and the totals, nor from two views compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.coding import accepted_themes
from analysis.crosstabs import NO_ANSWER, Segment, SegmentKind
from analysis.disclosure import suppress_table, threshold
from analysis.tables import TextAnswer
from analysis.text_insights._sql import COMPLETE, HAS_THEME
from surveys.question_types import QuestionSpec


@dataclass(frozen=True)
class BreakdownRow:
    theme_id: int
    label: str
    cells: tuple[int | None, ...]  # None: not shown


@dataclass(frozen=True)
class ThemeBreakdown:
    question: QuestionSpec
    columns: tuple[str, ...]  # option ids (as text), locales or channels; NO_ANSWER
    rows: tuple[BreakdownRow, ...]
    k: int


async def _counts(question: QuestionSpec, segment: Segment) -> dict[tuple[int, str], int]:
    base = f"FROM coding c JOIN text_answer ta ON ta.id = c.text_answer {COMPLETE}"
    if segment.kind is SegmentKind.question:
        assert segment.question is not None
        rows = await TextAnswer.raw(
            "SELECT c.theme AS row_key, b.option AS column_key,"
            f" COUNT(DISTINCT ta.id) AS n {base}"
            " LEFT JOIN answer b ON b.question = {} AND b.response = a.response"
            " AND b.statement IS NULL AND b.option IS NOT NULL"
            f" WHERE ta.question = {{}} AND {HAS_THEME} GROUP BY c.theme, b.option",
            segment.question.id,
            question.id,
        )
    else:
        column = "r.locale" if segment.kind is SegmentKind.language else "r.channel"
        rows = await TextAnswer.raw(
            f"SELECT c.theme AS row_key, {column} AS column_key,"
            f" COUNT(DISTINCT ta.id) AS n {base}"
            f" WHERE ta.question = {{}} AND {HAS_THEME} GROUP BY c.theme, {column}",
            question.id,
        )
    return {
        (row["row_key"], NO_ANSWER if row["column_key"] is None else str(row["column_key"])): int(
            row["n"]
        )
        for row in rows
    }


async def theme_breakdown(
    question: QuestionSpec, survey_id: int, segment: Segment, k: int
) -> ThemeBreakdown:
    """The question's accepted themes by the segment, small groups hidden."""
    special = question.special_category or bool(
        segment.question and segment.question.special_category
    )
    cell_k = threshold(k, special)
    themes = await accepted_themes(survey_id)
    counts = await _counts(question, segment)
    if segment.question is not None:
        columns = [str(option.id) for option in segment.question.options]
    else:
        columns = sorted({column for _, column in counts})
    if any(column == NO_ANSWER for _, column in counts) and NO_ANSWER not in columns:
        columns.append(NO_ANSWER)
    cells = {
        (theme["id"], column): counts.get((theme["id"], column), 0)
        for theme in themes
        for column in columns
    }
    shown = suppress_table(cells, cell_k)
    return ThemeBreakdown(
        question=question,
        columns=tuple(columns),
        rows=tuple(
            BreakdownRow(
                theme["id"], theme["label"], tuple(shown[(theme["id"], c)] for c in columns)
            )
            for theme in themes
        ),
        k=cell_k,
    )

"""Accepted themes of one text question by a segment (another choice question,
language or channel): one GROUP BY, protected by analysis.disclosure.suppress_table.

The overview shows each theme's total, the row total here; every answer falls in
exactly one column (those who did not answer the segment question are "No
answer"), so a row adds up to it and suppress_table's reasoning holds: no hidden
cell follows from the shown cells and the totals, nor from two views compared.
"""

# The SQL is built from fixed fragments and {} placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from analysis.coding import accepted_themes
from analysis.crosstabs import Segment, column_key, protect, segment_cell_k, segment_sql
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
    """(theme id, column) -> answers with the theme, one GROUP BY."""
    sql = segment_sql(segment)
    rows = await TextAnswer.raw(
        f"SELECT c.theme AS row_key, {sql.column} AS column_key, COUNT(DISTINCT ta.id) AS n"
        f" FROM coding c JOIN text_answer ta ON ta.id = c.text_answer {COMPLETE}{sql.join}"
        f" WHERE ta.question = {{}} AND {HAS_THEME} GROUP BY c.theme, {sql.column}",
        *sql.params,
        question.id,
    )
    return {(row["row_key"], column_key(row["column_key"])): int(row["n"]) for row in rows}


async def theme_breakdown(
    question: QuestionSpec, survey_id: int, segment: Segment, k: int
) -> ThemeBreakdown:
    """The question's accepted themes by the segment, small groups hidden."""
    cell_k = segment_cell_k(question, segment, k)
    themes = await accepted_themes(survey_id)
    theme_ids = [theme["id"] for theme in themes]
    columns, shown = protect(theme_ids, segment, await _counts(question, segment), cell_k)
    return ThemeBreakdown(
        question=question,
        columns=columns,
        rows=tuple(
            BreakdownRow(
                theme["id"], theme["label"], tuple(shown[(theme["id"], c)] for c in columns)
            )
            for theme in themes
        ),
        k=cell_k,
    )

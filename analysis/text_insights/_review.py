"""Reviewing one theme's codes: the answers the coder gave it, highest score first,
a page at a time by keyset, and the planner's yes or no on each. A decision is a
reviewed code (confirmed or rejected), which the coder learns from the next time
answers are re-coded, and which re-coding never overwrites."""

# ruff: noqa: S608  (fixed fragments and {} placeholders only; values are bound)
from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

from analysis.tables import CodeSource, Coding, TextAnswer
from analysis.text_insights._sql import COMPLETE
from consult.database import write_transaction

PAGE_SIZE = 25


class Decision(enum.StrEnum):
    yes = "yes"
    no = "no"


@dataclass(frozen=True)
class ReviewRow:
    coding_id: int
    text_answer_id: int
    text: str  # redacted
    score: float
    reasons: tuple[str, ...]
    source: str  # auto, confirmed or rejected
    quoted: bool = False  # approved as a quote (analysis.quotes)


_SELECT = (
    "SELECT c.id AS coding_id, ta.id AS text_answer_id, ta.redacted AS text,"
    " c.score AS score, c.reasons AS reasons, c.source AS source,"
    " EXISTS (SELECT 1 FROM quote qt WHERE qt.text_answer = ta.id) AS quoted"
    f" FROM coding c JOIN text_answer ta ON ta.id = c.text_answer {COMPLETE}"
)


def _row(row: dict[str, Any]) -> ReviewRow:
    reasons = row["reasons"]
    if isinstance(reasons, str):  # raw queries return JSON as text
        reasons = json.loads(reasons or "[]")
    return ReviewRow(
        coding_id=row["coding_id"],
        text_answer_id=row["text_answer_id"],
        text=row["text"],
        score=float(row["score"]),
        reasons=tuple(str(reason) for reason in reasons),
        source=row["source"],
        quoted=bool(row["quoted"]),
    )


async def review_page(
    theme_id: int, after: int | None = None, limit: int = PAGE_SIZE
) -> tuple[tuple[ReviewRow, ...], int | None]:
    """Unreviewed codes of the theme after the code `after` (highest score first,
    then oldest), and the code to continue after, or None on the last page."""
    where = "WHERE c.theme = {} AND c.source = 'auto'"
    values: list[object] = [theme_id]
    if after is not None:
        # Compared with the stored score itself: a score sent back in the address
        # would not equal a PostgreSQL REAL exactly.
        where += (
            " AND (c.score < (SELECT score FROM coding WHERE id = {})"
            " OR (c.score = (SELECT score FROM coding WHERE id = {}) AND c.id > {}))"
        )
        values += [after, after, after]
    rows = await TextAnswer.raw(
        f"{_SELECT} {where} ORDER BY c.score DESC, c.id LIMIT {{}}", *values, limit + 1
    )
    found = tuple(_row(row) for row in rows[:limit])
    return found, (found[-1].coding_id if len(rows) > limit else None)


async def review_row(theme_id: int, coding_id: int) -> ReviewRow | None:
    rows = await TextAnswer.raw(
        f"{_SELECT} WHERE c.theme = {{}} AND c.id = {{}}", theme_id, coding_id
    )
    return _row(rows[0]) if rows else None


async def decide(
    theme_id: int, coding_id: int, decision: Decision, staff_id: int
) -> ReviewRow | None:
    """Confirm or reject one code of the theme; the row as it now is, or None."""
    if await review_row(theme_id, coding_id) is None:
        return None
    source = CodeSource.confirmed if decision is Decision.yes else CodeSource.rejected
    async with write_transaction():
        await Coding.update({Coding.source: source.value, Coding.reviewed_by: staff_id}).where(
            (Coding.id == coding_id) & (Coding.theme == theme_id)
        )
    return await review_row(theme_id, coding_id)

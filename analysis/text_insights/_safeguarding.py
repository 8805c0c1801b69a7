"""Safeguarding flags for a person to follow up, and an answer's original text
(for admins; the route audits each view). Nothing here deletes anything:
testimony of hate is evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from analysis.tables import SafeguardingFlag, TextAnswer
from consult.database import write_transaction

PAGE_SIZE = 25


@dataclass(frozen=True)
class FlagRow:
    id: int
    concern: str
    text_answer_id: int
    text: str  # redacted
    question: str
    reviewed: bool
    note: str
    reviewed_at: datetime | None


@dataclass(frozen=True)
class OriginalText:
    text_answer_id: int
    survey_id: int
    question: str
    original: str
    redacted: str


_SELECT = (
    "SELECT f.id AS id, f.concern AS concern, ta.id AS text_answer_id,"
    " ta.redacted AS text, q.text AS question, f.reviewed AS reviewed, f.note AS note,"
    " f.reviewed_at AS reviewed_at"
    " FROM safeguarding_flag f JOIN text_answer ta ON ta.id = f.text_answer"
    " JOIN question q ON q.id = ta.question"
)


def _row(row: dict[str, Any]) -> FlagRow:
    return FlagRow(
        id=row["id"],
        concern=row["concern"],
        text_answer_id=row["text_answer_id"],
        text=row["text"],
        question=row["question"],
        reviewed=bool(row["reviewed"]),
        note=row["note"] or "",
        reviewed_at=row["reviewed_at"],
    )


async def flag_page(
    survey_id: int, include_done: bool = False, after: int | None = None, limit: int = PAGE_SIZE
) -> tuple[tuple[FlagRow, ...], int | None]:
    """The survey's flags after flag `after`, oldest first (those followed up too
    when `include_done`), and the flag to continue after, or None on the last page."""
    where = "WHERE q.survey = {}"
    values: list[object] = [survey_id]
    if not include_done:
        where += " AND f.reviewed = {}"
        values.append(False)
    if after is not None:
        where += " AND f.id > {}"
        values.append(after)
    rows = await SafeguardingFlag.raw(
        f"{_SELECT} {where} ORDER BY f.id LIMIT {{}}", *values, limit + 1
    )
    found = tuple(_row(row) for row in rows[:limit])
    return found, (found[-1].id if len(rows) > limit else None)


async def flag(survey_id: int, flag_id: int) -> FlagRow | None:
    rows = await SafeguardingFlag.raw(
        f"{_SELECT} WHERE q.survey = {{}} AND f.id = {{}}", survey_id, flag_id
    )
    return _row(rows[0]) if rows else None


async def follow_up(survey_id: int, flag_id: int, note: str, staff_id: int) -> FlagRow | None:
    """Mark a flag of the survey followed up, with what was done; None if not found."""
    if await flag(survey_id, flag_id) is None:
        return None
    async with write_transaction():
        await SafeguardingFlag.update(
            {
                SafeguardingFlag.reviewed: True,
                SafeguardingFlag.reviewed_by: staff_id,
                SafeguardingFlag.reviewed_at: datetime.now(UTC),
                SafeguardingFlag.note: note,
            }
        ).where(SafeguardingFlag.id == flag_id)
    return await flag(survey_id, flag_id)


async def original_text(text_answer_id: int) -> OriginalText | None:
    rows = await TextAnswer.raw(
        "SELECT ta.id AS id, q.survey AS survey, q.text AS question, a.text AS original,"
        " ta.redacted AS redacted FROM text_answer ta JOIN answer a ON a.id = ta.answer"
        " JOIN question q ON q.id = ta.question WHERE ta.id = {}",
        text_answer_id,
    )
    if not rows:
        return None
    row = rows[0]
    return OriginalText(
        row["id"], row["survey"], row["question"], row["original"] or "", row["redacted"]
    )

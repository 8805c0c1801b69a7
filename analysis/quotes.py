"""Approved quotes: free-text answers a planner chose to quote in reports and
exports. A quote starts as the answer's redacted text; the planner may shorten or
edit it, and whatever they save is redacted again (analysis.redact), so personal
data cannot come back in by editing. Only quotes of complete responses are read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from analysis.redact import redact
from analysis.tables import CodeSource, Coding, Quote, TextAnswer, ThemeStatus
from consult.database import write_transaction
from consult.tables import AuditEvent
from surveys.tables import ResponseStatus

QUOTE_MAX = 2000


@dataclass(frozen=True)
class QuoteView:
    id: int
    text_answer_id: int
    question_id: int
    text: str  # redacted
    theme_ids: tuple[int, ...]  # accepted themes the answer is coded with


class QuoteInvalid(ValueError):
    """A quote must have 1 to QUOTE_MAX characters."""


def clean_quote(text: str) -> str:
    """The text as it would be stored: trimmed, personal data replaced; raises
    QuoteInvalid when it is empty or too long."""
    text = text.strip()
    if not text or len(text) > QUOTE_MAX:
        raise QuoteInvalid(text[:40])
    return redact(text).text


def shortened(text: str) -> str:
    """A long answer's opening, cut at a word before QUOTE_MAX characters with an
    ellipsis: what "Use as a quote" proposes for an answer too long to quote whole
    (the planner may edit it after)."""
    text = text.strip()
    if len(text) <= QUOTE_MAX:
        return text
    cut = text[: QUOTE_MAX - 1]
    space = cut.rfind(" ")
    # A word boundary in the last fifth; otherwise (one endless word) cut anywhere.
    if space > QUOTE_MAX * 4 // 5:
        cut = cut[:space]
    return cut.rstrip() + "…"


async def approved_quotes(survey_id: int) -> tuple[QuoteView, ...]:
    """The survey's approved quotes, oldest first, with their themes (two queries)."""
    rows = (
        await Quote.select(
            Quote.id, Quote.text_answer, Quote.text, Quote.text_answer.question.as_alias("q")
        )
        .where(
            (Quote.text_answer.question.survey == survey_id)
            & (Quote.text_answer.answer.response.status == ResponseStatus.complete.value)
        )
        .order_by(Quote.approved_at)
        .order_by(Quote.id)
    )
    if not rows:
        return ()
    themes: dict[int, list[int]] = {}
    for row in (
        await Coding.select(Coding.text_answer, Coding.theme)
        .where(
            Coding.text_answer.is_in([row["text_answer"] for row in rows])
            & Coding.source.is_in([CodeSource.auto.value, CodeSource.confirmed.value])
            & (Coding.theme.status == ThemeStatus.accepted.value)
        )
        .order_by(Coding.theme)
    ):
        themes.setdefault(row["text_answer"], []).append(row["theme"])
    return tuple(
        QuoteView(
            id=row["id"],
            text_answer_id=row["text_answer"],
            question_id=row["q"],
            text=row["text"],
            theme_ids=tuple(themes.get(row["text_answer"], ())),
        )
        for row in rows
    )


async def quoted_answer_ids(text_answer_ids: list[int]) -> set[int]:
    """Which of these text answers are quoted already."""
    if not text_answer_ids:
        return set()
    rows = await Quote.select(Quote.text_answer).where(Quote.text_answer.is_in(text_answer_ids))
    return {row["text_answer"] for row in rows}


async def survey_of_text_answer(text_answer_id: int) -> int | None:
    row = (
        await TextAnswer.select(TextAnswer.question.survey.as_alias("survey"))
        .where(TextAnswer.id == text_answer_id)
        .first()
    )
    return row["survey"] if row else None


async def survey_of_quote(quote_id: int) -> int | None:
    row = (
        await Quote.select(Quote.text_answer.question.survey.as_alias("survey"))
        .where(Quote.id == quote_id)
        .first()
    )
    return row["survey"] if row else None


def _audit(actor_id: int | None, action: str, quote_id: int) -> AuditEvent:
    return AuditEvent(
        actor=actor_id, action=action, object_type="quote", object_id=quote_id, at=datetime.now(UTC)
    )


async def approve(text_answer_id: int, text: str | None = None, staff_id: int | None = None) -> int:
    """Approve a text answer for quoting (again: its text is replaced); the quote's
    id. `text` defaults to the answer's redacted text and is redacted again.
    Raises LookupError for an unknown answer (or one of a response that no longer
    counts) and QuoteInvalid for empty or over-long text."""
    answer = (
        await TextAnswer.select(TextAnswer.id, TextAnswer.redacted)
        .where(
            (TextAnswer.id == text_answer_id)
            & (TextAnswer.answer.response.status == ResponseStatus.complete.value)
        )
        .first()
    )
    if answer is None:
        raise LookupError(text_answer_id)
    cleaned = clean_quote(shortened(answer["redacted"]) if text is None else text)
    async with write_transaction():
        existing = await Quote.select(Quote.id).where(Quote.text_answer == text_answer_id).first()
        if existing is not None:
            quote_id = int(existing["id"])
            await Quote.update({Quote.text: cleaned}).where(Quote.id == quote_id)
        else:
            rows = await Quote.insert(
                Quote(
                    text_answer=text_answer_id,
                    text=cleaned,
                    approved_by=staff_id,
                    approved_at=datetime.now(UTC),
                )
            )
            quote_id = int(rows[0]["id"])
        await AuditEvent.insert(_audit(staff_id, "approve_quote", quote_id))
    return quote_id


async def edit(quote_id: int, text: str, staff_id: int | None = None) -> bool:
    """Save a shortened or edited quote (redacted again); False when there is none.
    Raises QuoteInvalid."""
    cleaned = clean_quote(text)
    async with write_transaction():
        if not await Quote.exists().where(Quote.id == quote_id):
            return False
        await Quote.update({Quote.text: cleaned}).where(Quote.id == quote_id)
        await AuditEvent.insert(_audit(staff_id, "edit_quote", quote_id))
    return True


async def withdraw(quote_id: int, staff_id: int | None = None) -> bool:
    """No longer quote it (evidence citing it goes too); False when there was none."""
    async with write_transaction():
        if not await Quote.exists().where(Quote.id == quote_id):
            return False
        await Quote.delete().where(Quote.id == quote_id)
        await AuditEvent.insert(_audit(staff_id, "withdraw_quote", quote_id))
    return True

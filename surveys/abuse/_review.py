"""A planner's review of held responses: what each says (free text redacted), and
the two decisions, "Count it" and "Keep out". Nothing here deletes a response."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.redact import redact
from consult.database import write_transaction
from consult.services import audit
from consult.settings import get_settings
from surveys import tally
from surveys.abuse._signals import KEPT_OUT, split_flags
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue
from surveys.tables import ANSWER_ATOM_COLUMNS, Answer, Response, ResponseStatus

# Held responses shown on one page; the count above them says how many there are.
SHOWN = 50

_QUARANTINED = ResponseStatus.quarantined.value
_KEPT_OUT_LIKE = f"%{KEPT_OUT}%"


@dataclass(frozen=True)
class HeldAnswer:
    """One question's answers, as the respondent would read them back."""

    question: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class HeldResponse:
    id: int
    submitted_at: datetime  # the hour, on the city's clock
    channel: str
    reasons: tuple[str, ...]
    answers: tuple[HeldAnswer, ...]


@dataclass(frozen=True)
class Review:
    """A survey's held responses (waiting for a decision) and those kept out."""

    held: tuple[HeldResponse, ...]
    held_total: int
    kept_out: tuple[HeldResponse, ...]
    kept_out_total: int


def _waiting() -> Any:
    return (Response.status == _QUARANTINED) & Response.flags.not_like(_KEPT_OUT_LIKE)


def _kept() -> Any:
    return (Response.status == _QUARANTINED) & Response.flags.like(_KEPT_OUT_LIKE)


async def held_count(survey_id: int) -> int:
    """Responses to `survey_id` held for review and not yet decided."""
    return await Response.count().where((Response.survey == survey_id) & _waiting())


async def review(spec: SurveySpec, shown: int = SHOWN) -> Review:
    """The survey's held responses, newest first, `shown` of each kind at most."""
    held = await _responses(spec, _waiting(), shown)
    kept = await _responses(spec, _kept(), shown)
    return Review(
        held=held,
        held_total=await held_count(spec.id),
        kept_out=kept,
        kept_out_total=await Response.count().where((Response.survey == spec.id) & _kept()),
    )


async def _responses(spec: SurveySpec, which: Any, limit: int) -> tuple[HeldResponse, ...]:
    rows = (
        await Response.select(Response.id, Response.submitted_at, Response.channel, Response.flags)
        .where((Response.survey == spec.id) & which)
        .order_by(Response.id, ascending=False)
        .limit(limit)
    )
    if not rows:
        return ()
    ids = [row["id"] for row in rows]
    atoms = await Answer.select(Answer.response, *ANSWER_ATOM_COLUMNS).where(
        Answer.response.is_in(ids)
    )
    answers: dict[int, list[AnswerValue]] = defaultdict(list)
    for atom in atoms:
        text = atom["text"]
        answers[atom["response"]].append(
            AnswerValue(
                question_id=atom["question"],
                option_id=atom["option"],
                number=atom["number"],
                # Free text is shown redacted, as on every other page of it.
                text=redact(text).text if text else text,
                statement_id=atom["statement"],
                rank=atom["rank"],
            )
        )
    zone = get_settings().zone
    return tuple(
        HeldResponse(
            id=row["id"],
            submitted_at=row["submitted_at"].astimezone(zone),
            channel=row["channel"],
            reasons=tuple(flag for flag in split_flags(row["flags"]) if flag != KEPT_OUT),
            answers=_readable(spec, answers.get(row["id"], [])),
        )
        for row in rows
    )


def _readable(spec: SurveySpec, answers: list[AnswerValue]) -> tuple[HeldAnswer, ...]:
    by_question: dict[int, list[AnswerValue]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    return tuple(
        HeldAnswer(question.text, question.kind.describe(question, by_question[question.id]))
        for question in spec.questions
        if question.id in by_question
    )


async def release(survey_id: int, response_id: int, actor_id: int | None = None) -> bool:
    """ "Count it": the held response becomes complete and is added to the tally, in
    one transaction with its audit row; False if it was not held (already decided,
    or not this survey's)."""
    async with write_transaction():
        rows = await Response.raw(
            f"UPDATE {Response._meta.tablename} SET status = {{}}"  # noqa: S608
            " WHERE id = {} AND survey = {} AND status = {} RETURNING id",
            ResponseStatus.complete.value,
            response_id,
            survey_id,
            _QUARANTINED,
        )
        if rows:
            await tally.add([rows[0]["id"]])
            await audit.add(actor_id, "count_held", "response", response_id)
    return bool(rows)


async def keep_out(survey_id: int, response_id: int, actor_id: int | None = None) -> bool:
    """ "Keep out": the held response stays stored and uncounted, marked as decided
    (audited); False if it was not waiting for a decision."""
    async with write_transaction():
        rows = await Response.raw(
            f"UPDATE {Response._meta.tablename}"  # noqa: S608
            " SET flags = CASE WHEN flags = '' THEN {} ELSE flags || ',' || {} END"
            " WHERE id = {} AND survey = {} AND status = {} AND flags NOT LIKE {}"
            " RETURNING id",
            KEPT_OUT,
            KEPT_OUT,
            response_id,
            survey_id,
            _QUARANTINED,
            _KEPT_OUT_LIKE,
        )
        if rows:
            await audit.add(actor_id, "keep_out_held", "response", response_id)
    return bool(rows)


__all__ = [
    "SHOWN",
    "HeldAnswer",
    "HeldResponse",
    "Review",
    "held_count",
    "keep_out",
    "release",
    "review",
]

"""Building surveys, reading them for respondents, and storing submissions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from consult.database import write_transaction
from consult.services.consultations import status_of
from consult.tables import ConsultationStatus
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue, OptionSpec, QuestionSpec, get_type
from surveys.tables import Answer, Channel, Option, Question, Response, Survey


class QuestionsLocked(Exception):
    """Questions cannot change once anybody has answered."""


class ConsultationNotOpen(Exception):
    pass


async def surveys_of(consultation_id: int) -> list[Survey]:
    return await Survey.objects().where(Survey.consultation == consultation_id).order_by(Survey.id)


async def by_id(survey_id: int) -> Survey | None:
    return await Survey.objects().where(Survey.id == survey_id).first()


async def create_survey(consultation_id: int, title: str, intro: str, consent_text: str) -> Survey:
    survey = Survey(
        consultation=consultation_id,
        title=title,
        intro=intro,
        consent_text=consent_text,
        created_at=datetime.now(UTC),
    )
    async with write_transaction():
        await survey.save()
    return survey


@dataclass(frozen=True)
class NewOption:
    label: str
    is_prefer_not_to_say: bool = False


async def has_answers(survey_id: int) -> bool:
    return await Response.exists().where(Response.survey == survey_id)


async def add_question(
    survey_id: int,
    type_key: str,
    text: str,
    help_text: str,
    required: bool,
    options: Sequence[NewOption],
    special_category: bool = False,
) -> int:
    """Append a question (and its options, in order) to a survey."""
    get_type(type_key)  # refuses an unknown type before anything is written
    async with write_transaction():
        if await has_answers(survey_id):
            raise QuestionsLocked(survey_id)
        last = (
            await Question.select(Question.position)
            .where(Question.survey == survey_id)
            .order_by(Question.position, ascending=False)
            .first()
        )
        position = (last["position"] if last else 0) + 1
        inserted = await Question.insert(
            Question(
                survey=survey_id,
                position=position,
                type=type_key,
                text=text,
                help=help_text,
                required=required,
                special_category=special_category,
            )
        )
        question_id = inserted[0]["id"]
        if options:
            await Option.insert(
                *[
                    Option(
                        question=question_id,
                        position=index,
                        label=option.label,
                        is_prefer_not_to_say=option.is_prefer_not_to_say,
                    )
                    for index, option in enumerate(options, start=1)
                ]
            )
    forget_cached()
    return question_id


async def load_spec(survey_id: int) -> SurveySpec | None:
    """The survey as plain data: questions and options in order, two queries."""
    survey = (
        await Survey.select(
            Survey.id, Survey.consultation, Survey.title, Survey.intro, Survey.consent_text
        )
        .where(Survey.id == survey_id)
        .first()
    )
    if survey is None:
        return None
    questions = (
        await Question.select().where(Question.survey == survey_id).order_by(Question.position)
    )
    options = (
        await Option.select()
        .where(Option.question.survey == survey_id)
        .order_by(Option.question)
        .order_by(Option.position)
    )
    by_question: dict[int, list[OptionSpec]] = {}
    for row in options:
        by_question.setdefault(row["question"], []).append(
            OptionSpec(
                id=row["id"],
                position=row["position"],
                label=row["label"],
                is_prefer_not_to_say=bool(row["is_prefer_not_to_say"]),
                is_other=bool(row["is_other"]),
            )
        )
    return SurveySpec(
        id=survey["id"],
        consultation_id=survey["consultation"],
        title=survey["title"],
        intro=survey["intro"],
        consent_text=survey["consent_text"],
        questions=tuple(
            QuestionSpec(
                id=row["id"],
                position=row["position"],
                type=row["type"],
                text=row["text"],
                help=row["help"],
                required=bool(row["required"]),
                special_category=bool(row["special_category"]),
                options=tuple(by_question.get(row["id"], ())),
            )
            for row in questions
        ),
    )


# The question page is the hottest page; its definition changes only while the
# survey is a draft, so a worker reuses it for a moment (see Settings).
_spec_cache: dict[int, tuple[float, SurveySpec | None]] = {}


async def cached_spec(survey_id: int, ttl: float) -> SurveySpec | None:
    now = time.monotonic()
    hit = _spec_cache.get(survey_id)
    if hit and hit[0] > now:
        return hit[1]
    spec = await load_spec(survey_id)
    _spec_cache[survey_id] = (now + ttl, spec)
    return spec


def forget_cached() -> None:
    _spec_cache.clear()


def _coarse_now() -> datetime:
    """The submission time rounded down to the hour, so it cannot single anyone out."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


async def submit(
    survey: SurveySpec,
    answers: Sequence[AnswerValue],
    idempotency_key: str,
    locale: str,
    channel: Channel = Channel.web,
) -> bool:
    """Store one response and its answers in one transaction.

    Returns False when this form was already stored (a double tap or a retry),
    in which case nothing is written.
    """
    try:
        async with write_transaction():
            if await status_of(survey.consultation_id) != ConsultationStatus.open.value:
                raise ConsultationNotOpen(survey.consultation_id)
            if await Response.exists().where(Response.idempotency_key == idempotency_key):
                return False
            inserted = await Response.insert(
                Response(
                    survey=survey.id,
                    channel=channel.value,
                    locale=locale,
                    submitted_at=_coarse_now(),
                    idempotency_key=idempotency_key,
                )
            )
            response_id = inserted[0]["id"]
            if answers:
                await Answer.insert(
                    *[
                        Answer(
                            response=response_id,
                            question=answer.question_id,
                            option=answer.option_id,
                            number=answer.number,
                            text=answer.text,
                        )
                        for answer in answers
                    ]
                )
    except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
        # Two workers raced with the same key; the UNIQUE constraint kept one.
        if await Response.exists().where(Response.idempotency_key == idempotency_key):
            return False
        raise
    return True

"""Building surveys, reading them for respondents, and storing submissions."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from consult.cache import TimedCache
from consult.database import GroupCommit, write_transaction
from consult.tables import Consultation, ConsultationStatus
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
_spec_cache: TimedCache[int, SurveySpec | None] = TimedCache()


async def cached_spec(survey_id: int, ttl: float) -> SurveySpec | None:
    return await _spec_cache.get(survey_id, ttl, lambda: load_spec(survey_id))


def forget_cached() -> None:
    _spec_cache.clear()


def _coarse_now() -> datetime:
    """The submission time rounded down to the hour, so it cannot single anyone out."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


class _Stored(enum.Enum):
    """What became of one submission."""

    new = "new"
    already = "already"  # the same form was stored before: nothing written
    not_open = "not_open"  # the consultation closed meanwhile: nothing written


@dataclass(frozen=True)
class _Submission:
    survey_id: int
    consultation_id: int
    answers: tuple[AnswerValue, ...]
    idempotency_key: str
    locale: str
    channel: str


async def submit(
    survey: SurveySpec,
    answers: Sequence[AnswerValue],
    idempotency_key: str,
    locale: str,
    channel: Channel = Channel.web,
) -> bool:
    """Store one response and its answers, all or nothing, and only once.

    Returns False when this form was already stored (a double tap or a retry),
    in which case nothing is written. Submissions that arrive together are
    written in one transaction (see GroupCommit), each of them whole or not at all.
    """
    stored = await _submissions.write(
        _Submission(
            survey_id=survey.id,
            consultation_id=survey.consultation_id,
            answers=tuple(answers),
            idempotency_key=idempotency_key,
            locale=locale,
            channel=channel.value,
        )
    )
    if stored is _Stored.not_open:
        raise ConsultationNotOpen(survey.consultation_id)
    return stored is _Stored.new


async def _store(submissions: list[_Submission]) -> list[_Stored]:
    """Write a batch inside one transaction: three statements for a batch of any
    ordinary size (answers go 1,000 rows to an INSERT)."""
    open_ids = await _open_consultation_ids({s.consultation_id for s in submissions})
    # A double tap can put one form twice into a batch: the first copy counts.
    first_with_key: dict[str, _Submission] = {}
    for submission in submissions:
        if submission.consultation_id in open_ids:
            first_with_key.setdefault(submission.idempotency_key, submission)
    response_ids = await _insert_responses(list(first_with_key.values()))
    await _insert_answers(
        [
            (response_ids[s.idempotency_key], answer)
            for s in first_with_key.values()
            if s.idempotency_key in response_ids
            for answer in s.answers
        ]
    )
    outcomes: list[_Stored] = []
    for submission in submissions:
        key = submission.idempotency_key
        if submission.consultation_id not in open_ids:
            outcomes.append(_Stored.not_open)
        elif first_with_key[key] is submission and key in response_ids:
            outcomes.append(_Stored.new)
        else:
            outcomes.append(_Stored.already)
    return outcomes


async def _insert_responses(submissions: list[_Submission]) -> dict[str, int]:
    """Insert the responses whose key is new; return their ids by key.

    ON CONFLICT DO NOTHING skips a key stored before, even one that another worker
    is storing at this moment (the UNIQUE index decides), so no look-up comes first.
    """
    if not submissions:
        return {}
    rows = (
        await Response.insert(
            *[
                Response(
                    survey=s.survey_id,
                    channel=s.channel,
                    locale=s.locale,
                    submitted_at=_coarse_now(),
                    idempotency_key=s.idempotency_key,
                )
                for s in submissions
            ]
        )
        .on_conflict(target=Response.idempotency_key, action="DO NOTHING")
        .returning(Response.id, Response.idempotency_key)
    )
    return {row["idempotency_key"]: row["id"] for row in rows}


async def _open_consultation_ids(consultation_ids: set[int]) -> set[int]:
    """Which of these consultations take answers now (read inside the transaction)."""
    rows = await Consultation.select(Consultation.id).where(
        Consultation.id.is_in(list(consultation_ids))
        & (Consultation.status == ConsultationStatus.open.value)
    )
    return {row["id"] for row in rows}


# Answer rows in one INSERT at most: well within both databases' limit on bound
# parameters (SQLite 32766, PostgreSQL 32767).
_ANSWER_ROWS_PER_INSERT = 1000
_ANSWER_COLUMNS = (Answer.response, Answer.question, Answer.option, Answer.number, Answer.text)


def _answers_insert_sql(row_count: int) -> str:
    """INSERT INTO answer (...) VALUES ({}, ...), ...: Piccolo binds each {} per engine."""
    columns = ", ".join(column._meta.db_column_name for column in _ANSWER_COLUMNS)
    rows = ", ".join(["(" + ", ".join(["{}"] * len(_ANSWER_COLUMNS)) + ")"] * row_count)
    # Only names from the table definition go into the text; every value is bound.
    return f"INSERT INTO {Answer._meta.tablename} ({columns}) VALUES {rows}"  # noqa: S608


def _answer_values(response_id: int, answer: AnswerValue) -> tuple[Any, ...]:
    """One row's values, in the order of _ANSWER_COLUMNS."""
    return (response_id, answer.question_id, answer.option_id, answer.number, answer.text)


async def _insert_answers(rows: list[tuple[int, AnswerValue]]) -> None:
    """Multi-row INSERTs written out: building an Answer object and its SQL for each
    row cost more CPU than the rest of a submission together."""
    for start in range(0, len(rows), _ANSWER_ROWS_PER_INSERT):
        chunk = rows[start : start + _ANSWER_ROWS_PER_INSERT]
        values = [value for row in chunk for value in _answer_values(*row)]
        await Answer.raw(_answers_insert_sql(len(chunk)), *values)


_submissions: GroupCommit[_Submission, _Stored] = GroupCommit(_store)

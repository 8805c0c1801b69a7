"""Building surveys, reading them for respondents, and storing submissions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from consult.cache import TimedCache
from consult.database import write_transaction
from surveys.flow import SurveySpec
from surveys.question_types import OptionSpec, QuestionSpec, get_type
from surveys.tables import Option, Question, Response, Survey


class QuestionsLocked(Exception):
    """Questions cannot change once anybody has answered."""


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


async def answered_survey_ids(consultation_id: int) -> set[int]:
    """Which of a consultation's surveys have answers (and so fixed questions)."""
    rows = (
        await Response.select(Response.survey)
        .where(Response.survey.consultation == consultation_id)
        .distinct()
    )
    return {row["survey"] for row in rows}


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

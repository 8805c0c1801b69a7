"""What every change to a survey's definition shares: the lock, the rules, the cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from consult.database import write_transaction
from consult.i18n import N_
from surveys import services
from surveys.definition import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    Problem,
    definition_of,
    rule_problems,
)
from surveys.flow import SurveySpec
from surveys.tables import Question


class QuestionsLocked(Exception):
    """Questions cannot change once anybody has answered: the answers would no
    longer mean what they meant. A change then needs a new version of the survey."""


class NotInSurvey(LookupError):
    """The question, option or survey named is not where the request says."""


@dataclass(frozen=True)
class Refusal:
    """A rule a change would break, said about the question it concerns."""

    question: str  # the question's text ("" for the survey as a whole)
    message: str  # translatable
    params: dict[str, object]


class ChangeRefused(Exception):
    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(r.message for r in refusals))
        self.refusals = refusals


def refusals_of(spec: SurveySpec, problems: list[Problem]) -> list[Refusal]:
    """Problems found in a definition (placed as `questions[3]...`) as refusals
    naming the question, which is what a planner in the builder recognises."""
    found = []
    for problem in problems:
        text = ""
        if problem.place.startswith("questions["):
            index = int(problem.place[len("questions[") :].split("]", 1)[0])
            text = spec.questions[index].text if index < len(spec.questions) else ""
        found.append(Refusal(text, problem.message, dict(problem.params)))
    return found


async def survey_problems(survey_id: int) -> tuple[SurveySpec, list[Problem]]:
    """The survey as stored now, and every rule of the definition format it breaks."""
    spec = await services.load_spec(survey_id)
    if spec is None:
        raise NotInSurvey(survey_id)
    keys = await services.question_keys(survey_id)
    definition = definition_of(
        spec.title,
        spec.intro,
        spec.consent_text,
        spec.one_question_per_page,
        spec.questions,
        keys,
    )
    return spec, [*_count_problems(spec), *rule_problems(definition)]


def _count_problems(spec: SurveySpec) -> list[Problem]:
    """The limits on counts a definition file has (its schema's maxItems), which
    the builder's changes must keep too: a survey that could not be exported and
    imported again is not made."""
    problems = []
    if len(spec.questions) > MAX_QUESTIONS:
        problems.append(
            Problem("", N_("A survey has at most %(max)s questions."), {"max": MAX_QUESTIONS})
        )
    for index, question in enumerate(spec.questions):
        if len(question.options) > MAX_OPTIONS or len(question.statements) > MAX_OPTIONS:
            problems.append(
                Problem(
                    f"questions[{index}]",
                    N_("A question has at most %(max)s answers and %(max)s statements."),
                    {"max": MAX_OPTIONS},
                )
            )
    return problems


@asynccontextmanager
async def editing(survey_id: int) -> AsyncIterator[None]:
    """One change to a survey's questions: refused once it has answers, and rolled
    back whole if it leaves the survey breaking a rule (a condition on a later
    question, two questions with one key ...)."""
    async with write_transaction():
        if await services.has_answers(survey_id):
            raise QuestionsLocked(survey_id)
        yield
        spec, problems = await survey_problems(survey_id)
        if problems:
            raise ChangeRefused(refusals_of(spec, problems))
    services.forget_cached()


async def survey_of_question(question_id: int) -> int:
    row = await Question.select(Question.survey).where(Question.id == question_id).first()
    if row is None:
        raise NotInSurvey(question_id)
    return row["survey"]


async def renumber_questions(survey_id: int, ordered_ids: list[int]) -> None:
    for position, question_id in enumerate(ordered_ids, start=1):
        await Question.update({Question.position: position}).where(Question.id == question_id)


async def question_ids_in_order(survey_id: int) -> list[int]:
    rows = (
        await Question.select(Question.id)
        .where(Question.survey == survey_id)
        .order_by(Question.position)
        .order_by(Question.id)
    )
    return [row["id"] for row in rows]

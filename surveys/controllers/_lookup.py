"""Finding what a staff address names, checked against the address itself: a survey
of another consultation, or a question of another survey, is not found."""

from __future__ import annotations

import re

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from consult.services import consultations
from consult.tables import Consultation
from surveys import services
from surveys.definition import CONDITION_SOURCES
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec

# Where focus returns after an action: an element id the app wrote itself.
FOCUS_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


async def consultation_or_404(consultation_id: int) -> Consultation:
    consultation = await consultations.by_id(consultation_id)
    if consultation is None:
        raise NotFoundException()
    return consultation


async def survey_or_404(consultation: Consultation, survey_id: int) -> SurveySpec:
    spec = await services.load_spec(survey_id)
    if spec is None or spec.consultation_id != consultation.id:
        raise NotFoundException()
    return spec


def question_or_404(spec: SurveySpec, question_id: int) -> QuestionSpec:
    question = spec.question_by_id.get(question_id)
    if question is None:
        raise NotFoundException()
    return question


def builder_url(consultation: Consultation, focus: str = "") -> str:
    base = f"/staff/consultations/{consultation.id}"
    return f"{base}?focus={focus}#{focus}" if focus else base


def back_to_builder(consultation: Consultation, focus: str = "") -> Redirect:
    return Redirect(builder_url(consultation, focus), status_code=303)


def condition_sources(spec: SurveySpec, question: QuestionSpec) -> list[QuestionSpec]:
    """Earlier questions a condition of `question` may rest on: choice questions
    on an earlier page."""
    page = spec.page_of(question.id)
    return [
        candidate
        for candidate in spec.questions
        if candidate.type in CONDITION_SOURCES
        and (source_page := spec.page_of(candidate.id)) is not None
        and page is not None
        and source_page.number < page.number
    ]


async def _provide_consultation(consultation_id: FromPath[int]) -> Consultation:
    return await consultation_or_404(consultation_id)


async def _provide_survey(
    consultation: NamedDependency[Consultation], survey_id: FromPath[int]
) -> SurveySpec:
    return await survey_or_404(consultation, survey_id)


def _provide_question(
    spec: NamedDependency[SurveySpec], question_id: FromPath[int]
) -> QuestionSpec:
    return question_or_404(spec, question_id)


# A handler names `consultation`, `spec` or `question` and gets it from the path,
# checked all the way up (the question is of this survey, of this consultation).
LOOKUPS = {
    "consultation": Provide(_provide_consultation),
    "spec": Provide(_provide_survey),
    "question": Provide(_provide_question, sync_to_thread=False),
}

"""What every sheet of the strategy-input workbook is built from: the survey (its
texts in the consultation's reporting language), its consultation, the translator
of the export's own words and the segments the workbook breaks down by."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.crosstabs import SEGMENT_TYPES, Segment, SegmentKind
from analysis.reporting_language import ReportingTexts, reporting_texts
from analysis.strategy_inputs._words import Gettext
from consult.services import consultations
from consult.tables import Consultation
from surveys import services as surveys
from surveys.flow import SurveySpec
from surveys.instruments import question_bank


@dataclass(frozen=True)
class Source:
    """What every sheet is built from."""

    # In the reporting language (reporting.survey): every sheet that shows a
    # question text or an option label takes it from here.
    survey: SurveySpec
    consultation: Consultation
    gettext: Gettext
    segments: tuple[Segment, ...]
    reporting: ReportingTexts
    locale: str  # the export's own words are in this language (the planner's)

    @property
    def k(self) -> int:
        return int(self.consultation.k_threshold)


async def load(survey_id: int, locale: str, gettext: Gettext) -> Source:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise LookupError(f"no survey {survey_id}")
    reporting = await reporting_texts(spec, consultation)
    survey = reporting.survey
    return Source(survey, consultation, gettext, await workbook_segments(survey), reporting, locale)


async def workbook_segments(survey: SurveySpec) -> tuple[Segment, ...]:
    """What the workbook breaks indicators and themes down by: the survey's
    demographic questions (those from the question bank, by key), then language and
    channel. Every choice question would be a segment on screen; a workbook of
    twenty questions by twenty segments would bury the ones a strategy is about."""
    bank = {question.key for question in question_bank().questions}
    keys = await surveys.question_keys(survey.id)
    return (
        *(
            Segment(SegmentKind.question, question)
            for question in survey.questions
            if question.type in SEGMENT_TYPES and keys.get(question.id) in bank
        ),
        Segment(SegmentKind.language),
        Segment(SegmentKind.channel),
    )

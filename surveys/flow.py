"""Reading a submitted survey form: answers for storage, errors and kept values.

Pure code. The controller hands in the form as a mapping of field name to the list
of values sent, and gets back everything it needs to store or to re-render.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveys.question_types import AnswerError, AnswerValue, InvalidAnswer, QuestionSpec


@dataclass(frozen=True)
class SurveySpec:
    """A survey as the respondent sees it: plain data, cached between requests."""

    id: int
    consultation_id: int
    title: str
    intro: str
    consent_text: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class ParsedForm:
    answers: tuple[AnswerValue, ...]
    # question id -> why its answer was refused, in question order
    errors: Mapping[int, AnswerError]
    # field name -> what the person sent, to put back into the form
    values: Mapping[str, tuple[str, ...]]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_form(survey: SurveySpec, form: Mapping[str, Sequence[str]]) -> ParsedForm:
    """Validate every question of the survey against what the form sent."""
    answers: list[AnswerValue] = []
    errors: dict[int, AnswerError] = {}
    values: dict[str, tuple[str, ...]] = {}
    for question in survey.questions:
        raw = tuple(form.get(question.field_name, ()))
        values[question.field_name] = raw
        try:
            answers.extend(question.kind.parse(question, raw))
        except InvalidAnswer as refused:
            errors[question.id] = refused.error
    return ParsedForm(answers=tuple(answers), errors=errors, values=values)

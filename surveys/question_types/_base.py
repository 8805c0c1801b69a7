"""What every question type does; each type in the registry is one small subclass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from consult.i18n import N_
from surveys.question_types._model import (
    RAW_VALUE_MAX,
    AnswerError,
    AnswerValue,
    InvalidAnswer,
    QuestionSpec,
)

# A submitted form: each field name with every value sent for it.
Form = Mapping[str, Sequence[str]]


def values_of(form: Form, name: str) -> list[str]:
    """The non-blank values sent for one field, trimmed and cut to a sane length."""
    return [
        value.strip()[:RAW_VALUE_MAX] for value in form.get(name, ()) if value and value.strip()
    ]


def refuse(message: str, target: str | None = None, **params: object) -> InvalidAnswer:
    return InvalidAnswer(AnswerError(message, params, target))


class QuestionType:
    """The behaviour shared by every type; subclasses set the class variables.

    A type parses the raw form values of one question into atomic answers (or
    refuses them with a translatable message), names the template macro that
    renders it, says how its answers read back to the respondent, and which
    spreadsheet columns they fill, so that no view or exporter switches on type.
    """

    key: ClassVar[str]
    label: ClassVar[str]
    macro: ClassVar[str]
    has_options: ClassVar[bool] = False
    has_statements: ClassVar[bool] = False
    # Which of the optional settings a planner may give this type.
    allows_other: ClassVar[bool] = False
    allows_dont_know: ClassVar[bool] = False
    allows_prefer_not_to_say: ClassVar[bool] = False
    takes_choice_limits: ClassVar[bool] = False
    takes_number_range: ClassVar[bool] = False
    # The fewest options a question of this type makes sense with.
    min_options: ClassVar[int] = 0

    def field_names(self, question: QuestionSpec) -> tuple[str, ...]:
        """Every form field this question reads (kept in drafts, re-shown on errors)."""
        return (question.field_name,)

    def anchor(self, question: QuestionSpec) -> str:
        """The id of the control an error summary links to: the first one."""
        return self.field_names(question)[0]

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        """Turn the form's values for this question into answers, or raise InvalidAnswer."""
        raise refuse(N_("This question cannot be answered."))

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        """The answers as the respondent reads them back on "Check your answers"."""
        labels = {option.id: option.label for option in question.options}
        return tuple(labels.get(answer.option_id or 0, "") for answer in answers)

    def chosen_options(self, answers: Sequence[AnswerValue]) -> set[int]:
        """The options chosen, which is what a display condition looks at."""
        return {answer.option_id for answer in answers if answer.option_id is not None}

    def export_columns(self, question: QuestionSpec) -> tuple[str, ...]:
        """One sub-heading per spreadsheet column ("" for the question's own column)."""
        return ("",)

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        """This question's answers of one response, one value per export column."""
        return ("; ".join(self.describe(question, answers)) if answers else "",)

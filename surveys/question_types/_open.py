"""Questions answered in the respondent's own words or numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from consult.i18n import N_
from consult.text_input import is_ascii_number
from surveys.question_types._base import Form, QuestionType, refuse, values_of
from surveys.question_types._model import AnswerValue, QuestionSpec, clean_text

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
NUMBER_MIN = -1_000_000_000
NUMBER_MAX = 1_000_000_000
_MOST_DIGITS = len(str(NUMBER_MAX))
# Spaces people type inside numbers ("1 000"), and the minus sign a keyboard may give.
_NUMBER_SPACES = str.maketrans({" ": "", "\u00a0": "", "\u202f": "", "\u2009": "", "\u2212": "-"})


class _TextType(QuestionType):
    max_length: ClassVar[int]

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        text = clean_text("\n".join(form.get(question.field_name, ())))
        if not text:
            if question.required:
                raise refuse(N_("Enter an answer."))
            return ()
        if len(text) > self.max_length:
            raise refuse(
                N_("Your answer must be %(max)s characters or fewer."), max=self.max_length
            )
        return (AnswerValue(question.id, text=text),)

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        return tuple(answer.text or "" for answer in answers)


class ShortText(_TextType):
    key = "short_text"
    label = N_("Short text")
    macro = "short_text"
    max_length = SHORT_TEXT_MAX


class LongText(_TextType):
    """A paragraph, with a character count that warns politely near the limit."""

    key = "long_text"
    label = N_("Long text")
    macro = "long_text"
    max_length = LONG_TEXT_MAX


class Number(QuestionType):
    key = "number"
    label = N_("Whole number")
    macro = "number"
    takes_number_range = True

    def bounds(self, question: QuestionSpec) -> tuple[int, int]:
        low = NUMBER_MIN if question.min_number is None else question.min_number
        high = NUMBER_MAX if question.max_number is None else question.max_number
        return low, high

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        values = values_of(form, question.field_name)
        if not values:
            if question.required:
                raise refuse(N_("Enter a number."))
            return ()
        text = values[0].translate(_NUMBER_SPACES)
        digits = text[1:] if text[:1] in "+-" else text
        if not is_ascii_number(digits):
            raise refuse(N_("Enter a whole number, like 12."))
        low, high = self.bounds(question)
        # Python refuses to read integers of thousands of digits, and no answer
        # needs more than the limits have: a long one is simply out of range.
        number = (
            int(text)
            if len(digits.lstrip("0")) <= _MOST_DIGITS
            else (high + 1 if text[:1] != "-" else low - 1)
        )
        if not low <= number <= high:
            if question.min_number is None and question.max_number is None:
                if number < low:
                    raise refuse(N_("Enter a larger number."))
                raise refuse(N_("Enter a smaller number."))
            if question.max_number is None:
                raise refuse(N_("Enter a number of %(min)s or more."), min=low)
            if question.min_number is None:
                raise refuse(N_("Enter a number of %(max)s or less."), max=high)
            raise refuse(N_("Enter a number from %(min)s to %(max)s."), min=low, max=high)
        return (AnswerValue(question.id, number=number),)

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        return tuple(f"{a.number} {question.unit}".strip() for a in answers)

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        return (answers[0].number if answers and answers[0].number is not None else "",)

"""The closed registry of question types.

Each type parses one question's raw form values into atomic answers (or a
translatable error), names the template macro that renders it, and knows how its
answers read in an export, so no view or exporter switches on the type.
Pure code: no web framework, no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
NUMBER_MIN = -1_000_000_000
NUMBER_MAX = 1_000_000_000


@dataclass(frozen=True)
class OptionSpec:
    id: int
    position: int
    label: str
    is_prefer_not_to_say: bool = False
    is_other: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    position: int
    type: str
    text: str
    help: str = ""
    required: bool = False
    special_category: bool = False
    options: tuple[OptionSpec, ...] = ()

    @property
    def field_name(self) -> str:
        """The form field (and element id) that carries this question's answer."""
        return f"q{self.id}"

    @property
    def kind(self) -> QuestionType:
        return get_type(self.type)


@dataclass(frozen=True)
class AnswerValue:
    """One atomic answer: an option, a number or a text (one Answer row)."""

    question_id: int
    option_id: int | None = None
    number: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class AnswerError:
    """Why an answer was refused: a message id and its parameters, for translation."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)


class InvalidAnswer(Exception):
    def __init__(self, error: AnswerError) -> None:
        super().__init__(error.message)
        self.error = error


class UnknownQuestionType(KeyError):
    pass


def _clean(raw: Sequence[str]) -> list[str]:
    return [value.strip() for value in raw if value and value.strip()]


class QuestionType:
    """The behaviour shared by every type; subclasses set the class variables."""

    key: ClassVar[str]
    label: ClassVar[str]
    macro: ClassVar[str]
    has_options: ClassVar[bool] = False

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        """Turn the raw form values of one question into answers, or raise InvalidAnswer."""
        raise InvalidAnswer(AnswerError(N_("This question cannot be answered.")))

    def export_text(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> str | int:
        """How this question's answers of one response read in a spreadsheet cell."""
        labels = {option.id: option.label for option in question.options}
        return "; ".join(labels.get(answer.option_id or 0, "") for answer in answers)


class _ChoiceType(QuestionType):
    has_options = True

    def _option_ids(self, question: QuestionSpec, values: list[str]) -> list[int]:
        known = {option.id for option in question.options}
        chosen: list[int] = []
        for value in values:
            if not value.isdigit() or int(value) not in known:
                raise InvalidAnswer(AnswerError(N_("Choose one of the answers listed.")))
            if int(value) not in chosen:
                chosen.append(int(value))
        return chosen


class SingleChoice(_ChoiceType):
    key = "single_choice"
    label = N_("Single choice")
    macro = "single_choice"

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        values = _clean(raw)
        if not values:
            if question.required:
                raise InvalidAnswer(AnswerError(N_("Select an answer.")))
            return ()
        chosen = self._option_ids(question, values)
        if len(chosen) > 1:
            raise InvalidAnswer(AnswerError(N_("Select only one answer.")))
        return (AnswerValue(question.id, option_id=chosen[0]),)


class Scale(SingleChoice):
    """A labelled scale (e.g. 5 points); the number stored is the option's position."""

    key = "scale"
    label = N_("Scale")
    macro = "scale"

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        answers = super().parse(question, raw)
        positions = {option.id: option.position for option in question.options}
        return tuple(
            AnswerValue(question.id, option_id=a.option_id, number=positions[a.option_id or 0])
            for a in answers
        )


class MultipleChoice(_ChoiceType):
    key = "multiple_choice"
    label = N_("Multiple choice")
    macro = "multiple_choice"

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        values = _clean(raw)
        if not values:
            if question.required:
                raise InvalidAnswer(AnswerError(N_("Select at least one answer.")))
            return ()
        chosen = self._option_ids(question, values)
        exclusive = {o.id for o in question.options if o.is_prefer_not_to_say}
        if len(chosen) > 1 and exclusive.intersection(chosen):
            raise InvalidAnswer(
                AnswerError(N_("Select ‘Prefer not to say’ on its own, or other answers."))
            )
        return tuple(AnswerValue(question.id, option_id=option_id) for option_id in chosen)


class _TextType(QuestionType):
    max_length: ClassVar[int]

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        text = "\n".join(_clean(raw)).replace("\r\n", "\n")
        if not text:
            if question.required:
                raise InvalidAnswer(AnswerError(N_("Enter an answer.")))
            return ()
        if len(text) > self.max_length:
            raise InvalidAnswer(
                AnswerError(
                    N_("Your answer must be %(max)s characters or fewer."),
                    {"max": self.max_length},
                )
            )
        return (AnswerValue(question.id, text=text),)

    def export_text(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> str | int:
        return "\n".join(answer.text or "" for answer in answers)


class ShortText(_TextType):
    key = "short_text"
    label = N_("Short text")
    macro = "short_text"
    max_length = SHORT_TEXT_MAX


class LongText(_TextType):
    key = "long_text"
    label = N_("Long text")
    macro = "long_text"
    max_length = LONG_TEXT_MAX


class Number(QuestionType):
    key = "number"
    label = N_("Whole number")
    macro = "number"

    def parse(self, question: QuestionSpec, raw: Sequence[str]) -> tuple[AnswerValue, ...]:
        values = _clean(raw)
        if not values:
            if question.required:
                raise InvalidAnswer(AnswerError(N_("Enter a number.")))
            return ()
        text = values[0].replace(" ", "").replace("\u00a0", "")
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit():
            raise InvalidAnswer(AnswerError(N_("Enter a whole number, like 12.")))
        number = int(text)
        if not NUMBER_MIN <= number <= NUMBER_MAX:
            raise InvalidAnswer(AnswerError(N_("Enter a smaller number.")))
        return (AnswerValue(question.id, number=number),)

    def export_text(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> str | int:
        return answers[0].number if answers and answers[0].number is not None else ""


REGISTRY: Mapping[str, QuestionType] = {
    kind.key: kind() for kind in (SingleChoice, MultipleChoice, Scale, ShortText, LongText, Number)
}


def get_type(key: str) -> QuestionType:
    """The registered type for `key`; anything else is refused."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownQuestionType(key) from None

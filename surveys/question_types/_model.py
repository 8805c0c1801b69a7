"""Plain data every question type works on: a question as defined, an answer as stored."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# One normalisation for every text a person sends, answers as well as survey texts.
from consult.text_input import clean_text as clean_text

if TYPE_CHECKING:
    from surveys.question_types._base import QuestionType

# What a form may hold for one answer; anything longer is cut before it is parsed
# or kept in a draft (each type then refuses what is over its own limit, in words).
RAW_VALUE_MAX = 6000


@dataclass(frozen=True)
class OptionSpec:
    id: int
    position: int
    label: str
    is_prefer_not_to_say: bool = False
    is_other: bool = False
    is_dont_know: bool = False

    @property
    def is_special(self) -> bool:
        """Not a point of a scale: "Don't know", "Prefer not to say" or "Other"."""
        return self.is_prefer_not_to_say or self.is_other or self.is_dont_know


@dataclass(frozen=True)
class StatementSpec:
    """One row of a matrix: a statement rated on the question's scale."""

    id: int
    position: int
    text: str


class Operator(enum.StrEnum):
    """How a display condition compares an earlier answer with its options."""

    equals = "equals"  # the earlier answer includes this one option
    any_of = "any_of"  # the earlier answer includes at least one of these options
    not_ = "not"  # the earlier answer includes none of these (no answer counts too)


@dataclass(frozen=True)
class ConditionSpec:
    """Show a question (or its whole page) only when an earlier answer matches."""

    source_question_id: int
    operator: Operator
    option_ids: frozenset[int]
    whole_page: bool = False

    def is_met(self, chosen: Collection[int]) -> bool:
        """Whether the options chosen in the earlier question satisfy the condition."""
        hit = not self.option_ids.isdisjoint(chosen)
        return not hit if self.operator is Operator.not_ else hit


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
    statements: tuple[StatementSpec, ...] = ()
    # Multiple choice and ranking: how many may (or must) be chosen or ranked.
    min_choices: int | None = None
    max_choices: int | None = None
    # Number: the range accepted, and the unit shown beside the box ("years").
    min_number: int | None = None
    max_number: int | None = None
    unit: str = ""
    # Grouped surveys: this question begins a new page.
    starts_page: bool = False
    condition: ConditionSpec | None = None

    @property
    def field_name(self) -> str:
        """The form field (and element id) that carries this question's answer."""
        return f"q{self.id}"

    @property
    def other_field(self) -> str:
        """The text box for "Other (please specify)"."""
        return f"q{self.id}-other"

    def statement_field(self, statement: StatementSpec) -> str:
        return f"q{self.id}-s{statement.id}"

    def rank_field(self, option: OptionSpec) -> str:
        return f"q{self.id}-r{option.id}"

    @property
    def other_option(self) -> OptionSpec | None:
        return next((option for option in self.options if option.is_other), None)

    @property
    def kind(self) -> QuestionType:
        from surveys.question_types._registry import get_type

        return get_type(self.type)


@dataclass(frozen=True)
class AnswerValue:
    """One atomic answer (one Answer row): an option, a number, a text or a rank,
    and for a matrix the statement it rates."""

    question_id: int
    option_id: int | None = None
    number: int | None = None
    text: str | None = None
    statement_id: int | None = None
    rank: int | None = None


@dataclass(frozen=True)
class AnswerError:
    """Why an answer was refused: a message id and its parameters, for translation,
    and the field the error summary links to (the question's first one if None)."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    target: str | None = None


class InvalidAnswer(Exception):
    def __init__(self, error: AnswerError) -> None:
        super().__init__(error.message)
        self.error = error


class UnknownQuestionType(KeyError):
    pass

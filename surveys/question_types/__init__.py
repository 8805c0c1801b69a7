"""The closed registry of question types.

Each type parses one question's raw form values into atomic answers (or a
translatable error), names the template macro that renders it, says how its
answers read back to the respondent and which export columns they fill, so no
view or exporter switches on the type. Pure code: no web framework, no ORM.
"""

from surveys.question_types._base import Form, QuestionType
from surveys.question_types._choices import OTHER_TEXT_MAX, RADIOS_UP_TO
from surveys.question_types._model import (
    RAW_VALUE_MAX,
    AnswerError,
    AnswerValue,
    ConditionSpec,
    InvalidAnswer,
    Operator,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
    UnknownQuestionType,
    clean_text,
)
from surveys.question_types._open import LONG_TEXT_MAX, NUMBER_MAX, NUMBER_MIN, SHORT_TEXT_MAX
from surveys.question_types._registry import REGISTRY, get_type

__all__ = [
    "LONG_TEXT_MAX",
    "NUMBER_MAX",
    "NUMBER_MIN",
    "OTHER_TEXT_MAX",
    "RADIOS_UP_TO",
    "RAW_VALUE_MAX",
    "REGISTRY",
    "SHORT_TEXT_MAX",
    "AnswerError",
    "AnswerValue",
    "ConditionSpec",
    "Form",
    "InvalidAnswer",
    "Operator",
    "OptionSpec",
    "QuestionSpec",
    "QuestionType",
    "StatementSpec",
    "UnknownQuestionType",
    "clean_text",
    "get_type",
]

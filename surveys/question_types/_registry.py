"""The closed set of question types: nothing outside it can be stored or shown."""

from __future__ import annotations

from collections.abc import Mapping

from surveys.question_types._base import QuestionType
from surveys.question_types._choices import MultipleChoice, Scale, SingleChoice
from surveys.question_types._grids import Matrix, Ranking
from surveys.question_types._model import UnknownQuestionType
from surveys.question_types._open import LongText, Number, ShortText

# In the order the builder offers them.
REGISTRY: Mapping[str, QuestionType] = {
    kind.key: kind()
    for kind in (
        SingleChoice,
        MultipleChoice,
        Scale,
        Matrix,
        Ranking,
        Number,
        ShortText,
        LongText,
    )
}


def get_type(key: str) -> QuestionType:
    """The registered type for `key`; anything else is refused."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownQuestionType(key) from None

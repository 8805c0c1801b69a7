"""Fuzzing answer validation: whatever a form holds, each question type either
refuses it with its own InvalidAnswer or returns answers inside the type's domain.

The forms are arbitrary: every field a question reads plus stray ones, each with
a list of values drawn from arbitrary text (control characters, surrogate-free
unicode), option ids real and made up, numbers as text (huge, signed, with
spaces, in other scripts' digits) and very long strings. Deterministic
(derandomize) and bounded, so a CI run is repeatable.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.question_types import (
    LONG_TEXT_MAX,
    NUMBER_MAX,
    NUMBER_MIN,
    OTHER_TEXT_MAX,
    RAW_VALUE_MAX,
    SHORT_TEXT_MAX,
    AnswerValue,
    InvalidAnswer,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
    clean_text,
)

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

YES, NO = OptionSpec(11, 1, "Yes"), OptionSpec(12, 2, "No")
PREFER_NOT = OptionSpec(13, 3, "Prefer not to say", is_prefer_not_to_say=True)
OTHER = OptionSpec(14, 4, "Other (please specify)", is_other=True)
DONT_KNOW = OptionSpec(15, 5, "Don't know", is_dont_know=True)
POINTS = tuple(OptionSpec(20 + n, n, f"Point {n}") for n in range(1, 6))
STATEMENTS = (StatementSpec(31, 1, "Buses"), StatementSpec(32, 2, "Stops"))


def _question(type_key: str, **settings: object) -> QuestionSpec:
    return QuestionSpec(id=7, position=1, type=type_key, text="Q", **settings)


# Every type, in the settings that change how it validates.
QUESTIONS = {
    "single": _question("single_choice", options=(YES, NO, PREFER_NOT, OTHER)),
    "single_required": _question("single_choice", required=True, options=(YES, NO)),
    "multiple": _question(
        "multiple_choice", options=(YES, NO, PREFER_NOT, OTHER), min_choices=1, max_choices=2
    ),
    "multiple_required": _question(
        "multiple_choice", required=True, options=(YES, NO, OTHER), min_choices=2
    ),
    "scale": _question("scale", options=(*POINTS, DONT_KNOW)),
    "matrix": _question(
        "matrix", required=True, options=(*POINTS[:3], DONT_KNOW), statements=STATEMENTS
    ),
    "matrix_optional": _question("matrix", options=POINTS[:3], statements=STATEMENTS),
    "ranking": _question("ranking", options=POINTS[:4], min_choices=2, max_choices=3),
    "ranking_required": _question("ranking", required=True, options=POINTS[:3]),
    "number": _question("number"),
    "number_range": _question("number", required=True, min_number=-5, max_number=120),
    "short_text": _question("short_text"),
    "long_text": _question("long_text", required=True),
}

_NUMBERS = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(lambda n: f"{n:,}".replace(",", " ")),
    st.integers(min_value=1, max_value=RAW_VALUE_MAX + 10).map(lambda n: "9" * n),
    st.sampled_from(["²", "١٢", "１２", "٣", "1e3", "0x10", "−5", "+7", " 12 ", "1_000", "NaN"]),
)
_IDS = st.sampled_from(
    [str(o.id) for o in (YES, NO, PREFER_NOT, OTHER, DONT_KNOW, *POINTS)] + ["0", "-1", "99"]
)
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
_HUGE = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["a", " ", "\x00", "é", "🙂", "\n"]),
    st.integers(min_value=SHORT_TEXT_MAX - 2, max_value=RAW_VALUE_MAX + 50),
)
VALUES = st.lists(st.one_of(_TEXT, _NUMBERS, _IDS, _HUGE), max_size=6)


def _fields(question: QuestionSpec) -> list[str]:
    names = [*question.kind.field_names(question), question.field_name, question.other_field]
    names += [question.rank_field(o) for o in question.options]
    names += [question.statement_field(s) for s in question.statements]
    return [*sorted(set(names)), "q8", "q7-s99", "q7-r99"]


def forms_for(question: QuestionSpec) -> st.SearchStrategy[dict[str, list[str]]]:
    return st.dictionaries(st.sampled_from(_fields(question)), VALUES, max_size=8)


def _check_domain(question: QuestionSpec, answers: tuple[AnswerValue, ...]) -> None:
    """Every answer is one this question can hold."""
    options = {option.id: option for option in question.options}
    kind = question.type
    assert isinstance(answers, tuple)
    assert all(isinstance(a, AnswerValue) and a.question_id == question.id for a in answers)
    if kind in ("single_choice", "scale", "multiple_choice"):
        assert all(a.option_id in options for a in answers)
        assert len({a.option_id for a in answers}) == len(answers)
        for a in answers:
            if options[a.option_id].is_other:
                assert a.text
                assert len(a.text) <= OTHER_TEXT_MAX
                assert a.text == clean_text(a.text)
            else:
                assert a.text is None
    if kind in ("single_choice", "scale"):
        assert len(answers) <= 1
    if kind == "scale":
        for a in answers:
            points = [o.id for o in question.options if not o.is_special]
            expected = points.index(a.option_id) + 1 if a.option_id in points else None
            assert a.number == expected
    if kind == "multiple_choice" and answers:
        chosen = [options[a.option_id] for a in answers]
        if any(o.is_prefer_not_to_say for o in chosen):
            assert len(chosen) == 1
        else:
            assert not question.max_choices or len(chosen) <= question.max_choices
            assert not question.min_choices or len(chosen) >= question.min_choices
    if kind == "matrix":
        statements = {s.id for s in question.statements}
        assert all(a.option_id in options and a.statement_id in statements for a in answers)
        assert len({a.statement_id for a in answers}) == len(answers)
        if question.required:
            assert len(answers) == len(statements)
    if kind == "ranking":
        assert all(a.option_id in options for a in answers)
        assert sorted(a.rank for a in answers) == list(range(1, len(answers) + 1))
        assert len({a.option_id for a in answers}) == len(answers)
        if answers:
            assert len(answers) >= (question.min_choices or 1)
            assert not question.max_choices or len(answers) <= question.max_choices
    if kind == "number":
        low = NUMBER_MIN if question.min_number is None else question.min_number
        high = NUMBER_MAX if question.max_number is None else question.max_number
        assert len(answers) <= 1
        assert all(isinstance(a.number, int) and low <= a.number <= high for a in answers)
    if kind in ("short_text", "long_text"):
        limit = SHORT_TEXT_MAX if kind == "short_text" else LONG_TEXT_MAX
        assert len(answers) <= 1
        for a in answers:
            assert a.text
            assert len(a.text) <= limit
            assert a.text == clean_text(a.text)
            assert not CONTROL.search(a.text)
    if question.required and kind != "ranking":
        assert answers, "a required question took no answer"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_any_form_is_refused_in_words_or_gives_answers_of_the_type(name):
    question = QUESTIONS[name]

    @FUZZ
    @given(form=forms_for(question))
    def check(form: dict[str, list[str]]) -> None:
        try:
            answers = question.kind.parse(question, form)
        except InvalidAnswer as refused:
            error = refused.error
        else:
            error = None
        if error is not None:
            assert error.message, "a refusal says why"
            assert error.target is None or error.target in _fields(question)
            return
        _check_domain(question, answers)
        # What is accepted can be read back and exported.
        assert len(question.kind.describe(question, answers)) == len(answers)
        assert len(question.kind.export_cells(question, answers)) == len(
            question.kind.export_columns(question)
        )

    check()


@FUZZ
@given(text=st.text(st.characters(exclude_categories=("Cs",))))
def test_clean_text_is_stable_and_leaves_no_control_character(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not CONTROL.search(cleaned)
    assert "\r" not in cleaned


def test_a_rank_of_thousands_of_digits_is_refused_in_words():
    """Found by the fuzzing above: int() refuses a string of over 4,300 digits,
    which made the survey page answer 500."""
    question = QUESTIONS["ranking"]
    form = {question.rank_field(POINTS[0]): ["1" * 5000]}
    with pytest.raises(InvalidAnswer) as refused:
        question.kind.parse(question, form)
    assert refused.value.error.message == "Use a number from 1 to %(count)s."

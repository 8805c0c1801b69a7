"""Reading a typed-in paper questionnaire with the question types' own parsing, and
how display conditions read on paper."""

from __future__ import annotations

from surveys import paper
from surveys.flow import SurveySpec
from surveys.question_types import (
    REGISTRY,
    AnswerValue,
    ConditionSpec,
    Operator,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
)


def _options(first_id: int, *labels: str, other: str = "") -> tuple[OptionSpec, ...]:
    made = [OptionSpec(first_id + i, i + 1, label) for i, label in enumerate(labels)]
    if other:
        made.append(OptionSpec(first_id + len(labels), len(labels) + 1, other, is_other=True))
    return tuple(made)


SEEN = QuestionSpec(
    1, 1, "single_choice", "Seen hate?", required=True, options=_options(10, "Yes", "No")
)
WHERE = QuestionSpec(
    2,
    2,
    "multiple_choice",
    "Where?",
    required=True,
    min_choices=2,
    max_choices=2,
    options=_options(20, "Online", "Street", "School", other="Elsewhere"),
    condition=ConditionSpec(1, Operator.equals, frozenset({10})),
)
ALSO = QuestionSpec(
    3,
    3,
    "short_text",
    "Tell us more",
    condition=ConditionSpec(1, Operator.equals, frozenset({10})),
)
TRUST = QuestionSpec(
    4,
    4,
    "scale",
    "Trust?",
    options=(*_options(40, "Low", "High"), OptionSpec(42, 3, "Don't know", is_dont_know=True)),
)
AGREE = QuestionSpec(
    5,
    5,
    "matrix",
    "Agree?",
    required=True,
    options=_options(50, "No", "Yes"),
    statements=(StatementSpec(501, 1, "A"), StatementSpec(502, 2, "B")),
)
RANK = QuestionSpec(6, 6, "ranking", "Order", options=_options(60, "X", "Y", "Z"), min_choices=2)
YEARS = QuestionSpec(7, 7, "number", "Years", min_number=0, max_number=120, required=True)
WHY_NOT = QuestionSpec(
    8,
    8,
    "long_text",
    "Why not?",
    condition=ConditionSpec(1, Operator.not_, frozenset({10})),
)
SURVEY = SurveySpec(
    id=1,
    consultation_id=1,
    title="t",
    intro="",
    consent_text="",
    questions=(SEEN, WHERE, ALSO, TRUST, AGREE, RANK, YEARS, WHY_NOT),
)


def test_every_question_type_has_a_way_to_be_keyed_in():
    assert set(paper.ENTRY_BY_TYPE) == set(REGISTRY)


def test_option_numbers_become_the_options_the_registry_stores():
    parsed = paper.parse_entry(
        SURVEY,
        {
            "q1": ["1"],
            "q2": ["20", "23"],
            "q2-other": ["On the bus"],
            "q4": [" 3 "],
            "q5-s501": ["2"],
            "q5-s502": ["1"],
            "q6-r62": ["1"],
            "q6-r60": ["3"],
            "q7": ["1 0"],
        },
    )
    assert parsed.is_valid, parsed.errors
    assert parsed.answers == (
        AnswerValue(1, option_id=10),
        AnswerValue(2, option_id=20),
        AnswerValue(2, option_id=23, text="On the bus"),
        AnswerValue(4, option_id=42, number=None),
        AnswerValue(5, option_id=51, number=2, statement_id=501),
        AnswerValue(5, option_id=50, number=1, statement_id=502),
        AnswerValue(6, option_id=62, rank=1),
        AnswerValue(6, option_id=60, rank=2),
        AnswerValue(7, number=10),
    )


def test_everything_may_be_left_blank_and_a_least_number_is_not_asked_for():
    assert paper.parse_entry(SURVEY, {"q7": ["7"]}).is_valid
    parsed = paper.parse_entry(SURVEY, {"q1": ["1"], "q2": ["21"], "q6-r61": ["1"]})
    assert parsed.is_valid, parsed.errors
    assert AnswerValue(2, option_id=21) in parsed.answers


def test_a_number_naming_no_option_is_refused_and_says_which_there_are():
    parsed = paper.parse_entry(SURVEY, {"q1": ["3"], "q5-s502": ["x"], "q7": ["7"]})
    assert set(parsed.errors) == {1, 5}
    assert parsed.errors[1].params == {"count": 2}
    assert parsed.errors[1].target == "q1"
    assert parsed.errors[5].target == "q5-s502"
    assert parsed.answers == ()
    assert parsed.values == {"q1": ("3",), "q5-s502": ("x",), "q7": ("7",)}


def test_the_registry_still_refuses_out_of_range_and_too_many():
    parsed = paper.parse_entry(SURVEY, {"q1": ["1"], "q2": ["20", "21", "22"], "q7": ["121"]})
    assert parsed.errors[2].message == "Select no more than %(max)s answers."
    assert parsed.errors[7].message == "Enter a number from %(min)s to %(max)s."


def test_other_without_its_text_is_refused_at_the_text_box():
    parsed = paper.parse_entry(SURVEY, {"q1": ["1"], "q2": ["23"]})
    assert parsed.errors[2].target == "q2-other"


def test_answers_to_hidden_questions_are_dropped_unchecked():
    parsed = paper.parse_entry(
        SURVEY, {"q1": ["2"], "q2": ["20", "21", "22"], "q3": ["more"], "q8": ["because"]}
    )
    assert parsed.is_valid
    assert {answer.question_id for answer in parsed.answers} == {1, 8}
    # Still kept to show again, as typed.
    assert parsed.values["q3"] == ("more",)


def test_an_invalid_number_in_the_condition_question_hides_what_it_shows():
    parsed = paper.parse_entry(SURVEY, {"q1": ["9"], "q2": ["20", "21", "22"]})
    assert set(parsed.errors) == {1}


def test_skip_instructions_cover_a_run_of_questions_under_one_condition():
    skips = paper.skip_instructions(SURVEY)
    assert set(skips) == {2, 8}
    assert skips[2] == paper.SkipInstruction(
        source_number=1, answers=("Yes",), negated=False, first=2, last=3, next=4
    )
    assert skips[8] == paper.SkipInstruction(
        source_number=1, answers=("Yes",), negated=True, first=8, last=8, next=None
    )


def test_a_whole_page_condition_covers_the_page():
    first = QuestionSpec(
        2,
        2,
        "short_text",
        "a",
        starts_page=True,
        condition=ConditionSpec(1, Operator.any_of, frozenset({10, 11}), whole_page=True),
    )
    second = QuestionSpec(3, 3, "short_text", "b")
    after = QuestionSpec(4, 4, "short_text", "c", starts_page=True)
    survey = SurveySpec(
        id=1,
        consultation_id=1,
        title="t",
        intro="",
        consent_text="",
        questions=(SEEN, first, second, after),
        one_question_per_page=False,
    )
    skip = paper.skip_instructions(survey)[2]
    assert (skip.answers, skip.first, skip.last, skip.next) == (("Yes", "No"), 2, 3, 4)


def test_option_numbers_follow_the_order_of_the_options():
    assert [paper.option_number(TRUST, option) for option in TRUST.options] == [1, 2, 3]
    assert paper.code_fields(AGREE) == ("q5-s501", "q5-s502")
    assert paper.code_fields(WHERE) == ()


def test_a_wholly_blank_questionnaire_is_refused_on_its_first_question():
    parsed = paper.parse_entry(SURVEY, {})
    assert not parsed.is_valid
    assert list(parsed.errors) == [SURVEY.questions[0].id]
    assert parsed.errors[SURVEY.questions[0].id].message == paper.BLANK_QUESTIONNAIRE

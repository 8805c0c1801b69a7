"""Each question type turns raw form values into answers, or refuses them in words.

A form is what a browser posts: each field name with every value sent for it. The
questions are built directly from QuestionSpec, OptionSpec and StatementSpec; each
has id 7, so its fields are `q7`, `q7-other`, `q7-s<statement>` and `q7-r<option>`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from surveys.question_types import (
    LONG_TEXT_MAX,
    NUMBER_MAX,
    NUMBER_MIN,
    OTHER_TEXT_MAX,
    RADIOS_UP_TO,
    REGISTRY,
    SHORT_TEXT_MAX,
    AnswerError,
    AnswerValue,
    InvalidAnswer,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
    UnknownQuestionType,
    clean_text,
    get_type,
)

YES = OptionSpec(11, 1, "Yes")
NO = OptionSpec(12, 2, "No")
PREFER_NOT = OptionSpec(13, 3, "Prefer not to say", is_prefer_not_to_say=True)
OTHER = OptionSpec(14, 4, "Other (please specify)", is_other=True)

AGREE = OptionSpec(21, 1, "Agree")
NEUTRAL = OptionSpec(22, 2, "Neither agree nor disagree")
DISAGREE = OptionSpec(23, 3, "Disagree")
DONT_KNOW = OptionSpec(24, 4, "Don't know", is_dont_know=True)

BUSES = StatementSpec(31, 1, "Buses are frequent")
STOPS = StatementSpec(32, 2, "Stops feel safe")

PARKS = OptionSpec(51, 1, "Parks")
LIBRARIES = OptionSpec(52, 2, "Libraries")
SPORT = OptionSpec(53, 3, "Sport halls")
YOUTH = OptionSpec(54, 4, "Youth clubs")
RANKED = (PARKS, LIBRARIES, SPORT, YOUTH)


def question(type_key: str, *, required: bool = False, **settings: object) -> QuestionSpec:
    """Question 7 of the given type; `settings` are any other QuestionSpec fields."""
    return QuestionSpec(id=7, position=1, type=type_key, text="Q", required=required, **settings)


def parse(q: QuestionSpec, form: dict[str, list[str]]) -> tuple[AnswerValue, ...]:
    return q.kind.parse(q, form)


def refusal(q: QuestionSpec, form: dict[str, list[str]]) -> AnswerError:
    """The error a respondent is shown for this form (the test fails if none)."""
    with pytest.raises(InvalidAnswer) as refused:
        q.kind.parse(q, form)
    return refused.value.error


# The registry


def test_the_registry_offers_exactly_the_eight_types():
    assert list(REGISTRY) == [
        "single_choice",
        "multiple_choice",
        "scale",
        "matrix",
        "ranking",
        "number",
        "short_text",
        "long_text",
    ]


def test_an_unknown_type_is_refused():
    with pytest.raises(UnknownQuestionType):
        get_type("file_upload")


# Single choice


def test_single_choice_stores_the_option_chosen():
    q = question("single_choice", options=(YES, NO))
    assert parse(q, {"q7": ["12"]}) == (AnswerValue(7, option_id=12),)


def test_single_choice_required_and_blank_asks_to_select_an_answer():
    q = question("single_choice", required=True, options=(YES, NO))
    for blank in ({}, {"q7": []}, {"q7": [""]}, {"q7": ["   "]}):
        error = refusal(q, blank)
        assert error.message == "Select an answer."
        assert error.target is None  # the summary links to the question's first field


def test_single_choice_optional_and_blank_gives_no_answer():
    q = question("single_choice", options=(YES, NO))
    assert parse(q, {"q7": [""]}) == ()


def test_single_choice_refuses_an_option_that_is_not_listed():
    q = question("single_choice", options=(YES, NO))
    assert refusal(q, {"q7": ["99"]}).message == "Choose one of the answers listed."
    assert refusal(q, {"q7": ["Yes"]}).message == "Choose one of the answers listed."


def test_single_choice_refuses_two_different_answers():
    q = question("single_choice", options=(YES, NO))
    assert refusal(q, {"q7": ["11", "12"]}).message == "Select only one answer."


def test_single_choice_sent_twice_with_the_same_answer_is_one_answer():
    q = question("single_choice", options=(YES, NO))
    assert parse(q, {"q7": ["11", "11"]}) == (AnswerValue(7, option_id=11),)


def test_single_choice_accepts_prefer_not_to_say():
    q = question("single_choice", required=True, options=(YES, NO, PREFER_NOT))
    assert parse(q, {"q7": ["13"]}) == (AnswerValue(7, option_id=13),)


def test_single_choice_other_keeps_the_text_typed_beside_it():
    q = question("single_choice", options=(YES, NO, OTHER))
    form = {"q7": ["14"], "q7-other": ["  Allotments\r\n "]}
    assert parse(q, form) == (AnswerValue(7, option_id=14, text="Allotments"),)


def test_single_choice_other_without_text_asks_for_it_at_the_text_box():
    q = question("single_choice", options=(YES, NO, OTHER))
    error = refusal(q, {"q7": ["14"], "q7-other": ["  "]})
    assert error.message == "Enter your answer for ‘%(label)s’."
    assert error.params == {"label": "Other (please specify)"}
    assert error.target == "q7-other"


def test_single_choice_other_text_is_capped():
    q = question("single_choice", options=(YES, NO, OTHER))
    at_limit = "x" * OTHER_TEXT_MAX
    assert parse(q, {"q7": ["14"], "q7-other": [at_limit]})[0].text == at_limit
    error = refusal(q, {"q7": ["14"], "q7-other": [at_limit + "x"]})
    assert error.message == "Your answer must be %(max)s characters or fewer."
    assert error.params == {"max": OTHER_TEXT_MAX}
    assert error.target == "q7-other"


def test_single_choice_other_text_is_not_kept_when_another_answer_is_chosen():
    q = question("single_choice", options=(YES, NO, OTHER))
    assert parse(q, {"q7": ["11"], "q7-other": ["typed, then changed mind"]}) == (
        AnswerValue(7, option_id=11),
    )


def test_single_choice_with_a_long_list_becomes_a_select():
    few = tuple(OptionSpec(100 + i, i, f"District {i}") for i in range(1, RADIOS_UP_TO + 1))
    many = (*few, OptionSpec(999, RADIOS_UP_TO + 1, "One more district"))
    kind = get_type("single_choice")
    assert not kind.uses_select(question("single_choice", options=few))
    assert kind.uses_select(question("single_choice", options=many))


def test_single_choice_fields_include_the_other_box_only_when_there_is_one():
    plain = question("single_choice", options=(YES, NO))
    with_other = question("single_choice", options=(YES, NO, OTHER))
    assert plain.kind.field_names(plain) == ("q7",)
    assert with_other.kind.field_names(with_other) == ("q7", "q7-other")
    assert with_other.kind.anchor(with_other) == "q7"


def test_single_choice_reads_back_the_label_and_the_other_text():
    q = question("single_choice", options=(YES, NO, OTHER))
    assert q.kind.describe(q, [AnswerValue(7, option_id=11)]) == ("Yes",)
    assert q.kind.describe(q, [AnswerValue(7, option_id=14, text="Allotments")]) == (
        "Other (please specify): Allotments",
    )


def test_single_choice_exports_the_label_chosen():
    q = question("single_choice", options=(YES, NO))
    assert q.kind.export_columns(q) == ("",)
    assert q.kind.export_cells(q, [AnswerValue(7, option_id=12)]) == ("No",)
    assert q.kind.export_cells(q, []) == ("",)


def test_single_choice_exports_the_other_text_in_its_own_column():
    q = question("single_choice", options=(YES, NO, OTHER))
    assert q.kind.export_columns(q) == ("", "Other (please specify)")
    answer = AnswerValue(7, option_id=14, text="Allotments")
    assert q.kind.export_cells(q, [answer]) == ("Other (please specify)", "Allotments")
    assert q.kind.export_cells(q, [AnswerValue(7, option_id=11)]) == ("Yes", "")
    assert q.kind.export_cells(q, []) == ("", "")


# Scale


def test_scale_stores_the_point_as_its_place_on_the_scale():
    q = question("scale", options=(AGREE, NEUTRAL, DISAGREE, DONT_KNOW))
    assert parse(q, {"q7": ["21"]}) == (AnswerValue(7, option_id=21, number=1),)
    assert parse(q, {"q7": ["23"]}) == (AnswerValue(7, option_id=23, number=3),)


def test_scale_dont_know_has_no_number():
    q = question("scale", options=(AGREE, NEUTRAL, DISAGREE, DONT_KNOW))
    assert parse(q, {"q7": ["24"]}) == (AnswerValue(7, option_id=24, number=None),)


def test_scale_prefer_not_to_say_has_no_number_and_does_not_shift_the_points():
    q = question("scale", options=(AGREE, PREFER_NOT, DISAGREE))
    assert parse(q, {"q7": ["13"]}) == (AnswerValue(7, option_id=13, number=None),)
    assert parse(q, {"q7": ["23"]}) == (AnswerValue(7, option_id=23, number=2),)


def test_scale_refusals_are_those_of_a_single_choice():
    q = question("scale", required=True, options=(AGREE, NEUTRAL, DISAGREE))
    assert refusal(q, {}).message == "Select an answer."
    assert refusal(q, {"q7": ["99"]}).message == "Choose one of the answers listed."
    assert refusal(q, {"q7": ["21", "22"]}).message == "Select only one answer."


def test_scale_is_never_a_select():
    points = tuple(OptionSpec(100 + i, i, str(i)) for i in range(1, RADIOS_UP_TO + 5))
    q = question("scale", options=points)
    assert not q.kind.uses_select(q)


def test_scale_exports_the_label_chosen():
    q = question("scale", options=(AGREE, NEUTRAL, DISAGREE))
    assert q.kind.export_columns(q) == ("",)
    assert q.kind.export_cells(q, [AnswerValue(7, option_id=22, number=2)]) == (
        "Neither agree nor disagree",
    )
    assert q.kind.export_cells(q, []) == ("",)


# Multiple choice


def test_multiple_choice_stores_each_option_chosen_once():
    q = question("multiple_choice", options=(YES, NO, PREFER_NOT))
    assert parse(q, {"q7": ["12", "11", "12"]}) == (
        AnswerValue(7, option_id=12),
        AnswerValue(7, option_id=11),
    )


def test_multiple_choice_required_and_blank_asks_for_at_least_one():
    q = question("multiple_choice", required=True, options=(YES, NO))
    error = refusal(q, {"q7": [""]})
    assert error.message == "Select at least one answer."
    assert error.target is None


def test_multiple_choice_optional_and_blank_gives_no_answer():
    q = question("multiple_choice", options=(YES, NO))
    assert parse(q, {}) == ()


def test_multiple_choice_refuses_an_option_that_is_not_listed():
    q = question("multiple_choice", options=(YES, NO))
    assert refusal(q, {"q7": ["11", "99"]}).message == "Choose one of the answers listed."


def test_multiple_choice_too_few_answers_says_how_many():
    q = question("multiple_choice", required=True, options=(YES, NO, OTHER), min_choices=2)
    error = refusal(q, {"q7": ["11"]})
    assert error.message == "Select at least %(min)s answers."
    assert error.params == {"min": 2}
    assert refusal(q, {}).message == "Select at least %(min)s answers."


def test_multiple_choice_too_many_answers_says_how_many():
    q = question("multiple_choice", options=(YES, NO, OTHER), max_choices=2)
    form = {"q7": ["11", "12", "14"], "q7-other": ["Allotments"]}
    error = refusal(q, form)
    assert error.message == "Select no more than %(max)s answers."
    assert error.params == {"max": 2}


def test_multiple_choice_prefer_not_to_say_must_be_on_its_own():
    q = question("multiple_choice", options=(YES, NO, PREFER_NOT))
    error = refusal(q, {"q7": ["11", "13"]})
    assert error.message == "Select ‘Prefer not to say’ on its own, or other answers."


def test_multiple_choice_prefer_not_to_say_alone_is_enough_despite_a_minimum():
    q = question("multiple_choice", required=True, options=(YES, NO, PREFER_NOT), min_choices=2)
    assert parse(q, {"q7": ["13"]}) == (AnswerValue(7, option_id=13),)


def test_multiple_choice_other_needs_its_text():
    q = question("multiple_choice", options=(YES, NO, OTHER))
    error = refusal(q, {"q7": ["11", "14"]})
    assert error.message == "Enter your answer for ‘%(label)s’."
    assert error.target == "q7-other"
    assert parse(q, {"q7": ["11", "14"], "q7-other": ["Allotments"]}) == (
        AnswerValue(7, option_id=11),
        AnswerValue(7, option_id=14, text="Allotments"),
    )


def test_multiple_choice_reads_back_each_label():
    q = question("multiple_choice", options=(YES, NO, OTHER))
    answers = [AnswerValue(7, option_id=11), AnswerValue(7, option_id=14, text="Allotments")]
    assert q.kind.describe(q, answers) == ("Yes", "Other (please specify): Allotments")


def test_multiple_choice_exports_one_column_per_option_marked_1_or_0():
    q = question("multiple_choice", options=(YES, NO, PREFER_NOT))
    assert q.kind.export_columns(q) == ("Yes", "No", "Prefer not to say")
    assert q.kind.export_cells(q, [AnswerValue(7, option_id=12)]) == (0, 1, 0)
    assert q.kind.export_cells(q, []) == ("", "", "")


def test_multiple_choice_exports_the_other_text_after_the_marks():
    q = question("multiple_choice", options=(YES, NO, OTHER))
    assert q.kind.export_columns(q) == (
        "Yes",
        "No",
        "Other (please specify)",
        "Other (please specify) …",
    )
    answers = [AnswerValue(7, option_id=11), AnswerValue(7, option_id=14, text="Allotments")]
    assert q.kind.export_cells(q, answers) == (1, 0, 1, "Allotments")
    assert q.kind.export_cells(q, []) == ("", "", "", "")


# Matrix


def matrix(required: bool = False) -> QuestionSpec:
    return question(
        "matrix",
        required=required,
        options=(AGREE, NEUTRAL, DISAGREE, DONT_KNOW),
        statements=(BUSES, STOPS),
    )


def test_matrix_stores_one_rated_answer_per_statement():
    q = matrix()
    assert parse(q, {"q7-s31": ["21"], "q7-s32": ["23"]}) == (
        AnswerValue(7, option_id=21, number=1, statement_id=31),
        AnswerValue(7, option_id=23, number=3, statement_id=32),
    )


def test_matrix_dont_know_has_no_number():
    q = matrix()
    assert parse(q, {"q7-s31": ["24"]}) == (
        AnswerValue(7, option_id=24, number=None, statement_id=31),
    )


def test_matrix_required_means_every_statement_and_points_at_the_missing_one():
    q = matrix(required=True)
    error = refusal(q, {"q7-s31": ["21"]})
    assert error.message == "Choose an answer for ‘%(statement)s’."
    assert error.params == {"statement": "Stops feel safe"}
    assert error.target == "q7-s32"


def test_matrix_optional_keeps_the_statements_answered():
    q = matrix()
    assert parse(q, {"q7-s32": ["22"]}) == (
        AnswerValue(7, option_id=22, number=2, statement_id=32),
    )
    assert parse(q, {}) == ()


def test_matrix_refuses_an_unlisted_or_double_answer_at_that_statement():
    q = matrix()
    unlisted = refusal(q, {"q7-s31": ["21"], "q7-s32": ["99"]})
    assert unlisted.message == "Choose one of the answers listed."
    assert unlisted.target == "q7-s32"
    double = refusal(q, {"q7-s31": ["21", "22"]})
    assert double.message == "Choose one of the answers listed."
    assert double.target == "q7-s31"


def test_matrix_fields_are_one_per_statement():
    q = matrix()
    assert q.kind.field_names(q) == ("q7-s31", "q7-s32")
    assert q.kind.anchor(q) == "q7-s31"


def test_matrix_reads_back_each_statement_with_its_answer():
    q = matrix()
    answers = [
        AnswerValue(7, option_id=21, number=1, statement_id=31),
        AnswerValue(7, option_id=23, number=3, statement_id=32),
    ]
    assert q.kind.describe(q, answers) == ("Buses are frequent: Agree", "Stops feel safe: Disagree")


def test_matrix_exports_one_column_per_statement():
    q = matrix()
    assert q.kind.export_columns(q) == ("Buses are frequent", "Stops feel safe")
    one = [AnswerValue(7, option_id=23, number=3, statement_id=32)]
    assert q.kind.export_cells(q, one) == ("", "Disagree")
    assert q.kind.export_cells(q, []) == ("", "")


def test_no_condition_can_rest_on_a_matrix_or_a_ranking():
    q = matrix()
    assert q.kind.chosen_options([AnswerValue(7, option_id=21, statement_id=31)]) == set()
    r = question("ranking", options=RANKED)
    assert r.kind.chosen_options([AnswerValue(7, option_id=51, rank=1)]) == set()


# Ranking


def ranking(required: bool = False, **limits: int) -> QuestionSpec:
    return question("ranking", required=required, options=RANKED, **limits)


def test_ranking_closes_up_the_ranks_given():
    q = ranking()
    assert parse(q, {"q7-r51": ["1"], "q7-r52": ["3"], "q7-r53": ["4"]}) == (
        AnswerValue(7, option_id=51, rank=1),
        AnswerValue(7, option_id=52, rank=2),
        AnswerValue(7, option_id=53, rank=3),
    )


def test_ranking_orders_the_items_by_the_numbers_given():
    q = ranking()
    assert parse(q, {"q7-r51": ["2"], "q7-r54": ["1"]}) == (
        AnswerValue(7, option_id=54, rank=1),
        AnswerValue(7, option_id=51, rank=2),
    )


def test_ranking_refuses_the_same_number_twice():
    q = ranking()
    error = refusal(q, {"q7-r51": ["1"], "q7-r52": ["1"]})
    assert error.message == "Give each item a different number."
    assert error.target is None


@pytest.mark.parametrize("typed", ["0", "5", "-1", "two", "1.5", "١"])
def test_ranking_refuses_a_number_outside_one_to_the_count_at_that_box(typed):
    q = ranking()
    error = refusal(q, {"q7-r51": ["1"], "q7-r52": [typed]})
    assert error.message == "Use a number from 1 to %(count)s."
    assert error.params == {"count": 4}
    assert error.target == "q7-r52"


def test_ranking_required_and_blank_asks_for_one_item():
    assert refusal(ranking(required=True), {}).message == "Rank at least one item."


def test_ranking_optional_and_blank_gives_no_answer_even_with_a_minimum():
    assert parse(ranking(), {"q7-r51": [" "]}) == ()
    assert parse(ranking(min_choices=2), {}) == ()


def test_ranking_too_few_items_says_how_many():
    error = refusal(ranking(min_choices=2), {"q7-r51": ["1"]})
    assert error.message == "Rank at least %(min)s items."
    assert error.params == {"min": 2}


def test_ranking_too_many_items_says_how_many():
    error = refusal(ranking(max_choices=2), {"q7-r51": ["1"], "q7-r52": ["2"], "q7-r53": ["3"]})
    assert error.message == "Rank no more than %(max)s items."
    assert error.params == {"max": 2}


def test_ranking_fields_are_one_per_item():
    q = ranking()
    assert q.kind.field_names(q) == ("q7-r51", "q7-r52", "q7-r53", "q7-r54")
    assert q.kind.anchor(q) == "q7-r51"


def test_ranking_reads_back_in_rank_order():
    q = ranking()
    answers = [AnswerValue(7, option_id=51, rank=2), AnswerValue(7, option_id=54, rank=1)]
    assert q.kind.describe(q, answers) == ("1. Youth clubs", "2. Parks")


def test_ranking_exports_each_items_rank_in_its_own_column():
    q = ranking()
    assert q.kind.export_columns(q) == ("Parks", "Libraries", "Sport halls", "Youth clubs")
    answers = [AnswerValue(7, option_id=51, rank=2), AnswerValue(7, option_id=54, rank=1)]
    assert q.kind.export_cells(q, answers) == (2, "", "", 1)
    assert q.kind.export_cells(q, []) == ("", "", "", "")


# Number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        (" 42 ", 42),
        ("-3", -3),
        ("+4", 4),
        ("1 000", 1000),
        ("1\u00a0000", 1000),  # no-break space
        ("1\u202f000", 1000),  # narrow no-break space
        ("\u22125", -5),  # the minus sign, not a hyphen
        ("0", 0),
    ],
)
def test_number_accepts_whole_numbers_as_people_type_them(typed, expected):
    q = question("number")
    assert parse(q, {"q7": [typed]}) == (AnswerValue(7, number=expected),)


@pytest.mark.parametrize(
    "typed", ["1.5", "1,000", "12abc", "1e5", "--1", "-", "١٢", "１２", "½", "twelve"]
)
def test_number_refuses_anything_but_ascii_whole_numbers(typed):
    error = refusal(question("number"), {"q7": [typed]})
    assert error.message == "Enter a whole number, like 12."


def test_number_required_and_blank_asks_for_a_number():
    assert refusal(question("number", required=True), {"q7": [" "]}).message == "Enter a number."


def test_number_optional_and_blank_gives_no_answer():
    assert parse(question("number"), {}) == ()


def test_number_between_bounds_says_both():
    q = question("number", min_number=0, max_number=120)
    assert parse(q, {"q7": ["0"]}) == (AnswerValue(7, number=0),)
    assert parse(q, {"q7": ["120"]}) == (AnswerValue(7, number=120),)
    for outside in ("-1", "121"):
        error = refusal(q, {"q7": [outside]})
        assert error.message == "Enter a number from %(min)s to %(max)s."
        assert error.params == {"min": 0, "max": 120}


def test_number_with_only_a_minimum_says_or_more():
    error = refusal(question("number", min_number=16), {"q7": ["15"]})
    assert error.message == "Enter a number of %(min)s or more."
    assert error.params == {"min": 16}


def test_number_with_only_a_maximum_says_or_less():
    error = refusal(question("number", max_number=10), {"q7": ["11"]})
    assert error.message == "Enter a number of %(max)s or less."
    assert error.params == {"max": 10}


def test_number_without_bounds_refuses_a_huge_number():
    q = question("number")
    assert parse(q, {"q7": [str(NUMBER_MAX)]}) == (AnswerValue(7, number=NUMBER_MAX),)
    assert parse(q, {"q7": [str(NUMBER_MIN)]}) == (AnswerValue(7, number=NUMBER_MIN),)
    assert refusal(q, {"q7": [str(NUMBER_MAX + 1)]}).message == "Enter a smaller number."


def test_number_without_bounds_does_not_ask_for_a_smaller_number_when_it_is_too_small():
    # -5 000 000 000 is below NUMBER_MIN: "Enter a smaller number." would send the
    # respondent the wrong way.
    error = refusal(question("number"), {"q7": [str(NUMBER_MIN - 1)]})
    assert error.message != "Enter a smaller number."


def test_number_with_thousands_of_digits_is_refused_in_words():
    # Python refuses to convert strings of more than 4300 digits to int (ValueError);
    # the respondent should get a message, not a server error.
    error = refusal(question("number"), {"q7": ["9" * 5000]})
    assert error.message == "Enter a smaller number."


def test_number_reads_back_with_its_unit():
    with_unit = question("number", unit="years")
    assert with_unit.kind.describe(with_unit, [AnswerValue(7, number=42)]) == ("42 years",)
    plain = question("number")
    assert plain.kind.describe(plain, [AnswerValue(7, number=42)]) == ("42",)


def test_number_exports_the_number_itself():
    q = question("number")
    assert q.kind.export_columns(q) == ("",)
    assert q.kind.export_cells(q, [AnswerValue(7, number=42)]) == (42,)
    assert q.kind.export_cells(q, [AnswerValue(7, number=0)]) == (0,)
    assert q.kind.export_cells(q, []) == ("",)


# Short and long text


def test_clean_text_normalises_what_is_stored():
    assert clean_text("Cafe\u0301") == "Café"  # NFC: one code point for é
    assert clean_text("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert clean_text("a\x00b\x07c\x1bd\x7fe") == "abcde"
    assert clean_text("keep\ttabs") == "keep\ttabs"
    assert clean_text(" \n padded \n ") == "padded"


def test_text_keeps_what_was_typed_cleaned():
    typed = "Fleiri félagsmiðstöðvar <b>&</b> =SUM(1)"
    q = question("long_text")
    assert parse(q, {"q7": [f"  {typed}\x00 "]}) == (AnswerValue(7, text=typed),)
    assert parse(q, {"q7": ["line one\r\nline two"]}) == (
        AnswerValue(7, text="line one\nline two"),
    )


def test_text_required_and_blank_asks_for_an_answer():
    q = question("short_text", required=True)
    for blank in ({}, {"q7": ["   "]}, {"q7": ["\x00\r\n"]}):
        error = refusal(q, blank)
        assert error.message == "Enter an answer."
        assert error.target is None


def test_text_optional_and_blank_gives_no_answer():
    assert parse(question("long_text"), {"q7": [""]}) == ()


@pytest.mark.parametrize(
    ("type_key", "limit"), [("short_text", SHORT_TEXT_MAX), ("long_text", LONG_TEXT_MAX)]
)
def test_text_is_capped_at_its_length(type_key, limit):
    q = question(type_key)
    assert parse(q, {"q7": ["é" * limit]}) == (AnswerValue(7, text="é" * limit),)
    assert parse(q, {"q7": [f"  {'x' * limit}  "]})[0].text == "x" * limit
    error = refusal(q, {"q7": ["x" * (limit + 1)]})
    assert error.message == "Your answer must be %(max)s characters or fewer."
    assert error.params == {"max": limit}


def test_text_reads_back_and_exports_as_typed():
    q = question("short_text")
    assert q.kind.field_names(q) == ("q7",)
    assert q.kind.describe(q, [AnswerValue(7, text="More benches")]) == ("More benches",)
    assert q.kind.export_columns(q) == ("",)
    assert q.kind.export_cells(q, [AnswerValue(7, text="More benches")]) == ("More benches",)
    assert q.kind.export_cells(q, []) == ("",)


# Every type: an export row never shifts, an error always links to the question


EXAMPLES = [
    (question("single_choice", options=(YES, NO)), {"q7": ["11"]}),
    (
        question("single_choice", options=(YES, NO, OTHER)),
        {"q7": ["14"], "q7-other": ["Allotments"]},
    ),
    (
        question("multiple_choice", options=(YES, NO, OTHER)),
        {"q7": ["11", "14"], "q7-other": ["Allotments"]},
    ),
    (question("multiple_choice", options=(YES, NO, PREFER_NOT)), {"q7": ["13"]}),
    (question("scale", options=(AGREE, NEUTRAL, DISAGREE, DONT_KNOW)), {"q7": ["24"]}),
    (matrix(), {"q7-s32": ["21"]}),
    (ranking(), {"q7-r53": ["1"], "q7-r51": ["2"]}),
    (question("number", unit="years"), {"q7": ["42"]}),
    (question("short_text"), {"q7": ["More benches"]}),
    (question("long_text"), {"q7": ["More benches\nand shade"]}),
]
EXAMPLE_IDS = [q.type for q, _ in EXAMPLES]


@pytest.mark.parametrize(("q", "form"), EXAMPLES, ids=EXAMPLE_IDS)
def test_every_type_fills_exactly_its_export_columns(q, form):
    columns = q.kind.export_columns(q)
    answers = parse(q, form)
    assert answers, "the example form should give an answer"
    assert len(q.kind.export_cells(q, answers)) == len(columns)
    assert len(q.kind.export_cells(q, ())) == len(columns)
    assert all(cell == "" for cell in q.kind.export_cells(q, ()))


@pytest.mark.parametrize(("q", "form"), EXAMPLES, ids=EXAMPLE_IDS)
def test_every_type_reads_back_a_line_per_answer(q, form):
    answers = parse(q, form)
    lines = q.kind.describe(q, answers)
    assert len(lines) == len(answers)
    assert all(line.strip() for line in lines)


@pytest.mark.parametrize(("q", "form"), EXAMPLES, ids=EXAMPLE_IDS)
def test_every_type_links_its_errors_to_one_of_its_own_fields(q, form):
    required = replace(q, required=True)
    assert required.kind.anchor(required) == required.kind.field_names(required)[0]
    error = refusal(required, {})
    assert error.target is None or error.target in required.kind.field_names(required)

"""Survey definition files: what is accepted, and where each problem is reported.

Each problem has a `place` (a path into the file such as
`questions[1].show_if.options[0]`) and a translatable message id; a planner who
imports a file sees both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveys.definition import (
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    SCHEMA_ID,
    InvalidDefinition,
    check_definition,
    definition_of,
    json_schema_text,
    read_definition,
    write_definition,
)
from surveys.flow import SurveySpec
from surveys.question_types import (
    ConditionSpec,
    Operator,
    OptionSpec,
    QuestionSpec,
    StatementSpec,
)

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "survey.schema.json"
REGENERATE = (
    '.venv/bin/python -c "from surveys.definition import json_schema_text; '
    "open('surveys/instruments/survey.schema.json','w').write(json_schema_text())\""
)


def uses_library(**changes: object) -> dict:
    """A valid single choice question, with any field changed."""
    return {
        "key": "uses_library",
        "type": "single_choice",
        "text": "Do you use the library?",
        "options": [{"label": "Yes"}, {"label": "No"}],
        **changes,
    }


def comments(**changes: object) -> dict:
    return {"key": "comments", "type": "long_text", "text": "Anything else?", **changes}


def document(*questions: dict, **fields: object) -> bytes:
    return json.dumps(
        {"schema": SCHEMA_ID, "title": "Libraries", "questions": list(questions), **fields}
    ).encode()


def problems(data: bytes) -> list[tuple[str, str]]:
    """(place, message) of every problem found (the test fails if there are none)."""
    with pytest.raises(InvalidDefinition) as refused:
        read_definition(data)
    return [(problem.place, problem.message) for problem in refused.value.problems]


def only_problem(data: bytes):
    with pytest.raises(InvalidDefinition) as refused:
        read_definition(data)
    assert len(refused.value.problems) == 1, refused.value.problems
    return refused.value.problems[0]


# A valid file


def test_a_valid_file_is_read():
    definition = read_definition(document(uses_library(), comments()))
    assert definition.title == "Libraries"
    assert [q.key for q in definition.questions] == ["uses_library", "comments"]
    assert [o.label for o in definition.questions[0].options] == ["Yes", "No"]
    assert definition.one_question_per_page is True


def test_a_byte_order_mark_is_accepted():
    assert read_definition(b"\xef\xbb\xbf" + document(comments())).title == "Libraries"


def test_a_file_of_exactly_one_megabyte_is_accepted():
    data = document(comments())
    assert read_definition(data + b" " * (MAX_FILE_BYTES - len(data))).title == "Libraries"


def test_a_file_over_one_megabyte_is_refused():
    data = document(comments())
    problem = only_problem(data + b" " * (MAX_FILE_BYTES + 1 - len(data)))
    assert problem.place == ""
    assert problem.message == "The file is larger than %(max)s kB."
    assert problem.params == {"max": 1000}


# Shape


@pytest.mark.parametrize("data", [b"not json", b'{"schema": ', b"\xff\xfe{}", b""])
def test_a_file_that_is_not_json_says_so(data):
    problem = only_problem(data)
    assert problem.place == ""
    assert problem.message == "The file is not valid JSON: %(detail)s"


def test_a_wrong_shape_says_where_and_what_msgspec_found():
    problem = only_problem(document(comments(text=5)))
    assert problem.place == "questions[0].text"
    assert problem.message == "This does not fit the survey format: %(detail)s"
    assert problem.params == {"detail": "Expected `str`, got `int`"}


def test_an_unknown_field_is_refused_where_it_is():
    problem = only_problem(document(uses_library(colour="blue")))
    assert problem.place == "questions[0]"
    assert "`colour`" in problem.params["detail"]


def test_a_list_instead_of_a_survey_is_refused_for_the_whole_file():
    problem = only_problem(b"[]")
    assert problem.place == ""
    assert problem.message == "This does not fit the survey format: %(detail)s"


def test_another_format_version_is_refused():
    data = json.dumps({"schema": "consult-survey/2", "title": "T", "questions": [comments()]})
    assert only_problem(data.encode()).place == "schema"


def test_a_survey_without_questions_is_refused():
    assert only_problem(document()).place == "questions"


def test_a_key_that_is_not_a_variable_name_is_refused():
    assert only_problem(document(comments(key="Any comments?"))).place == "questions[0].key"


def test_an_option_without_a_label_is_refused():
    data = document(uses_library(options=[{"label": "Yes"}, {"label": ""}]))
    assert only_problem(data).place == "questions[0].options[1].label"


# Rules a shape cannot say


def test_an_unknown_type_is_refused_and_the_types_are_listed():
    problem = only_problem(document(comments(type="file_upload")))
    assert problem.place == "questions[0].type"
    assert problem.message == "‘%(type)s’ is not a question type. Use one of: %(types)s."
    assert problem.params["type"] == "file_upload"
    assert "single_choice" in problem.params["types"]


def test_a_choice_question_needs_two_options():
    problem = only_problem(document(uses_library(options=[{"label": "Yes"}])))
    assert problem.place == "questions[0].options"
    assert problem.message == "Give at least %(min)s answers to choose from."
    assert problem.params == {"min": 2}


def test_a_text_question_has_no_options():
    problem = only_problem(document(comments(options=[{"label": "Yes"}, {"label": "No"}])))
    assert (problem.place, problem.message) == (
        "questions[0].options",
        "This type of question has no answers to choose from.",
    )


def test_a_matrix_needs_statements_and_only_a_matrix_has_them():
    matrix = {
        "key": "services",
        "type": "matrix",
        "text": "How do you rate",
        "options": [{"label": "Good"}, {"label": "Poor"}],
    }
    assert problems(document(matrix)) == [
        ("questions[0].statements", "Give at least one statement to rate.")
    ]
    assert problems(document(uses_library(statements=["Buses"]))) == [
        ("questions[0].statements", "Only a matrix question has statements.")
    ]


def test_two_questions_with_the_same_key_are_refused_at_the_second():
    assert problems(document(comments(), comments(text="More?"))) == [
        ("questions[1].key", "Another question already uses the key ‘%(key)s’.")
    ]


def test_two_answers_with_the_same_label_are_refused_at_the_second():
    data = document(uses_library(options=[{"label": "Yes"}, {"label": "No"}, {"label": "Yes"}]))
    problem = only_problem(data)
    assert problem.place == "questions[0].options[2].label"
    assert problem.message == "Two answers have the same label ‘%(label)s’."
    assert problem.params == {"label": "Yes"}


@pytest.mark.parametrize(
    ("question_type", "flag"),
    [
        ("scale", "other"),
        ("ranking", "prefer_not_to_say"),
        ("ranking", "other"),
        ("single_choice", "dont_know"),
        ("multiple_choice", "dont_know"),
    ],
)
def test_a_flag_the_type_does_not_allow_is_refused(question_type, flag):
    options = [{"label": "A"}, {"label": "B"}, {"label": "C", flag: True}]
    data = document(uses_library(type=question_type, options=options))
    assert problems(data) == [
        (f"questions[0].options[2].{flag}", "This type of question cannot have this answer.")
    ]


def test_a_flag_may_mark_only_one_answer():
    options = [
        {"label": "A"},
        {"label": "Something else", "other": True},
        {"label": "Another thing", "other": True},
    ]
    assert problems(document(uses_library(options=options))) == [
        ("questions[0].options[2].other", "Only one answer of a question can be marked like this.")
    ]


def test_choice_limits_only_on_multiple_choice_and_ranking():
    assert problems(document(uses_library(min_choices=1))) == [
        ("questions[0].min_choices", "Only multiple choice and ranking questions take this.")
    ]


def test_a_least_above_the_most_is_refused():
    data = document(
        uses_library(
            type="multiple_choice",
            options=[{"label": "A"}, {"label": "B"}, {"label": "C"}],
            min_choices=3,
            max_choices=2,
        )
    )
    assert problems(data) == [
        ("questions[0].min_choices", "The least must not be more than the most.")
    ]


def test_a_most_above_the_number_of_answers_is_refused():
    data = document(uses_library(type="multiple_choice", max_choices=3))
    assert problems(data) == [("questions[0].max_choices", "This is more than there are answers.")]


def test_a_least_above_the_number_of_answers_is_refused():
    # Two answers, at least three to choose: nobody could answer this question.
    data = document(uses_library(type="multiple_choice", min_choices=3))
    places = [place for place, _ in problems(data)]
    assert places == ["questions[0].min_choices"]


def test_a_number_range_and_unit_only_on_a_number_question():
    assert problems(document(comments(unit="years"))) == [
        ("questions[0].unit", "Only a number question takes this.")
    ]
    number = comments(type="number", min_number=120, max_number=0, unit="years")
    assert problems(document(number)) == [
        ("questions[0].min_number", "The least must not be more than the most.")
    ]


# Conditions


def show_if(question: str, *labels: str, operator: str = "any_of", **more: object) -> dict:
    return {"question": question, "operator": operator, "options": list(labels), **more}


def test_a_condition_on_an_earlier_answer_is_accepted():
    condition = show_if("uses_library", "No", operator="equals")
    definition = read_definition(document(uses_library(), comments(show_if=condition)))
    assert definition.questions[1].show_if.options == ["No"]


def test_a_condition_on_a_later_question_is_refused():
    data = document(comments(show_if=show_if("uses_library", "Yes")), uses_library())
    assert problems(data) == [
        ("questions[0].show_if.question", "A condition must name the key of an earlier question.")
    ]


def test_a_condition_on_an_unknown_question_is_refused():
    data = document(uses_library(), comments(show_if=show_if("visits", "Yes")))
    assert problems(data) == [
        ("questions[1].show_if.question", "A condition must name the key of an earlier question.")
    ]


def test_a_condition_on_its_own_question_is_refused():
    data = document(uses_library(show_if=show_if("uses_library", "Yes")))
    assert [place for place, _ in problems(data)] == ["questions[0].show_if.question"]


def test_a_condition_on_the_same_page_of_a_grouped_survey_is_refused():
    data = document(
        uses_library(),
        comments(show_if=show_if("uses_library", "Yes")),
        one_question_per_page=False,
    )
    assert problems(data) == [
        (
            "questions[1].show_if.question",
            "The question a condition rests on must be on an earlier page.",
        )
    ]


def test_a_condition_on_an_earlier_page_of_a_grouped_survey_is_accepted():
    data = document(
        uses_library(),
        comments(starts_page=True, show_if=show_if("uses_library", "Yes")),
        one_question_per_page=False,
    )
    assert read_definition(data).questions[1].show_if.question == "uses_library"


def test_a_condition_on_a_question_that_is_not_a_choice_is_refused():
    data = document(comments(), uses_library(show_if=show_if("comments", "Yes")))
    assert problems(data) == [
        (
            "questions[1].show_if.question",
            "A condition can rest only on a single choice, multiple choice or scale question.",
        )
    ]


def test_a_condition_on_a_label_the_question_does_not_have_is_refused():
    data = document(uses_library(), comments(show_if=show_if("uses_library", "Maybe", "Yes")))
    problem = only_problem(data)
    assert problem.place == "questions[1].show_if.options[0]"
    assert problem.message == "‘%(label)s’ is not an answer of that question."
    assert problem.params == {"label": "Maybe"}


def test_equals_with_two_answers_is_refused():
    condition = show_if("uses_library", "Yes", "No", operator="equals")
    assert problems(document(uses_library(), comments(show_if=condition))) == [
        (
            "questions[1].show_if.options",
            "‘equals’ takes exactly one answer; use ‘any_of’ for more.",
        )
    ]


def test_an_unknown_operator_is_refused():
    condition = show_if("uses_library", "Yes", operator="contains")
    problem = only_problem(document(uses_library(), comments(show_if=condition)))
    assert problem.place == "questions[1].show_if.operator"


def test_whole_page_only_on_a_question_that_begins_a_grouped_page():
    condition = show_if("uses_library", "Yes", whole_page=True)
    one_per_page = document(uses_library(), comments(show_if=condition))
    not_first = document(
        uses_library(),
        comments(key="first", starts_page=True),
        comments(show_if=condition),
        one_question_per_page=False,
    )
    message = "Only a question that begins a page of a grouped survey can hide its page."
    assert problems(one_per_page) == [("questions[1].show_if.whole_page", message)]
    assert problems(not_first) == [("questions[2].show_if.whole_page", message)]
    first = document(
        uses_library(),
        comments(starts_page=True, show_if=condition),
        one_question_per_page=False,
    )
    assert read_definition(first).questions[1].show_if.whole_page is True


# Many problems at once


def test_every_problem_is_reported_with_its_place():
    data = document(
        uses_library(options=[{"label": "Yes"}]),
        comments(type="essay"),
        comments(key="uses_library"),
    )
    assert [place for place, _ in problems(data)] == [
        "questions[0].options",
        "questions[1].type",
        "questions[2].key",
    ]


def test_a_file_far_from_the_format_reports_at_most_a_screenful():
    data = document(*(comments(key=f"q{i}", type="essay") for i in range(MAX_PROBLEMS + 10)))
    assert len(problems(data)) == MAX_PROBLEMS


# Round trip


def library_survey() -> tuple[SurveySpec, dict[int, str]]:
    """A grouped survey using every type, with each kind of condition."""
    yes, no = OptionSpec(11, 1, "Yes"), OptionSpec(12, 2, "No")
    prefer_not = OptionSpec(13, 3, "Prefer not to say", is_prefer_not_to_say=True)
    questions = (
        QuestionSpec(
            1, 1, "single_choice", "Do you use the library?", options=(yes, no, prefer_not)
        ),
        QuestionSpec(
            2,
            2,
            "multiple_choice",
            "What do you use?",
            help="Tick all that apply.",
            required=True,
            starts_page=True,
            options=(
                OptionSpec(21, 1, "Books"),
                OptionSpec(22, 2, "Computers"),
                OptionSpec(23, 3, "Something else", is_other=True),
            ),
            min_choices=1,
            max_choices=2,
            condition=ConditionSpec(1, Operator.equals, frozenset({11}), whole_page=True),
        ),
        QuestionSpec(
            3,
            3,
            "scale",
            "How satisfied are you?",
            options=(
                OptionSpec(31, 1, "Satisfied"),
                OptionSpec(32, 2, "Dissatisfied"),
                OptionSpec(33, 3, "Don't know", is_dont_know=True),
            ),
        ),
        QuestionSpec(
            4,
            4,
            "matrix",
            "How do you rate",
            starts_page=True,
            options=(OptionSpec(41, 1, "Good"), OptionSpec(42, 2, "Poor")),
            statements=(StatementSpec(1, 1, "Opening hours"), StatementSpec(2, 2, "Staff")),
            condition=ConditionSpec(1, Operator.any_of, frozenset({11, 12})),
        ),
        QuestionSpec(
            5,
            5,
            "ranking",
            "Put these in order",
            options=(OptionSpec(51, 1, "Quiet"), OptionSpec(52, 2, "Events")),
            max_choices=2,
        ),
        QuestionSpec(
            6,
            6,
            "number",
            "How old are you?",
            special_category=True,
            min_number=16,
            max_number=120,
            unit="years",
            starts_page=True,
        ),
        QuestionSpec(7, 7, "short_text", "Your district"),
        QuestionSpec(
            8,
            8,
            "long_text",
            "Why not?",
            starts_page=True,
            condition=ConditionSpec(1, Operator.not_, frozenset({11})),
        ),
    )
    keys = {1: "uses", 2: "uses_what", 3: "satisfied", 4: "ratings", 5: "order", 6: "age"}
    keys |= {7: "district", 8: "why_not"}
    spec = SurveySpec(
        id=1,
        consultation_id=1,
        title="Libraries",
        intro="Tell us about the libraries.",
        consent_text="We keep answers for a year.",
        questions=questions,
        one_question_per_page=False,
    )
    return spec, keys


def exported(spec: SurveySpec, keys: dict[int, str]):
    return definition_of(
        spec.title,
        spec.intro,
        spec.consent_text,
        spec.one_question_per_page,
        spec.questions,
        keys,
    )


def test_an_exported_survey_reads_back_the_same():
    spec, keys = library_survey()
    definition = exported(spec, keys)
    assert read_definition(write_definition(definition)) == definition


def test_an_exported_survey_keeps_its_questions_and_conditions():
    spec, keys = library_survey()
    again = read_definition(write_definition(exported(spec, keys)))
    assert again.one_question_per_page is False
    assert [(q.key, q.type) for q in again.questions] == [
        (keys[q.id], q.type) for q in spec.questions
    ]
    by_key = {q.key: q for q in again.questions}
    assert [o.label for o in by_key["uses_what"].options] == [
        "Books",
        "Computers",
        "Something else",
    ]
    assert by_key["uses_what"].options[2].other is True
    assert (by_key["uses_what"].min_choices, by_key["uses_what"].max_choices) == (1, 2)
    assert by_key["ratings"].statements == ["Opening hours", "Staff"]
    assert (by_key["age"].min_number, by_key["age"].max_number, by_key["age"].unit) == (
        16,
        120,
        "years",
    )
    conditions = {
        q.key: (q.show_if.question, q.show_if.operator, q.show_if.options, q.show_if.whole_page)
        for q in again.questions
        if q.show_if is not None
    }
    assert conditions == {
        "uses_what": ("uses", "equals", ["Yes"], True),
        "ratings": ("uses", "any_of", ["Yes", "No"], False),
        "why_not": ("uses", "not", ["Yes"], False),
    }


def test_a_written_definition_is_readable_json():
    spec, keys = library_survey()
    text = write_definition(exported(spec, keys)).decode()
    assert text.endswith("\n")
    assert '\n  "title": "Libraries",' in text
    assert json.loads(text)["schema"] == SCHEMA_ID


def test_check_definition_applies_the_same_rules_to_a_definition_built_in_code():
    spec, keys = library_survey()
    definition = exported(spec, keys)
    assert check_definition(definition) == definition


# The published schema


def test_the_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        f"surveys/instruments/survey.schema.json is out of date; regenerate it with {REGENERATE}"
    )


def test_the_schema_names_every_question_type():
    schema = json.loads(json_schema_text())
    assert schema["$id"] == SCHEMA_ID
    for key in ("single_choice", "matrix", "ranking", "long_text"):
        assert key in schema["description"]

"""Each question type turns raw form values into answers, or refuses in words."""

from __future__ import annotations

import pytest

from surveys.question_types import (
    LONG_TEXT_MAX,
    REGISTRY,
    AnswerValue,
    InvalidAnswer,
    OptionSpec,
    QuestionSpec,
    UnknownQuestionType,
    get_type,
)

OPTIONS = (
    OptionSpec(11, 1, "Yes"),
    OptionSpec(12, 2, "No"),
    OptionSpec(13, 3, "Prefer not to say", is_prefer_not_to_say=True),
)


def question(type_key: str, required: bool = True) -> QuestionSpec:
    options = OPTIONS if REGISTRY[type_key].has_options else ()
    return QuestionSpec(
        id=7, position=1, type=type_key, text="Q", required=required, options=options
    )


def parse(type_key: str, *raw: str, required: bool = True) -> tuple[AnswerValue, ...]:
    q = question(type_key, required)
    return q.kind.parse(q, raw)


def refusal(type_key: str, *raw: str) -> str:
    with pytest.raises(InvalidAnswer) as refused:
        parse(type_key, *raw)
    return refused.value.error.message


def test_the_registry_is_closed():
    assert set(REGISTRY) == {
        "single_choice",
        "multiple_choice",
        "scale",
        "short_text",
        "long_text",
        "number",
    }
    with pytest.raises(UnknownQuestionType):
        get_type("file_upload")


def test_single_choice():
    assert parse("single_choice", "12") == (AnswerValue(7, option_id=12),)
    assert refusal("single_choice") == "Select an answer."
    assert refusal("single_choice", "99") == "Choose one of the answers listed."
    assert refusal("single_choice", "11", "12") == "Select only one answer."
    assert parse("single_choice", "", required=False) == ()


def test_scale_stores_the_position_as_a_number():
    assert parse("scale", "12") == (AnswerValue(7, option_id=12, number=2),)


def test_multiple_choice():
    assert parse("multiple_choice", "11", "12", "11") == (
        AnswerValue(7, option_id=11),
        AnswerValue(7, option_id=12),
    )
    assert refusal("multiple_choice") == "Select at least one answer."
    assert "on its own" in refusal("multiple_choice", "11", "13")
    assert parse("multiple_choice", "13") == (AnswerValue(7, option_id=13),)


def test_text_keeps_what_was_typed_and_caps_length():
    typed = "Fleiri félagsmiðstöðvar <b>&</b> =SUM(1)"
    assert parse("long_text", f"  {typed} ") == (AnswerValue(7, text=typed),)
    assert refusal("long_text", "   ") == "Enter an answer."
    assert parse("long_text", "x" * LONG_TEXT_MAX)[0].text == "x" * LONG_TEXT_MAX
    assert "characters or fewer" in refusal("long_text", "x" * (LONG_TEXT_MAX + 1))
    assert "characters or fewer" in refusal("short_text", "x" * 501)


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), ("-3", -3), (" 1 000 ", 1000)])
def test_number_accepts_whole_numbers(raw, expected):
    assert parse("number", raw) == (AnswerValue(7, number=expected),)


@pytest.mark.parametrize("raw", ["1.5", "12abc", "١٢", "1e5", "--1"])
def test_number_refuses_anything_else(raw):
    assert refusal("number", raw) == "Enter a whole number, like 12."


def test_export_text_per_type():
    single = question("multiple_choice")
    assert (
        single.kind.export_text(
            single, [AnswerValue(7, option_id=11), AnswerValue(7, option_id=12)]
        )
        == "Yes; No"
    )
    number = question("number")
    assert number.kind.export_text(number, [AnswerValue(7, number=4)]) == 4

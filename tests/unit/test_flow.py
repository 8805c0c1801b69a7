"""Pages, display conditions, Next and Back, and reading a respondent's answers.

The library survey below has one question a page:

1. Do you use the library?            (always)
2. What would make it better?         (only if 1 is Yes; required)
3. What keeps you away?               (unless 1 is Yes: also when 1 is unanswered)
4. Which bus would you take?          (if 3 includes Distance or Hours)
5. How old are you?                   (always)
"""

from __future__ import annotations

from dataclasses import replace

from surveys.flow import Journey, Page, SurveySpec, kept_values, merge_page
from surveys.question_types import (
    RAW_VALUE_MAX,
    AnswerValue,
    ConditionSpec,
    Operator,
    OptionSpec,
    QuestionSpec,
)

YES, NO, PREFER_NOT = 101, 102, 103
DISTANCE, HOURS, NOTHING = 301, 302, 303

USES = QuestionSpec(
    id=1,
    position=1,
    type="single_choice",
    text="Do you use the library?",
    options=(
        OptionSpec(YES, 1, "Yes"),
        OptionSpec(NO, 2, "No"),
        OptionSpec(PREFER_NOT, 3, "Prefer not to say", is_prefer_not_to_say=True),
    ),
)
BETTER = QuestionSpec(
    id=2,
    position=2,
    type="short_text",
    text="What would make it better?",
    required=True,
    condition=ConditionSpec(1, Operator.equals, frozenset({YES})),
)
AWAY = QuestionSpec(
    id=3,
    position=3,
    type="multiple_choice",
    text="What keeps you away?",
    options=(
        OptionSpec(DISTANCE, 1, "Distance"),
        OptionSpec(HOURS, 2, "Opening hours"),
        OptionSpec(NOTHING, 3, "Nothing in particular"),
    ),
    condition=ConditionSpec(1, Operator.not_, frozenset({YES})),
)
BUS = QuestionSpec(
    id=4,
    position=4,
    type="short_text",
    text="Which bus would you take?",
    condition=ConditionSpec(3, Operator.any_of, frozenset({DISTANCE, HOURS})),
)
AGE = QuestionSpec(id=5, position=5, type="number", text="How old are you?")
LIBRARY = (USES, BETTER, AWAY, BUS, AGE)


def survey(*questions: QuestionSpec, one_question_per_page: bool = True) -> SurveySpec:
    return SurveySpec(
        id=1,
        consultation_id=1,
        title="Libraries",
        intro="",
        consent_text="",
        questions=questions or LIBRARY,
        one_question_per_page=one_question_per_page,
    )


def journey(values: dict[str, list[str]], spec: SurveySpec | None = None) -> Journey:
    return Journey(spec or survey(), values)


def shown(j: Journey) -> list[str]:
    """The questions the respondent sees, by text, in order."""
    return [q.text for page in j.shown_pages for q in j.shown_questions(page)]


def numbers(pages: tuple[Page, ...]) -> list[int]:
    return [page.number for page in pages]


def answered(result) -> set[int]:
    return {answer.question_id for answer in result.answers}


# Pages


def test_one_question_a_page_gives_each_question_its_own_page():
    spec = survey()
    assert numbers(spec.pages) == [1, 2, 3, 4, 5]
    assert [page.questions for page in spec.pages] == [(q,) for q in LIBRARY]


def test_grouped_pages_begin_at_each_starts_page_question():
    spec = survey(
        USES,
        BETTER,
        replace(AWAY, starts_page=True),
        BUS,
        replace(AGE, starts_page=True),
        one_question_per_page=False,
    )
    assert [[q.id for q in page.questions] for page in spec.pages] == [[1, 2], [3, 4], [5]]


def test_grouped_survey_without_page_breaks_is_one_page():
    spec = survey(*LIBRARY, one_question_per_page=False)
    assert [[q.id for q in page.questions] for page in spec.pages] == [[1, 2, 3, 4, 5]]


def test_a_page_is_found_by_number_or_by_question():
    spec = survey()
    assert spec.page(3).questions == (AWAY,)
    assert spec.page(0) is None
    assert spec.page(6) is None
    assert spec.page_of(4).number == 4
    assert spec.page_of(99) is None


# Display conditions


def test_equals_shows_the_question_only_for_that_answer():
    assert "What would make it better?" in shown(journey({"q1": [str(YES)]}))
    assert "What would make it better?" not in shown(journey({"q1": [str(NO)]}))
    assert "What would make it better?" not in shown(journey({}))


def test_not_shows_the_question_for_other_answers_and_for_no_answer():
    assert "What keeps you away?" in shown(journey({"q1": [str(NO)]}))
    assert "What keeps you away?" in shown(journey({"q1": [str(PREFER_NOT)]}))
    assert "What keeps you away?" in shown(journey({}))
    assert "What keeps you away?" not in shown(journey({"q1": [str(YES)]}))


def test_any_of_shows_the_question_when_one_of_its_answers_is_chosen():
    assert "Which bus would you take?" in shown(journey({"q3": [str(HOURS)]}))
    assert "Which bus would you take?" in shown(journey({"q3": [str(DISTANCE), str(HOURS)]}))
    assert "Which bus would you take?" not in shown(journey({"q3": [str(NOTHING)]}))
    assert "Which bus would you take?" not in shown(journey({}))


def test_an_answer_to_a_hidden_question_counts_as_no_answer():
    # "Opening hours" was ticked, then question 1 changed to Yes, which hides
    # question 3: the bus question that rested on it goes too.
    j = journey({"q1": [str(YES)], "q3": [str(HOURS)]})
    assert shown(j) == [
        "Do you use the library?",
        "What would make it better?",
        "How old are you?",
    ]


def test_a_value_that_names_no_option_shows_nothing():
    assert "What would make it better?" not in shown(journey({"q1": ["Yes"]}))


def grouped_with_a_hidden_page(whole_page: bool) -> SurveySpec:
    """Page 1: library use. Page 2: better, bus (page shown if Yes). Page 3: age."""
    condition = ConditionSpec(1, Operator.equals, frozenset({YES}), whole_page=whole_page)
    return survey(
        USES,
        replace(BETTER, starts_page=True, condition=condition),
        replace(BUS, condition=None),
        replace(AGE, starts_page=True),
        one_question_per_page=False,
    )


def test_a_whole_page_condition_hides_every_question_on_its_page():
    spec = grouped_with_a_hidden_page(whole_page=True)
    j = journey({"q1": [str(NO)]}, spec)
    assert numbers(j.shown_pages) == [1, 3]
    assert j.shown_questions(spec.page(2)) == ()
    assert numbers(journey({"q1": [str(YES)]}, spec).shown_pages) == [1, 2, 3]


def test_a_question_condition_hides_only_that_question_of_its_page():
    spec = grouped_with_a_hidden_page(whole_page=False)
    j = journey({"q1": [str(NO)]}, spec)
    assert numbers(j.shown_pages) == [1, 2, 3]
    assert [q.text for q in j.shown_questions(spec.page(2))] == ["Which bus would you take?"]


def test_a_question_on_a_hidden_page_counts_as_unanswered_for_later_conditions():
    # Page 2 is hidden as a whole once question 1 is No; its bus question was
    # answered before that. A question on page 3 that rests on the bus answer must
    # go too, as it does when the bus question hides by its own condition.
    bus = replace(
        BUS,
        type="single_choice",
        options=(OptionSpec(401, 1, "Number 5"), OptionSpec(402, 2, "Number 9")),
        condition=None,
    )
    stop = QuestionSpec(
        id=6,
        position=6,
        type="short_text",
        text="Which stop is nearest?",
        starts_page=True,
        condition=ConditionSpec(4, Operator.equals, frozenset({401})),
    )
    hide_page_2 = ConditionSpec(1, Operator.equals, frozenset({YES}), whole_page=True)
    spec = survey(
        USES,
        replace(BETTER, starts_page=True, condition=hide_page_2),
        bus,
        stop,
        one_question_per_page=False,
    )
    assert "Which stop is nearest?" in shown(journey({"q1": [str(YES)], "q4": ["401"]}, spec))
    j = journey({"q1": [str(NO)], "q4": ["401"]}, spec)
    assert "Which bus would you take?" not in shown(j)
    assert "Which stop is nearest?" not in shown(j)


# Next, Back and progress


def test_next_and_back_skip_hidden_pages():
    j = journey({"q1": [str(YES)]})  # shows 1, 2 and 5
    assert j.next_page(1).number == 2
    assert j.next_page(2).number == 5
    assert j.previous_page(5).number == 2
    assert j.previous_page(2).number == 1


def test_next_after_the_last_page_is_check_your_answers_and_back_from_the_first_is_the_start():
    j = journey({"q1": [str(YES)]})
    assert j.next_page(5) is None
    assert j.previous_page(1) is None


def test_next_from_the_start_is_the_first_page():
    assert journey({}).next_page(0).number == 1


def test_progress_counts_the_questions_shown_now():
    spec = survey()
    yes = journey({"q1": [str(YES)]})  # 1, 2, 5
    assert yes.progress(spec.page(1)) == (1, 3)
    assert yes.progress(spec.page(5)) == (3, 3)
    no = journey({"q1": [str(NO)], "q3": [str(HOURS)]})  # 1, 3, 4, 5
    assert no.progress(spec.page(4)) == (3, 4)


def test_progress_of_a_grouped_survey_counts_pages():
    spec = grouped_with_a_hidden_page(whole_page=True)
    j = journey({"q1": [str(NO)]}, spec)
    assert j.progress(spec.page(3)) == (2, 2)
    assert journey({"q1": [str(YES)]}, spec).progress(spec.page(3)) == (3, 3)


# Reading answers


def test_parse_page_gives_the_answers_of_the_page():
    spec = survey()
    result = journey({}).parse_page(spec.page(5), {"q5": ["42"]})
    assert result.is_valid
    assert result.answers == (AnswerValue(5, number=42),)
    assert result.values == {"q5": ("42",)}


def test_parse_page_reports_errors_by_question_and_keeps_what_was_sent():
    spec = survey()
    j = journey({"q1": [str(YES)]})
    result = j.parse_page(spec.page(2), {"q2": ["   "]})
    assert not result.is_valid
    assert result.errors[2].message == "Enter an answer."
    bad = j.parse_page(spec.page(5), {"q5": ["forty"]})
    assert bad.errors[5].message == "Enter a whole number, like 12."
    assert bad.values == {"q5": ("forty",)}


def test_parse_page_does_not_validate_a_hidden_required_question():
    spec = grouped_with_a_hidden_page(whole_page=False)
    j = journey({"q1": [str(NO)]}, spec)
    result = j.parse_page(spec.page(2), {"q4": ["Number 5"]})
    assert result.is_valid
    assert answered(result) == {4}


def test_parse_all_keeps_the_answers_of_shown_questions():
    j = journey({"q1": [str(YES)], "q2": ["Longer opening hours"], "q5": ["42"]})
    result = j.parse_all()
    assert result.is_valid
    assert result.answers == (
        AnswerValue(1, option_id=YES),
        AnswerValue(2, text="Longer opening hours"),
        AnswerValue(5, number=42),
    )


def test_parse_all_drops_an_answer_hidden_by_a_changed_earlier_answer():
    # The respondent said Yes, answered question 2, went back and changed to No.
    before = journey({"q1": [str(YES)], "q2": ["Longer opening hours"]})
    assert 2 in answered(before.parse_all())
    after = journey({"q1": [str(NO)], "q2": ["Longer opening hours"]})
    result = after.parse_all()
    assert 2 not in answered(result)
    assert all(answer.text != "Longer opening hours" for answer in result.answers)
    assert "q2" not in result.values


def test_parse_all_drops_answers_hidden_in_a_chain():
    j = journey({"q1": [str(YES)], "q3": [str(HOURS)], "q4": ["Number 5"]})
    assert answered(j.parse_all()) == {1}


def test_parse_all_drops_the_answers_of_a_hidden_page():
    spec = grouped_with_a_hidden_page(whole_page=True)
    j = journey({"q1": [str(NO)], "q4": ["Number 5"], "q5": ["30"]}, spec)
    assert answered(j.parse_all()) == {1, 5}


def test_parse_all_refuses_a_shown_required_question_left_blank():
    result = journey({"q1": [str(YES)]}).parse_all()
    assert set(result.errors) == {2}


# Where to go next after a change


def test_next_incomplete_is_the_first_page_not_yet_continued_from():
    j = journey({"q1": [str(NO)]})
    assert j.next_incomplete(seen=set()).number == 1
    assert j.next_incomplete(seen={1}).number == 3
    assert j.next_incomplete(seen={1, 3, 4, 5}) is None


def test_next_incomplete_returns_to_a_required_question_a_change_revealed():
    # Seen with No; then question 1 changed to Yes reveals required question 2.
    j = journey({"q1": [str(YES)], "q5": ["42"]})
    assert j.next_incomplete(seen={1, 3, 4, 5}).number == 2


def test_next_incomplete_returns_to_a_seen_page_whose_answer_no_longer_passes():
    j = journey({"q1": [str(YES)], "q2": [""]})
    assert j.next_incomplete(seen={1, 2, 5}).number == 2


# Drafts


def test_merge_page_replaces_the_page_and_keeps_the_others():
    spec = survey()
    draft = {"q1": (str(NO),), "q3": (str(DISTANCE), str(HOURS)), "q5": ("42",)}
    merged = merge_page(draft, spec.page(3), {"q3": [str(HOURS)]})
    assert merged == {"q1": (str(NO),), "q3": (str(HOURS),), "q5": ("42",)}


def test_merge_page_an_unticked_box_clears_its_old_value():
    spec = survey()
    draft = {"q1": (str(NO),), "q3": (str(DISTANCE),)}
    merged = merge_page(draft, spec.page(3), {})
    assert merged == {"q1": (str(NO),)}


def test_merge_page_clears_an_emptied_other_text():
    other = replace(
        AWAY, options=(*AWAY.options, OptionSpec(304, 4, "Something else", is_other=True))
    )
    spec = survey(USES, other)
    draft = {"q3": ("304",), "q3-other": ("Parking",)}
    merged = merge_page(draft, spec.page(2), {"q3": [str(HOURS)], "q3-other": [""]})
    assert merged == {"q3": (str(HOURS),)}


def test_merge_page_keeps_answers_of_questions_hidden_now():
    # Changing question 1 back to No should bring question 3's ticks back.
    spec = survey()
    draft = {"q1": (str(NO),), "q3": (str(HOURS),)}
    merged = merge_page(draft, spec.page(1), {"q1": [str(YES)]})
    assert merged == {"q1": (str(YES),), "q3": (str(HOURS),)}


def test_merge_page_ignores_fields_of_other_pages_sent_with_this_one():
    spec = survey()
    merged = merge_page({"q5": ("42",)}, spec.page(1), {"q1": [str(NO)], "q5": ["99"]})
    assert merged == {"q1": (str(NO),), "q5": ("42",)}


def test_kept_values_keep_no_more_values_than_a_field_can_mean():
    assert kept_values(AWAY, {"q3": ["301"] * 50}) == {"q3": ("301",) * 3}
    assert kept_values(USES, {"q1": ["101", "102", "103", "101"]}) == {"q1": ("101", "102", "103")}
    assert kept_values(BETTER, {"q2": ["one", "two"]}) == {"q2": ("one",)}


def test_kept_values_cut_each_value_and_drop_empty_ones():
    kept = kept_values(BETTER, {"q2": ["x" * (RAW_VALUE_MAX + 100)]})
    assert kept == {"q2": ("x" * RAW_VALUE_MAX,)}
    assert kept_values(BETTER, {"q2": [""]}) == {}


def test_kept_values_keep_only_this_questions_fields():
    assert kept_values(AGE, {"q5": ["42"], "q1": ["101"], "csrf": ["token"]}) == {"q5": ("42",)}

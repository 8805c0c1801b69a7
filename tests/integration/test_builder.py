"""The survey builder, as a planner uses it: every action is a form on a staff page.

Each test builds what it needs in a consultation of its own (with the services, as
factories), then acts through the pages and checks what the planner sees (status,
text on the page) and what is stored (read back with surveys.services.load_spec).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import count
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.fixtures import csrf_token, post_form, send_survey, sign_in

PLANNER = "bo.builder"
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PREFER_NOT = "Prefer not to say"
LOCKED = "People have answered this survey, so its questions can no longer change."
NEW_VERSION_HINT = "Create a new version to change them."
NOT_EARLIER = "A condition must name the key of an earlier question."
SOURCE_OF_A_CONDITION = (
    "This question’s condition rests on the one you want to delete. Remove the condition first."
)
OPTION_IN_A_CONDITION = "A display condition uses this answer. Change that condition first."
BAD_EXIT_URL = "Enter the full address of a neutral website, like https://www.bbc.co.uk/weather."
FACILITATORS = count(1)
TEMPLATE_SLUGS = sorted(
    path.stem
    for path in (ROOT / "surveys" / "instruments").glob("*.json")
    if path.name not in ("demographics.json", "survey.schema.json")
)


# --- Fixtures and factories ---------------------------------------------------------


@pytest.fixture(scope="module")
def planner(client, make_staff):
    """The module's client, signed in once as a planner for every test here."""
    make_staff(PLANNER, "planner", city="Tampere")  # new_consultation's city
    assert sign_in(client, PLANNER).status_code == 303
    return client


@contextmanager
def signed_out(client) -> Iterator[Any]:
    """The client without the planner's cookies for a while (anonymous, or signed in
    as somebody else); the planner's session comes back afterwards."""
    kept = httpx.Cookies(client.cookies)
    client.cookies.clear()
    try:
        yield client
    finally:
        client.cookies.clear()
        client.cookies.update(kept)


@dataclass(frozen=True)
class Built:
    """A consultation of one test, with one survey, and the builder's addresses."""

    consultation_id: int
    slug: str
    survey_id: int

    @property
    def builder(self) -> str:
        return f"/staff/consultations/{self.consultation_id}"

    @property
    def survey(self) -> str:
        return f"{self.builder}/surveys/{self.survey_id}"

    def question(self, question_id: int) -> str:
        return f"{self.survey}/questions/{question_id}"

    @property
    def submit_url(self) -> str:
        return f"/c/{self.slug}/surveys/{self.survey_id}/submit"


def question(type_key: str, text: str, *labels: str, **settings: Any) -> dict[str, Any]:
    """A question for `build`: its answers by label ("Prefer not to say" is marked
    so) and any other QuestionInput setting (required, statements, unit ...)."""
    return {"type": type_key, "text": text, "labels": labels, **settings}


@pytest.fixture(scope="module")
def new_consultation(run) -> Callable[..., Any]:
    """Factory: a consultation of its own, a draft unless `status` says otherwise."""
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.tables import ConsultationStatus

    numbers = count(1)

    def make(status: str = "draft") -> Any:
        slug = f"builder-{next(numbers)}"
        consultation = run(
            consultations.create,
            ConsultationInput(
                slug=slug,
                title=f"Consultation {slug}",
                purpose="Why we ask.",
                city="Tampere",
                run_by="City of Tampere",
                data_use="Planners read it.",
                minutes_to_complete=5,
            ),
        )
        if status != "draft":
            run(consultations.set_status, consultation, ConsultationStatus(status))
        return consultation

    return make


@pytest.fixture(scope="module")
def build(run, new_consultation) -> Callable[..., Built]:
    """Factory: a consultation with one survey of the `question(...)`s given, made
    with the builder's services; `grouped` puts several questions on a page."""
    from surveys import builder

    def make(*questions: dict[str, Any], status: str = "draft", grouped: bool = False) -> Built:
        consultation = new_consultation(status)
        survey = run(
            builder.create_survey,
            consultation.id,
            "Safety survey",
            one_question_per_page=not grouped,
        )
        for spec in questions:
            settings = {k: v for k, v in spec.items() if k not in ("type", "text", "labels")}
            if "statements" in settings:
                settings["statements"] = tuple(settings["statements"])
            run(
                builder.add_question,
                survey.id,
                builder.QuestionInput(
                    type=spec["type"],
                    text=spec["text"],
                    options=tuple(
                        builder.NewOption(label, is_prefer_not_to_say=label == PREFER_NOT)
                        for label in spec["labels"]
                    ),
                    **settings,
                ),
            )
        return Built(consultation.id, consultation.slug, survey.id)

    return make


@pytest.fixture(scope="module")
def stored(run) -> Callable[[int], Any]:
    """The survey as stored now (a SurveySpec), read with the services."""
    from surveys import services

    def read(survey_id: int) -> Any:
        spec = run(services.load_spec, survey_id)
        assert spec is not None
        return spec

    return read


def give_condition(
    run, spec, question_index: int, source_index: int, *labels: str, whole_page: bool = False
) -> None:
    """Set up (with the services) "show question_index only if source_index is any
    of `labels`" (one label: "is")."""
    from surveys import builder
    from surveys.question_types import Operator

    source = spec.questions[source_index]
    chosen = {option.id for option in source.options if option.label in labels}
    operator = Operator.equals if len(chosen) == 1 else Operator.any_of
    run(
        builder.set_condition,
        spec.questions[question_index].id,
        source.id,
        operator,
        chosen,
        whole_page=whole_page,
    )


# --- Reading pages ------------------------------------------------------------------


def shown(response) -> str:
    """A page's text as a planner reads it (HTML entities decoded)."""
    return html.unescape(response.text)


class _FormFields(HTMLParser):
    """What a browser sends from one form as served: text boxes, text areas and the
    ticked boxes and radios (a button only when it is the one pressed)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.textarea: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        elif self.inside and tag == "input" and found.get("name"):
            kind = found.get("type") or "text"
            if kind in ("text", "hidden") or (kind in ("checkbox", "radio") and "checked" in found):
                self.fields[str(found["name"])] = found.get("value") or ""
        elif self.inside and tag == "textarea":
            self.textarea = str(found["name"])
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data


def form_fields(page: str, form_id: str) -> dict[str, str]:
    reader = _FormFields(form_id)
    reader.feed(page)
    assert reader.fields, f"the page has no form {form_id!r}"
    return reader.fields


def edit_question(client, url: str, changes: dict[str, str | None]) -> Any:
    """Open a question's edit form and send it as a browser would, after typing
    `changes` (None unticks a box or leaves a field out)."""
    page = client.get(url)
    assert page.status_code == 200
    fields = form_fields(page.text, "question-form")
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return client.post(url, data=fields, follow_redirects=False)


def special(other: bool, dont_know: bool, prefer_not_to_say: bool) -> str:
    """Which special answer an answer is ("" for an ordinary one)."""
    flags = {"other": other, "dont_know": dont_know, "prefer_not_to_say": prefer_not_to_say}
    return next((name for name, flag in flags.items() if flag), "")


def answers(question_spec) -> list[tuple[str, str]]:
    """A question's answers in order: (label, which special answer it is or "")."""
    return [
        (o.label, special(o.is_other, o.is_dont_know, o.is_prefer_not_to_say))
        for o in question_spec.options
    ]


def texts(spec) -> list[str]:
    return [q.text for q in spec.questions]


def shape(spec) -> list[tuple[Any, ...]]:
    """A survey's questions without ids, as two copies of it are compared: settings,
    answers, statements, and each condition by its source's position and labels."""
    by_id = {q.id: q for q in spec.questions}
    rows = []
    for q in spec.questions:
        condition = None
        if q.condition is not None:
            source = by_id[q.condition.source_question_id]
            condition = (
                source.position,
                q.condition.operator.value,
                sorted(o.label for o in source.options if o.id in q.condition.option_ids),
                q.condition.whole_page,
            )
        rows.append(
            (
                q.position,
                q.type,
                q.text,
                q.help,
                q.required,
                q.special_category,
                q.starts_page,
                (q.min_choices, q.max_choices, q.min_number, q.max_number, q.unit),
                answers(q),
                [s.text for s in q.statements],
                condition,
            )
        )
    return rows


def definition_shape(definition) -> list[tuple[Any, ...]]:
    """`shape` of a survey definition (a template), to compare with what is stored."""
    positions = {q.key: index for index, q in enumerate(definition.questions, start=1)}
    rows = []
    for index, q in enumerate(definition.questions, start=1):
        condition = None
        if q.show_if is not None:
            condition = (
                positions[q.show_if.question],
                q.show_if.operator,
                sorted(q.show_if.options),
                q.show_if.whole_page,
            )
        rows.append(
            (
                index,
                q.type,
                q.text,
                q.help,
                q.required,
                q.special_category,
                q.starts_page,
                (q.min_choices, q.max_choices, q.min_number, q.max_number, q.unit),
                [(o.label, special(o.other, o.dont_know, o.prefer_not_to_say)) for o in q.options],
                list(q.statements),
                condition,
            )
        )
    return rows


def to_builder(built: Built, focus: str) -> str:
    """Where an action sends the planner back: the builder, focus on `focus`."""
    return f"{built.builder}?focus={focus}#{focus}"


# --- Adding questions ---------------------------------------------------------------

ADDED = [
    pytest.param(
        {
            "type": "single_choice",
            "text": "Do you feel safe at night?",
            "options": "Yes\nNo",
            "required": "1",
            "other": "1",
            "prefer_not_to_say": "1",
        },
        {
            "required": True,
            "answers": [
                ("Yes", ""),
                ("No", ""),
                ("Other (please specify)", "other"),
                (PREFER_NOT, "prefer_not_to_say"),
            ],
        },
        id="single_choice-other-prefer_not",
    ),
    pytest.param(
        {
            "type": "multiple_choice",
            "text": "Where have you seen hate speech?",
            "options": "Online\nAt school\nIn sport",
            "min_choices": "1",
            "max_choices": "2",
            "prefer_not_to_say": "1",
        },
        {
            "required": False,
            "min_choices": 1,
            "max_choices": 2,
            "answers": [
                ("Online", ""),
                ("At school", ""),
                ("In sport", ""),
                (PREFER_NOT, "prefer_not_to_say"),
            ],
        },
        id="multiple_choice-limits",
    ),
    pytest.param(
        {
            "type": "scale",
            "text": "How much do you trust the police?",
            "options": "Not at all\nA little\nSomewhat\nQuite a lot\nCompletely",
            "dont_know": "1",
        },
        {
            "answers": [
                ("Not at all", ""),
                ("A little", ""),
                ("Somewhat", ""),
                ("Quite a lot", ""),
                ("Completely", ""),
                ("Don't know", "dont_know"),
            ],
        },
        id="scale-dont_know",
    ),
    pytest.param(
        {
            "type": "matrix",
            "text": "How safe do you feel in these places?",
            "options": "Safe\nUnsafe",
            "statements": "The park\nThe bus stop\n\nThe library",
            "dont_know": "1",
            "prefer_not_to_say": "1",
        },
        {
            "statements": ["The park", "The bus stop", "The library"],
            "answers": [
                ("Safe", ""),
                ("Unsafe", ""),
                ("Don't know", "dont_know"),
                (PREFER_NOT, "prefer_not_to_say"),
            ],
        },
        id="matrix-statements",
    ),
    pytest.param(
        {
            "type": "ranking",
            "text": "What should the city do first?",
            "options": "Better lighting\nYouth clubs\nMore patrols",
            "max_choices": "2",
        },
        {
            "max_choices": 2,
            "min_choices": None,
            "answers": [("Better lighting", ""), ("Youth clubs", ""), ("More patrols", "")],
        },
        id="ranking",
    ),
    pytest.param(
        {
            "type": "number",
            "text": "How many times has it happened?",
            "min_number": "0",
            "max_number": "50",
            "unit": "times",
            # Lines typed in a field this type does not show are not stored.
            "options": "Left over\nfrom another type",
        },
        {"min_number": 0, "max_number": 50, "unit": "times", "answers": []},
        id="number-unit-range",
    ),
    pytest.param(
        {"type": "short_text", "text": "Which street?", "help": "A street name is enough."},
        {"help": "A street name is enough.", "answers": []},
        id="short_text-hint",
    ),
    pytest.param(
        {"type": "long_text", "text": "What would help?", "required": "1"},
        {"required": True, "answers": []},
        id="long_text",
    ),
]


@pytest.mark.parametrize(("form", "expected"), ADDED)
def test_each_question_type_is_added_through_the_form(planner, build, stored, form, expected):
    built = build()
    expected = dict(expected)
    added = post_form(planner, built.builder, f"{built.survey}/questions", form)

    assert added.status_code == 303
    [question_spec] = stored(built.survey_id).questions
    assert added.headers["location"] == to_builder(built, f"question-{question_spec.id}")
    assert question_spec.type == form["type"]
    assert question_spec.text == form["text"]
    expected_answers = expected.pop("answers")
    assert answers(question_spec) == expected_answers
    if "statements" in expected:
        assert [s.text for s in question_spec.statements] == expected.pop("statements")
    for name, value in expected.items():
        assert getattr(question_spec, name) == value, name

    page = shown(planner.get(built.builder))
    assert f"1. {form['text']}" in page
    for label, _special in expected_answers:
        assert f"<li>{label}</li>" in page
    assert "No questions yet." not in page


INVALID_ADDS = [
    pytest.param(
        {"type": "single_choice", "text": "", "options": "Yes\nNo"},
        "Enter the question, up to 1,000 characters.",
        "Yes\nNo</textarea>",
        id="no-text",
    ),
    pytest.param(
        {"type": "single_choice", "text": "Do you feel safe?", "options": "Only one"},
        "Enter at least two answers, one on each line.",
        'value="Do you feel safe?"',
        id="one-option",
    ),
    pytest.param(
        {"type": "long_text", "text": "Your age band", "key": "Age Band!"},
        "Enter a variable name of lower-case letters, digits and underscores, "
        "starting with a letter, like age_band.",
        'value="Your age band"',
        id="bad-key",
    ),
    pytest.param(
        {"type": "matrix", "text": "Rate the places", "options": "Good\nBad", "statements": ""},
        "Enter at least one statement, one on each line.",
        "Good\nBad</textarea>",
        id="matrix-without-statements",
    ),
    pytest.param(
        {"type": "number", "text": "How old are you?", "min_number": "99", "max_number": "5"},
        "The least must not be more than the most.",
        'value="How old are you?"',
        id="number-range-upside-down",
    ),
    pytest.param(
        {"type": "essay", "text": "Tell us everything"},
        "Choose a question type.",
        'value="Tell us everything"',
        id="unknown-type",
    ),
]


@pytest.mark.parametrize(("form", "message", "kept"), INVALID_ADDS)
def test_an_invalid_question_is_refused_with_its_values_kept(
    planner, build, stored, form, message, kept
):
    built = build()
    refused = post_form(planner, built.builder, f"{built.survey}/questions", form)

    assert refused.status_code == 422
    page = shown(refused)
    assert "There is a problem" in page
    assert message in page
    assert kept in page
    assert stored(built.survey_id).questions == ()


def test_a_new_empty_survey_is_added_and_a_title_is_needed(planner, new_consultation, run):
    from surveys import services

    consultation = new_consultation()
    builder_url = f"/staff/consultations/{consultation.id}"
    untitled = post_form(
        planner, builder_url, f"{builder_url}/surveys", {"title": "", "intro": "Hello"}
    )
    assert untitled.status_code == 422
    assert "Enter a survey title of up to 200 characters." in untitled.text
    assert run(services.surveys_of, consultation.id) == []

    added = post_form(
        planner,
        builder_url,
        f"{builder_url}/surveys",
        {"title": "Parks at night", "intro": "Five minutes.", "consent_text": "I agree."},
    )
    assert added.status_code == 303
    [survey] = run(services.surveys_of, consultation.id)
    assert (survey.title, survey.intro, survey.consent_text) == (
        "Parks at night",
        "Five minutes.",
        "I agree.",
    )
    assert "Parks at night" in planner.get(builder_url).text


# --- Editing a question -------------------------------------------------------------


def test_editing_a_question_changes_its_texts_and_answer_labels(planner, build, stored):
    built = build(question("single_choice", "Where do you feel safe?", "Home", "School"))
    before = stored(built.survey_id).questions[0]
    home, school = before.options

    saved = edit_question(
        planner,
        built.question(before.id),
        {
            "text": "Where do you feel safest?",
            "help": "Think of the last month.",
            "key": "safest_place",
            "required": "1",
            f"option-{home.id}": "At home",
            "options": "Online\n\nAt a sports club",
        },
    )

    assert saved.status_code == 303
    assert saved.headers["location"] == to_builder(built, f"question-{before.id}")
    after = stored(built.survey_id).questions[0]
    assert (after.text, after.help, after.required) == (
        "Where do you feel safest?",
        "Think of the last month.",
        True,
    )
    assert answers(after) == [
        ("At home", ""),
        ("School", ""),
        ("Online", ""),
        ("At a sports club", ""),
    ]
    # The answers already there keep their ids (conditions refer to them).
    assert [o.id for o in after.options[:2]] == [home.id, school.id]
    page = shown(planner.get(built.builder))
    assert "1. Where do you feel safest?" in page
    assert "<li>At home</li>" in page
    assert "<li>At a sports club</li>" in page
    edit_page = shown(planner.get(built.question(before.id)))
    assert 'value="safest_place"' in edit_page


def test_an_answer_is_removed_from_the_edit_form(planner, build, stored):
    built = build(question("single_choice", "Which bus?", "Line 1", "Line 2", "Line 3"))
    before = stored(built.survey_id).questions[0]
    line_2 = before.options[1]

    removed = edit_question(
        planner, built.question(before.id), {"option_action": f"remove:{line_2.id}"}
    )

    assert removed.status_code == 303
    assert removed.headers["location"] == f"{built.question(before.id)}?focus=options#options"
    after = stored(built.survey_id).questions[0]
    assert answers(after) == [("Line 1", ""), ("Line 3", "")]
    assert [o.position for o in after.options] == [1, 2]
    assert "Line 2" not in planner.get(built.question(before.id)).text


def test_answers_move_up_and_down_and_special_ones_stay_last(planner, build, stored):
    built = build(question("single_choice", "Which park?", "North", "South", "East", PREFER_NOT))
    before = stored(built.survey_id).questions[0]
    north, _south, east, _prefer_not = before.options
    url = built.question(before.id)

    down = edit_question(planner, url, {"option_action": f"down:{north.id}"})
    assert down.status_code == 303
    assert down.headers["location"] == f"{url}?focus=option-down-{north.id}#option-down-{north.id}"
    assert [label for label, _ in answers(stored(built.survey_id).questions[0])] == [
        "South",
        "North",
        "East",
        PREFER_NOT,
    ]

    assert edit_question(planner, url, {"option_action": f"up:{east.id}"}).status_code == 303
    assert edit_question(planner, url, {"option_action": f"down:{north.id}"}).status_code == 303
    after = stored(built.survey_id).questions[0]
    # The last ordinary answer moved down stays above "Prefer not to say".
    assert answers(after) == [
        ("South", ""),
        ("East", ""),
        ("North", ""),
        (PREFER_NOT, "prefer_not_to_say"),
    ]
    page = shown(planner.get(url))
    assert page.index('value="South"') < page.index('value="East"') < page.index('value="North"')


def test_special_answers_are_added_and_removed_by_their_boxes(planner, build, stored):
    built = build(question("scale", "How safe is the park?", "Unsafe", "So so", "Safe", PREFER_NOT))
    before = stored(built.survey_id).questions[0]

    saved = edit_question(
        planner, built.question(before.id), {"prefer_not_to_say": None, "dont_know": "1"}
    )

    assert saved.status_code == 303
    after = stored(built.survey_id).questions[0]
    assert answers(after) == [
        ("Unsafe", ""),
        ("So so", ""),
        ("Safe", ""),
        ("Don't know", "dont_know"),
    ]
    assert "<li>Don&#39;t know</li>" in planner.get(built.builder).text


def test_limits_of_a_number_and_of_a_multiple_choice_are_edited(planner, build, stored):
    built = build(
        question("number", "How many people live with you?"),
        question("multiple_choice", "Which services?", "Library", "Pool", "Youth club"),
    )
    number, multiple = stored(built.survey_id).questions

    saved = edit_question(
        planner,
        built.question(number.id),
        {"min_number": "1", "max_number": "20", "unit": "people"},
    )
    assert saved.status_code == 303
    saved = edit_question(
        planner, built.question(multiple.id), {"min_choices": "1", "max_choices": "2"}
    )
    assert saved.status_code == 303

    number, multiple = stored(built.survey_id).questions
    assert (number.min_number, number.max_number, number.unit) == (1, 20, "people")
    assert (multiple.min_choices, multiple.max_choices) == (1, 2)
    page = planner.get(built.question(number.id)).text
    assert 'value="people"' in page
    assert 'value="20"' in page


def test_an_edit_breaking_a_rule_is_refused_and_nothing_is_kept(planner, build, stored):
    built = build(question("multiple_choice", "Which services?", "Library", "Pool"))
    before = stored(built.survey_id).questions[0]

    refused = edit_question(
        planner,
        built.question(before.id),
        {"text": "Which services do you use?", "max_choices": "5"},
    )

    assert refused.status_code == 422
    page = shown(refused)
    assert "There is a problem" in page
    assert "This is more than there are answers." in page
    assert 'value="Which services do you use?"' in page  # what was typed is kept
    assert stored(built.survey_id).questions[0] == before


def test_an_empty_answer_label_or_a_taken_key_is_refused(planner, build, stored, run):
    from surveys import services

    built = build(
        question("single_choice", "Do you cycle?", "Yes", "No", key="cycles"),
        question("long_text", "Why?"),
    )
    first, second = stored(built.survey_id).questions

    empty = edit_question(planner, built.question(first.id), {f"option-{first.options[0].id}": ""})
    assert empty.status_code == 422
    assert "Enter an answer of up to 300 characters." in empty.text

    taken = edit_question(planner, built.question(second.id), {"key": "cycles"})
    assert taken.status_code == 422
    assert "Another question already uses the key ‘cycles’." in shown(taken)

    assert stored(built.survey_id).questions == (first, second)
    assert run(services.question_keys, built.survey_id)[second.id] != "cycles"


def test_an_answer_label_used_twice_is_refused(planner, build, stored):
    built = build(question("single_choice", "Do you cycle?", "Yes", "No"))
    before = stored(built.survey_id).questions[0]

    refused = edit_question(planner, built.question(before.id), {"options": "Sometimes\nYes"})

    assert refused.status_code == 422
    assert "Two answers have the same label ‘Yes’." in shown(refused)
    assert stored(built.survey_id).questions[0] == before


def test_a_cleared_variable_name_is_made_from_the_position(planner, build, stored, run):
    """An empty key gets one made from the question's position, like q7 (see
    QuestionInput.key), so the second question becomes q2."""
    from surveys import services

    built = build(question("long_text", "First"), question("long_text", "Second", key="second"))
    second = stored(built.survey_id).questions[1]

    saved = edit_question(planner, built.question(second.id), {"key": ""})

    assert saved.status_code == 303
    assert run(services.question_keys, built.survey_id)[second.id] == "q2"
    assert 'value="q2"' in planner.get(built.question(second.id)).text


def test_an_answer_of_another_question_is_not_touched_from_this_form(planner, build, stored):
    built = build(
        question("single_choice", "Do you cycle?", "Yes", "No"),
        question("single_choice", "Do you walk?", "Yes", "No"),
    )
    cycle, walk = stored(built.survey_id).questions

    sent = edit_question(
        planner, built.question(cycle.id), {"option_action": f"remove:{walk.options[0].id}"}
    )

    assert sent.status_code == 303
    assert stored(built.survey_id).questions == (cycle, walk)


# --- Moving, duplicating and deleting questions -------------------------------------


def test_questions_move_up_and_down(planner, build, stored):
    built = build(
        question("long_text", "First question"),
        question("long_text", "Second question"),
        question("long_text", "Third question"),
    )
    first, _second, third = stored(built.survey_id).questions

    down = post_form(
        planner, built.builder, f"{built.question(first.id)}/move", {"direction": "down"}
    )
    assert down.status_code == 303
    assert down.headers["location"] == to_builder(built, f"move-down-{first.id}")
    assert texts(stored(built.survey_id)) == ["Second question", "First question", "Third question"]

    up = post_form(planner, built.builder, f"{built.question(third.id)}/move", {"direction": "up"})
    assert up.status_code == 303
    after = stored(built.survey_id)
    assert texts(after) == ["Second question", "Third question", "First question"]
    assert [q.position for q in after.questions] == [1, 2, 3]
    page = planner.get(built.builder).text
    assert "1. Second question" in page
    assert "3. First question" in page


def test_a_duplicate_comes_right_after_with_its_answers(planner, build, stored):
    built = build(
        question("multiple_choice", "Where?", "Online", "Street", PREFER_NOT, max_choices=2),
        question("long_text", "What happened?"),
    )
    original, _after = stored(built.survey_id).questions

    copied = post_form(planner, built.builder, f"{built.question(original.id)}/duplicate", {})

    assert copied.status_code == 303
    spec = stored(built.survey_id)
    assert texts(spec) == ["Where?", "Where?", "What happened?"]
    copy = spec.questions[1]
    assert copied.headers["location"] == to_builder(built, f"question-{copy.id}")
    assert copy.id != original.id
    assert answers(copy) == answers(original)
    assert not {o.id for o in copy.options} & {o.id for o in original.options}
    assert (copy.type, copy.max_choices) == ("multiple_choice", 2)
    page = planner.get(built.builder).text
    assert "1. Where?" in page
    assert "2. Where?" in page
    assert "3. What happened?" in page


def test_a_question_is_deleted_and_the_rest_renumbered(planner, build, stored):
    built = build(
        question("single_choice", "Keep me", "Yes", "No"),
        question("single_choice", "Delete me", "Yes", "No"),
        question("long_text", "Keep me too"),
    )
    doomed = stored(built.survey_id).questions[1]

    deleted = post_form(planner, built.builder, f"{built.question(doomed.id)}/delete", {})

    assert deleted.status_code == 303
    assert deleted.headers["location"] == to_builder(built, f"survey-{built.survey_id}")
    after = stored(built.survey_id)
    assert texts(after) == ["Keep me", "Keep me too"]
    assert [q.position for q in after.questions] == [1, 2]
    page = planner.get(built.builder).text
    assert "Delete me" not in page
    assert "2. Keep me too" in page


# --- Display conditions -------------------------------------------------------------


def conditioned(build, stored, run):
    """A survey where question 2 shows only after "Yes" or "Not sure" to question 1."""
    built = build(
        question("single_choice", "Have you seen hate speech?", "Yes", "No", "Not sure"),
        question("long_text", "Tell us what happened"),
        question("long_text", "Anything else?"),
    )
    give_condition(run, stored(built.survey_id), 1, 0, "Yes", "Not sure")
    return built, stored(built.survey_id)


def test_a_condition_is_set_on_an_earlier_choice_question_and_removed(planner, build, stored):
    built = build(
        question("single_choice", "Have you seen hate speech?", "Yes", "No", "Not sure"),
        question("long_text", "Tell us what happened"),
    )
    source, target = stored(built.survey_id).questions
    yes, no, unsure = source.options
    edit_url = built.question(target.id)
    form = shown(planner.get(edit_url))
    assert "Have you seen hate speech?" in form  # offered as what the condition rests on

    set_ = post_form(
        planner,
        edit_url,
        f"{edit_url}/condition",
        {"operator": "any_of", "option": [str(yes.id), str(unsure.id)]},
    )

    assert set_.status_code == 303
    assert set_.headers["location"] == to_builder(built, f"question-{target.id}")
    condition = stored(built.survey_id).questions[1].condition
    assert condition.source_question_id == source.id
    assert condition.operator.value == "any_of"
    assert condition.option_ids == {yes.id, unsure.id}
    note = "Shown only if the answer to ‘Have you seen hate speech?’ is any of ‘Yes’, ‘Not sure’"
    assert note in shown(planner.get(built.builder))

    not_no = post_form(
        planner, edit_url, f"{edit_url}/condition", {"operator": "not", "option": str(no.id)}
    )
    assert not_no.status_code == 303
    condition = stored(built.survey_id).questions[1].condition
    assert (condition.operator.value, condition.option_ids) == ("not", {no.id})
    assert "is not ‘No’" in shown(planner.get(built.builder))

    removed = post_form(planner, edit_url, f"{edit_url}/condition", {"remove": "1"})
    assert removed.status_code == 303
    assert stored(built.survey_id).questions[1].condition is None
    assert "Shown only if" not in shown(planner.get(built.builder))


def test_one_answer_ticked_is_stored_as_equals(planner, build, stored):
    built = build(
        question("scale", "How safe is the park?", "Unsafe", "So so", "Safe"),
        question("long_text", "Why unsafe?"),
    )
    source, target = stored(built.survey_id).questions
    edit_url = built.question(target.id)

    set_ = post_form(
        planner,
        edit_url,
        f"{edit_url}/condition",
        {"operator": "any_of", "option": str(source.options[0].id)},
    )

    assert set_.status_code == 303
    condition = stored(built.survey_id).questions[1].condition
    assert (condition.operator.value, condition.option_ids) == ("equals", {source.options[0].id})
    assert "Shown only if the answer to ‘How safe is the park?’ is ‘Unsafe’" in shown(
        planner.get(built.builder)
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        pytest.param(
            {"operator": "any_of"},
            "Choose one or more answers of one earlier question.",
            id="no-answer",
        ),
        pytest.param(
            {"operator": "any_of", "option": "999999"},
            "Choose one or more answers of one earlier question.",
            id="an-answer-of-no-earlier-question",
        ),
        pytest.param(
            {"operator": "sometimes", "option": "FIRST"},
            "Choose whether the answer must be, be any of, or not be the answers.",
            id="unknown-operator",
        ),
        pytest.param(
            {"operator": "any_of", "option": "FIRST", "whole_page": "1"},
            "Only a question that begins a page of a grouped survey can hide its page.",
            id="whole-page-of-a-one-question-page",
        ),
    ],
)
def test_a_bad_condition_is_refused_and_none_is_stored(planner, build, stored, form, message):
    built = build(
        question("single_choice", "Do you walk to school?", "Yes", "No"),
        question("long_text", "Which way?"),
    )
    source, target = stored(built.survey_id).questions
    edit_url = built.question(target.id)
    data = {k: str(source.options[0].id) if v == "FIRST" else v for k, v in form.items()}

    refused = post_form(planner, edit_url, f"{edit_url}/condition", data)

    assert refused.status_code == 422
    assert message in shown(refused)
    assert stored(built.survey_id).questions[1].condition is None


def test_a_condition_cannot_rest_on_a_later_question(planner, build, stored):
    built = build(
        question("long_text", "Tell us what happened"),
        question("single_choice", "Have you seen hate speech?", "Yes", "No"),
    )
    first, later = stored(built.survey_id).questions
    edit_url = built.question(first.id)
    assert "There is none before this question." in planner.get(edit_url).text

    refused = post_form(
        planner,
        edit_url,
        f"{edit_url}/condition",
        {"operator": "any_of", "option": str(later.options[0].id)},
    )

    assert refused.status_code == 422
    assert stored(built.survey_id).questions[0].condition is None


@pytest.mark.parametrize(
    ("index", "direction"),
    [pytest.param(1, "up", id="dependent-up"), pytest.param(0, "down", id="source-down")],
)
def test_a_move_above_the_question_a_condition_rests_on_is_refused(
    planner, build, stored, run, index, direction
):
    built, before = conditioned(build, stored, run)
    moved = before.questions[index]

    refused = post_form(
        planner, built.builder, f"{built.question(moved.id)}/move", {"direction": direction}
    )

    assert refused.status_code == 422
    page = shown(refused)
    assert "There is a problem" in page
    assert f"Tell us what happened: {NOT_EARLIER}" in page
    assert stored(built.survey_id).questions == before.questions


def test_deleting_the_question_a_condition_rests_on_is_refused(planner, build, stored, run):
    built, before = conditioned(build, stored, run)
    source = before.questions[0]

    refused = post_form(planner, built.builder, f"{built.question(source.id)}/delete", {})

    assert refused.status_code == 422
    assert f"Tell us what happened: {SOURCE_OF_A_CONDITION}" in shown(refused)
    assert stored(built.survey_id).questions == before.questions


def test_removing_an_answer_a_condition_uses_is_refused(planner, build, stored, run):
    built, before = conditioned(build, stored, run)
    source = before.questions[0]
    yes = source.options[0]

    refused = edit_question(
        planner, built.question(source.id), {"option_action": f"remove:{yes.id}"}
    )

    assert refused.status_code == 422
    assert OPTION_IN_A_CONDITION in shown(refused)
    assert stored(built.survey_id).questions == before.questions


def test_a_question_with_a_condition_is_duplicated_with_it(planner, build, stored, run):
    built, before = conditioned(build, stored, run)
    dependent = before.questions[1]

    copied = post_form(planner, built.builder, f"{built.question(dependent.id)}/duplicate", {})

    assert copied.status_code == 303
    after = stored(built.survey_id)
    assert texts(after) == [
        "Have you seen hate speech?",
        "Tell us what happened",
        "Tell us what happened",
        "Anything else?",
    ]
    assert after.questions[2].condition == dependent.condition


def test_switching_to_grouped_pages_cannot_put_a_condition_on_its_own_page(
    planner, build, stored, run
):
    """A grouped survey with no page marked is one page: the condition of question 2
    would then rest on a question of the same page, which the format refuses."""
    built, before = conditioned(build, stored, run)

    from surveys.definition import InvalidDefinition, read_definition

    answer = post_form(
        planner,
        built.builder,
        f"{built.survey}/settings",
        {"title": "Safety survey", "intro": "", "consent_text": "", "layout": "grouped"},
    )

    # Whatever the builder did, the survey still keeps the rules: its own export
    # can be imported again (the builder promises it cannot make a survey the
    # format refuses).
    exported = planner.get(f"{built.survey}/definition.json")
    assert exported.status_code == 200
    try:
        read_definition(exported.content)
        broken: list[str] = []
    except InvalidDefinition as invalid:
        broken = [f"{p.place}: {p.message}" for p in invalid.problems]
    assert broken == [], f"settings answered {answer.status_code}; the survey now breaks {broken}"
    if answer.status_code == 422:
        assert "The question a condition rests on must be on an earlier page." in shown(answer)
        assert stored(built.survey_id).one_question_per_page == before.one_question_per_page


# --- Survey settings ----------------------------------------------------------------


def test_survey_settings_are_saved_and_a_new_consent_text_is_a_new_version(planner, build, stored):
    built = build(question("long_text", "What would help?"))
    settings_url = f"{built.survey}/settings"
    base = {"title": "Parks", "intro": "Hello.", "consent_text": "I agree.", "layout": "grouped"}

    assert post_form(planner, built.builder, settings_url, base).status_code == 303
    spec = stored(built.survey_id)
    assert (spec.title, spec.intro, spec.consent_text) == ("Parks", "Hello.", "I agree.")
    assert spec.one_question_per_page is False
    assert spec.consent_version == 2  # the consent text changed from ""

    base["title"] = "Parks at night"
    same = post_form(planner, built.builder, settings_url, base)
    assert same.status_code == 303
    assert stored(built.survey_id).consent_version == 2  # the same consent text
    changed = post_form(
        planner, built.builder, settings_url, {**base, "consent_text": "I agree to this."}
    )
    assert changed.status_code == 303
    assert stored(built.survey_id).consent_version == 3

    untitled = post_form(planner, built.builder, settings_url, {**base, "title": ""})
    assert untitled.status_code == 422
    assert "Enter a survey title of up to 200 characters." in untitled.text
    assert stored(built.survey_id).title == "Parks at night"
    assert "Parks at night" in planner.get(built.builder).text


# --- Answered surveys and new versions ----------------------------------------------


@pytest.fixture(scope="module")
def answered(planner, build, stored, run):
    """An open consultation whose survey (with a condition) one resident answered."""
    built = build(
        question("single_choice", "Do you feel safe?", "Yes", "No"),
        question("long_text", "Why not?"),
        status="open",
    )
    give_condition(run, stored(built.survey_id), 1, 0, "No")
    spec = stored(built.survey_id)
    first = spec.questions[0]
    sent = send_survey(planner, built.submit_url, {first.field_name: str(first.options[0].id)})
    assert sent.status_code == 303
    return built, spec


def _locked_action(built: Built, spec) -> dict[str, tuple[str, str, dict[str, Any]]]:
    first, second = spec.questions
    return {
        "add": (built.builder, f"{built.survey}/questions", {"type": "long_text", "text": "Late"}),
        "edit": (
            built.question(second.id),
            built.question(second.id),
            {"text": "Changed", "key": "q2"},
        ),
        "move": (built.builder, f"{built.question(second.id)}/move", {"direction": "up"}),
        "duplicate": (built.builder, f"{built.question(first.id)}/duplicate", {}),
        "delete": (built.builder, f"{built.question(second.id)}/delete", {}),
        "condition": (
            built.question(second.id),
            f"{built.question(second.id)}/condition",
            {"remove": "1"},
        ),
        "bank": (built.builder, f"{built.survey}/bank", {"key": "age_band"}),
    }


@pytest.mark.parametrize(
    "action", ["add", "edit", "move", "duplicate", "delete", "condition", "bank"]
)
def test_questions_of_an_answered_survey_cannot_change(planner, answered, stored, action):
    built, before = answered
    page, target, data = _locked_action(built, before)[action]

    refused = post_form(planner, page, target, data)

    assert refused.status_code == 409
    text = shown(refused)
    assert "There is a problem" in text
    # The builder adds how to go on; the question's own page says it is locked.
    assert (NEW_VERSION_HINT if page == built.builder else LOCKED) in text
    assert stored(built.survey_id).questions == before.questions


def test_the_builder_says_an_answered_survey_is_locked(planner, answered):
    built, spec = answered
    page = shown(planner.get(built.builder))
    assert LOCKED in page
    assert "Create a new version to change it" in page
    assert "Add a question" not in page
    assert f"{built.question(spec.questions[0].id)}/delete" not in page


def test_a_new_version_is_an_editable_copy_and_the_old_one_is_retired(planner, build, stored, run):
    from surveys import services

    built = build(
        question("single_choice", "Do you feel safe?", "Yes", "No", PREFER_NOT),
        question("long_text", "Why not?"),
        status="open",
    )
    give_condition(run, stored(built.survey_id), 1, 0, "No")
    old = stored(built.survey_id)
    first = old.questions[0]
    assert (
        send_survey(
            planner, built.submit_url, {first.field_name: str(first.options[0].id)}
        ).status_code
        == 303
    )
    landing = planner.get(f"/c/{built.slug}").text
    assert f'href="/c/{built.slug}/surveys/{old.id}"' in landing

    made = post_form(planner, built.builder, f"{built.survey}/version", {})

    assert made.status_code == 303
    old_row, new_row = run(services.surveys_of, built.consultation_id)
    assert old_row.id == old.id
    assert made.headers["location"] == to_builder(built, f"survey-{new_row.id}")
    assert (old_row.retired, new_row.retired) == (True, False)
    new = stored(new_row.id)
    assert (new.version, new.title) == (2, old.title)
    assert shape(new) == shape(old)
    assert not run(services.has_answers, new.id)

    page = shown(planner.get(built.builder))
    assert "version 2" in page
    assert "replaced by a newer version" in page
    landing = planner.get(f"/c/{built.slug}").text
    assert f'href="/c/{built.slug}/surveys/{new.id}"' in landing
    assert f'href="/c/{built.slug}/surveys/{old.id}"' not in landing

    new_version = Built(built.consultation_id, built.slug, new.id)
    added = post_form(
        planner,
        built.builder,
        f"{new_version.survey}/questions",
        {"type": "long_text", "text": "Anything else?"},
    )
    assert added.status_code == 303
    assert texts(stored(new.id)) == ["Do you feel safe?", "Why not?", "Anything else?"]
    assert texts(stored(old.id)) == ["Do you feel safe?", "Why not?"]


def test_a_second_new_version_of_the_same_survey_makes_no_second_copy(planner, build, stored, run):
    """Two presses of "Create a new version" (a double click, two planners) leave
    one current version, not two surveys both called version 2."""
    from surveys import services

    built = build(question("long_text", "What would help?"), status="open")
    first_question = stored(built.survey_id).questions[0]
    sent = send_survey(planner, built.submit_url, {first_question.field_name: "Lights"})
    assert sent.status_code == 303
    first = post_form(planner, built.builder, f"{built.survey}/version", {})
    second = post_form(planner, built.builder, f"{built.survey}/version", {})

    assert first.status_code == 303
    assert second.status_code in (303, 409, 422)
    surveys = run(services.surveys_of, built.consultation_id)
    current = [(s.version, s.title) for s in surveys if not s.retired]
    assert current == [(2, "Safety survey")]
    landing = planner.get(f"/c/{built.slug}").text
    assert landing.count('class="button button-start"') == 1


# --- Templates, the question bank, definitions --------------------------------------


def test_every_shipped_template_is_offered(planner, new_consultation):
    from surveys import instruments

    assert sorted(t.slug for t in instruments.templates()) == TEMPLATE_SLUGS
    assert TEMPLATE_SLUGS
    consultation = new_consultation()
    page = shown(planner.get(f"/staff/consultations/{consultation.id}"))
    for template in instruments.templates():
        assert f'value="{template.slug}"' in page
        assert template.definition.title in page


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_a_template_makes_a_survey_with_its_questions_and_conditions(
    planner, new_consultation, stored, run, slug
):
    from surveys import instruments, services

    definition = instruments.template(slug)
    consultation = new_consultation()
    builder_url = f"/staff/consultations/{consultation.id}"

    made = post_form(planner, builder_url, f"{builder_url}/surveys/template", {"template": slug})

    assert made.status_code == 303
    [survey] = run(services.surveys_of, consultation.id)
    assert made.headers["location"] == f"{builder_url}?focus=survey-{survey.id}#survey-{survey.id}"
    spec = stored(survey.id)
    assert spec.title == definition.title
    assert shape(spec) == definition_shape(definition)
    conditions = sum(1 for q in definition.questions if q.show_if is not None)
    assert sum(1 for q in spec.questions if q.condition is not None) == conditions
    page = shown(planner.get(builder_url))
    for question_definition in definition.questions:
        assert question_definition.text in page
    assert page.count('class="condition-note"') == conditions


def test_an_unknown_template_is_refused(planner, new_consultation, run):
    from surveys import services

    consultation = new_consultation()
    builder_url = f"/staff/consultations/{consultation.id}"
    refused = post_form(
        planner, builder_url, f"{builder_url}/surveys/template", {"template": "../../etc/passwd"}
    )
    assert refused.status_code == 422
    assert "Choose a template." in refused.text
    assert run(services.surveys_of, consultation.id) == []


def test_demographic_questions_are_added_optional_with_prefer_not_to_say(
    planner, build, stored, run
):
    from surveys import instruments, services

    built = build(question("long_text", "What would help?"))
    bank = {q.key: q for q in instruments.question_bank().questions}

    added = post_form(
        planner, built.builder, f"{built.survey}/bank", {"key": ["age_band", "home_languages"]}
    )

    assert added.status_code == 303
    spec = stored(built.survey_id)
    assert texts(spec) == [
        "What would help?",
        bank["age_band"].text,
        bank["home_languages"].text,
    ]
    for added_question in spec.questions[1:]:
        assert added_question.required is False
        assert (PREFER_NOT, "prefer_not_to_say") in answers(added_question)
    keys = run(services.question_keys, built.survey_id)
    assert [keys[q.id] for q in spec.questions[1:]] == ["age_band", "home_languages"]
    assert [label for label, _ in answers(spec.questions[1])] == [
        o.label for o in bank["age_band"].options
    ]
    page = shown(planner.get(built.builder))
    assert f"2. {bank['age_band'].text}" in page
    assert f"3. {bank['home_languages'].text}" in page


@pytest.mark.parametrize(
    "form",
    [pytest.param({}, id="no-box-ticked"), pytest.param({"key": "shoe_size"}, id="unknown-key")],
)
def test_choosing_no_demographic_question_is_refused(planner, build, stored, form):
    built = build(question("long_text", "What would help?"))
    refused = post_form(planner, built.builder, f"{built.survey}/bank", form)
    assert refused.status_code == 422
    assert "Choose at least one question to add." in refused.text
    assert texts(stored(built.survey_id)) == ["What would help?"]


def test_a_definition_exported_and_imported_elsewhere_is_the_same_survey(
    planner, build, new_consultation, stored, run
):
    from surveys import services

    built = build(
        question(
            "single_choice", "Have you seen hate speech?", "Yes", "No", PREFER_NOT, required=True
        ),
        question(
            "multiple_choice",
            "Where?",
            "Online",
            "Street",
            min_choices=1,
            max_choices=2,
            starts_page=True,
        ),
        question(
            "matrix",
            "How safe are these places?",
            "Safe",
            "Unsafe",
            statements=["The park", "The bus stop"],
        ),
        question("ranking", "What first?", "Light", "Clubs", "Patrols", starts_page=True),
        question("number", "How often?", min_number=0, max_number=99, unit="times"),
        question("long_text", "Tell us more", help="Optional.", starts_page=True),
        grouped=True,
    )
    give_condition(run, stored(built.survey_id), 1, 0, "Yes")
    give_condition(run, stored(built.survey_id), 5, 0, "Yes", PREFER_NOT, whole_page=True)
    source = stored(built.survey_id)

    exported = planner.get(f"{built.survey}/definition.json")

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/json")
    assert exported.headers["content-disposition"] == (
        f'attachment; filename="survey-{built.survey_id}-v1.json"'
    )
    assert json.loads(exported.content)["questions"][1]["show_if"]["options"] == ["Yes"]

    other = new_consultation()
    other_url = f"/staff/consultations/{other.id}"
    imported = planner.post(
        f"{other_url}/surveys/import",
        data={"_csrf_token": csrf_token(planner.get(other_url).text)},
        files={"definition": ("survey.json", exported.content, "application/json")},
        follow_redirects=False,
    )

    assert imported.status_code == 303
    [survey] = run(services.surveys_of, other.id)
    assert (
        imported.headers["location"] == f"{other_url}?focus=survey-{survey.id}#survey-{survey.id}"
    )
    copy = stored(survey.id)
    assert (copy.title, copy.one_question_per_page) == (source.title, False)
    assert shape(copy) == shape(source)
    assert run(services.question_keys, survey.id) != {}
    page = shown(planner.get(other_url))
    assert "Shown only if the answer to ‘Have you seen hate speech?’ is ‘Yes’" in page


def _definition(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"schema": "consult-survey/1", "title": "Imported survey", "questions": list(questions)}


_SEEN = {
    "key": "seen",
    "type": "single_choice",
    "text": "Have you seen it?",
    "options": [{"label": "Yes"}, {"label": "No"}],
}
_WHY = {"key": "why", "type": "long_text", "text": "Why?"}

BAD_FILES = [
    pytest.param(b"{this is not json", "The file is not valid JSON", id="not-json"),
    pytest.param(
        json.dumps(_definition(_SEEN, {**_WHY, "type": "essay"})).encode(),
        "questions[1].type",
        id="unknown-type",
    ),
    pytest.param(
        json.dumps(
            _definition(
                {**_WHY, "show_if": {"question": "seen", "operator": "equals", "options": ["Yes"]}},
                _SEEN,
            )
        ).encode(),
        f"questions[0].show_if.question</code>: {NOT_EARLIER}",
        id="condition-on-a-later-question",
    ),
    pytest.param(
        json.dumps(_definition(_SEEN, {**_WHY, "help": "x" * 1_000_100})).encode(),
        "The file is larger than 1,000 kB.",
        id="too-large",
    ),
    pytest.param(
        json.dumps(_definition({**_SEEN, "options": [{"label": "Yes"}]})).encode(),
        "questions[0].options</code>: Give at least 2 answers to choose from.",
        id="one-option",
    ),
    pytest.param(
        json.dumps(_definition({**_SEEN, "text": ""}, _WHY)).encode(),
        "questions[0].text",
        id="empty-text",
    ),
    pytest.param(b"", "Choose a survey definition file (.json).", id="empty-file"),
]


@pytest.mark.parametrize(("body", "named"), BAD_FILES)
def test_a_bad_definition_file_is_refused_and_no_survey_is_stored(
    planner, new_consultation, run, body, named
):
    from surveys import services

    consultation = new_consultation()
    builder_url = f"/staff/consultations/{consultation.id}"

    refused = planner.post(
        f"{builder_url}/surveys/import",
        data={"_csrf_token": csrf_token(planner.get(builder_url).text)},
        files={"definition": ("survey.json", body, "application/json")},
        follow_redirects=False,
    )

    assert refused.status_code == 422
    page = shown(refused)
    assert "There is a problem" in page
    assert named in page
    assert run(services.surveys_of, consultation.id) == []


# --- Preview ------------------------------------------------------------------------


def test_the_preview_shows_every_question_of_every_page_and_the_conditions(
    planner, build, stored, run
):
    built = build(
        question("single_choice", "Have you seen hate speech?", "Yes", "No"),
        question("scale", "How safe is the park?", "Unsafe", "So so", "Safe"),
        question("long_text", "Tell us what happened", starts_page=True),
        question("number", "How many times?", unit="times"),
        question("long_text", "Anything else?", starts_page=True),
        grouped=True,
    )
    give_condition(run, stored(built.survey_id), 2, 0, "Yes", whole_page=True)
    spec = stored(built.survey_id)

    preview = planner.get(f"{built.survey}/preview")

    assert preview.status_code == 200
    page = shown(preview)
    assert "Preview: Safety survey" in page
    for number in (1, 2, 3):
        assert f"Page {number}" in page
    assert "Page 4" not in page
    for text in texts(spec):
        assert text in page
    for label in ("Yes", "No", "Unsafe", "So so", "Safe", "times"):
        assert label in page
    assert "Shown only if the answer to ‘Have you seen hate speech?’ is ‘Yes’" in page
    assert "(hides the whole page)" in page
    # Page by page, in order.
    assert page.index("Page 1") < page.index("How safe is the park?") < page.index("Page 2")
    assert page.index("Page 2") < page.index("How many times?") < page.index("Page 3")


# --- Respondent safety --------------------------------------------------------------


def test_a_sensitive_consultation_shows_the_quick_exit(planner, new_consultation, run):
    from consult.services import consultations

    consultation = new_consultation("open")
    builder_url = f"/staff/consultations/{consultation.id}"
    assert "Exit this page" not in planner.get(f"/c/{consultation.slug}").text

    saved = post_form(
        planner,
        builder_url,
        f"{builder_url}/safety",
        {"sensitive": "1", "exit_url": "https://weather.example.org/today"},
    )

    assert saved.status_code == 303
    assert saved.headers["location"] == f"{builder_url}?focus=safety#safety"
    row = run(consultations.by_id, consultation.id)
    assert (row.is_sensitive, row.exit_url) == (True, "https://weather.example.org/today")
    public = planner.get(f"/c/{consultation.slug}").text
    assert "Exit this page" in public
    assert f'href="/c/{consultation.slug}/exit"' in public
    assert 'value="https://weather.example.org/today"' in planner.get(builder_url).text


@pytest.mark.parametrize(
    "exit_url",
    ["javascript:alert(1)", "www.bbc.co.uk/weather", "https://", ""],
    ids=["javascript", "no-scheme", "no-host", "empty"],
)
def test_a_bad_exit_address_is_refused_and_nothing_is_saved(
    planner, new_consultation, run, exit_url
):
    from consult.services import consultations
    from consult.tables import DEFAULT_EXIT_URL

    consultation = new_consultation("open")
    builder_url = f"/staff/consultations/{consultation.id}"

    refused = post_form(
        planner, builder_url, f"{builder_url}/safety", {"sensitive": "1", "exit_url": exit_url}
    )

    assert refused.status_code == 422
    page = shown(refused)
    assert "There is a problem" in page
    assert BAD_EXIT_URL in page
    assert f'value="{exit_url}"' in page
    row = run(consultations.by_id, consultation.id)
    assert (row.is_sensitive, row.exit_url) == (False, DEFAULT_EXIT_URL)
    assert "Exit this page" not in planner.get(f"/c/{consultation.slug}").text


# --- Who may do what, and to which survey -------------------------------------------


@pytest.fixture(scope="module")
def two_consultations(build, stored, run):
    """Consultation A with two surveys, and consultation B with one; a question each."""
    from surveys import builder

    a = build(question("single_choice", "A's question", "Yes", "No"))
    second = run(builder.create_survey, a.consultation_id, "A's second survey")
    run(
        builder.add_question,
        second.id,
        builder.QuestionInput(
            type="single_choice",
            text="Second survey's question",
            options=(builder.NewOption("Yes"), builder.NewOption("No")),
        ),
    )
    b = build(question("single_choice", "B's question", "Yes", "No"))
    return a, Built(a.consultation_id, a.slug, second.id), b


def _snapshot(stored, *built: Built) -> list[Any]:
    return [stored(b.survey_id) for b in built]


def route_ids(routes: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{method} {rest or '/'}" for method, rest, _data in routes]


SURVEY_ROUTES = [
    ("GET", "/preview", None),
    ("GET", "/definition.json", None),
    ("POST", "/settings", {"title": "Taken over", "layout": "one"}),
    ("POST", "/questions", {"type": "long_text", "text": "Planted"}),
    ("POST", "/bank", {"key": "age_band"}),
    ("POST", "/version", {}),
    ("GET", "/questions/QID", None),
    ("POST", "/questions/QID", {"text": "Taken over"}),
    ("POST", "/questions/QID/move", {"direction": "down"}),
    ("POST", "/questions/QID/duplicate", {}),
    ("POST", "/questions/QID/delete", {}),
    ("POST", "/questions/QID/condition", {"remove": "1"}),
]


@pytest.mark.parametrize(("method", "rest", "data"), SURVEY_ROUTES, ids=route_ids(SURVEY_ROUTES))
def test_a_survey_of_another_consultation_is_not_found(
    planner, two_consultations, stored, run, method, rest, data
):
    from surveys import services

    a, a_second, b = two_consultations
    before = _snapshot(stored, a, a_second, b)
    b_question = before[2].questions[0]
    url = f"{a.builder}/surveys/{b.survey_id}{rest.replace('QID', str(b_question.id))}"

    if method == "GET":
        answer = planner.get(url, follow_redirects=False)
    else:
        answer = post_form(planner, a.builder, url, data)

    assert answer.status_code == 404
    assert "Page not found" in answer.text
    assert _snapshot(stored, a, a_second, b) == before
    assert len(run(services.surveys_of, a.consultation_id)) == 2
    assert len(run(services.surveys_of, b.consultation_id)) == 1


QUESTION_ROUTES = [
    ("GET", "", None),
    ("POST", "", {"text": "Taken over"}),
    ("POST", "/move", {"direction": "up"}),
    ("POST", "/duplicate", {}),
    ("POST", "/delete", {}),
    ("POST", "/condition", {"remove": "1"}),
]


@pytest.mark.parametrize(
    ("method", "rest", "data"), QUESTION_ROUTES, ids=route_ids(QUESTION_ROUTES)
)
def test_a_question_of_another_survey_is_not_found(
    planner, two_consultations, stored, method, rest, data
):
    a, a_second, b = two_consultations
    before = _snapshot(stored, a, a_second, b)
    other_question = before[1].questions[0]  # of A's second survey
    url = f"{a.question(other_question.id)}{rest}"  # ... named under A's first survey

    if method == "GET":
        answer = planner.get(url, follow_redirects=False)
    else:
        answer = post_form(planner, a.builder, url, data)

    assert answer.status_code == 404
    assert _snapshot(stored, a, a_second, b) == before


def test_a_consultation_that_does_not_exist_is_not_found(planner):
    assert planner.get("/staff/consultations/999999").status_code == 404
    answer = post_form(
        planner, "/staff", "/staff/consultations/999999/surveys", {"title": "Nowhere"}
    )
    assert answer.status_code == 404


BUILDER_ROUTES = [
    ("GET", "", None),
    ("GET", "/surveys/SID/preview", None),
    ("GET", "/surveys/SID/definition.json", None),
    ("GET", "/surveys/SID/questions/QID", None),
    ("POST", "/safety", {"sensitive": "1", "exit_url": "https://weather.example.org"}),
    ("POST", "/surveys", {"title": "A facilitator's survey"}),
    ("POST", "/surveys/template", {"template": TEMPLATE_SLUGS[0]}),
    ("POST", "/surveys/SID/settings", {"title": "Renamed", "layout": "one"}),
    ("POST", "/surveys/SID/version", {}),
    ("POST", "/surveys/SID/questions", {"type": "long_text", "text": "Planted"}),
    ("POST", "/surveys/SID/bank", {"key": "age_band"}),
    ("POST", "/surveys/SID/questions/QID", {"text": "Renamed"}),
    ("POST", "/surveys/SID/questions/QID/move", {"direction": "down"}),
    ("POST", "/surveys/SID/questions/QID/duplicate", {}),
    ("POST", "/surveys/SID/questions/QID/delete", {}),
    ("POST", "/surveys/SID/questions/QID/condition", {"remove": "1"}),
]


def _route(built: Built, spec, rest: str) -> str:
    return built.builder + rest.replace("SID", str(built.survey_id)).replace(
        "QID", str(spec.questions[0].id)
    )


@pytest.mark.parametrize(("method", "rest", "data"), BUILDER_ROUTES, ids=route_ids(BUILDER_ROUTES))
def test_a_facilitator_cannot_use_the_builder(
    planner, make_staff, two_consultations, stored, run, method, rest, data
):
    from consult.services import consultations
    from surveys import services

    a, _second, _b = two_consultations
    before = stored(a.survey_id)
    username = f"fay.{next(FACILITATORS)}"
    make_staff(username, "facilitator")

    with signed_out(planner) as client:
        assert sign_in(client, username).status_code == 303
        url = _route(a, before, rest)
        if method == "GET":
            answer = client.get(url, follow_redirects=False)
        else:
            token = csrf_token(client.get("/staff/login").text)
            answer = client.post(url, data={"_csrf_token": token, **data}, follow_redirects=False)

    assert answer.status_code == 403
    assert "You cannot see this page" in answer.text
    assert stored(a.survey_id) == before
    assert len(run(services.surveys_of, a.consultation_id)) == 2
    assert run(consultations.by_id, a.consultation_id).is_sensitive is False


@pytest.mark.parametrize(
    "rest",
    [rest for method, rest, _data in BUILDER_ROUTES if method == "GET"],
    ids=lambda rest: rest or "/",
)
def test_anonymous_visitors_are_sent_to_sign_in(planner, two_consultations, stored, rest):
    a, _second, _b = two_consultations
    url = _route(a, stored(a.survey_id), rest)
    with signed_out(planner) as client:
        answer = client.get(url, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/login")


def test_an_anonymous_post_changes_nothing(planner, two_consultations, stored):
    a, _second, _b = two_consultations
    before = stored(a.survey_id)
    with signed_out(planner) as client:
        token = csrf_token(client.get("/staff/login").text)
        answer = client.post(
            f"{a.question(before.questions[0].id)}/delete",
            data={"_csrf_token": token},
            follow_redirects=False,
        )
    assert answer.status_code == 401
    assert stored(a.survey_id) == before


@pytest.mark.parametrize(
    ("rest", "data"),
    [
        pytest.param(
            "/surveys/SID/questions", {"type": "long_text", "text": "Without a token"}, id="add"
        ),
        pytest.param("/surveys/SID/questions/QID/delete", {}, id="delete"),
        pytest.param(
            "/surveys/SID/settings", {"title": "Without a token", "layout": "one"}, id="settings"
        ),
        pytest.param(
            "/safety", {"sensitive": "1", "exit_url": "https://weather.example.org"}, id="safety"
        ),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(
    planner, two_consultations, stored, run, rest, data
):
    from consult.services import consultations

    a, _second, _b = two_consultations
    before = stored(a.survey_id)

    answer = planner.post(_route(a, before, rest), data=data, follow_redirects=False)

    assert answer.status_code == 403
    assert stored(a.survey_id) == before
    assert run(consultations.by_id, a.consultation_id).is_sensitive is False


# --- Hostile input ------------------------------------------------------------------


def test_markup_typed_into_a_question_is_stored_as_typed_and_shown_escaped(planner, build, stored):
    built = build()
    added = post_form(
        planner,
        built.builder,
        f"{built.survey}/questions",
        {"type": "single_choice", "text": HOSTILE, "options": f"{HOSTILE}\nFine"},
    )
    assert added.status_code == 303
    later = post_form(
        planner,
        built.builder,
        f"{built.survey}/questions",
        {"type": "long_text", "text": "Why?", "help": HOSTILE},
    )
    assert later.status_code == 303
    hostile, why = stored(built.survey_id).questions
    assert hostile.text == HOSTILE
    assert answers(hostile) == [(HOSTILE, ""), ("Fine", "")]
    assert why.help == HOSTILE
    condition = post_form(
        planner,
        built.question(why.id),
        f"{built.question(why.id)}/condition",
        {"operator": "any_of", "option": str(hostile.options[0].id)},
    )
    assert condition.status_code == 303

    pages = {
        "builder": planner.get(built.builder).text,
        "edit": planner.get(built.question(hostile.id)).text,
        "condition form": planner.get(built.question(why.id)).text,
        "preview": planner.get(f"{built.survey}/preview").text,
    }
    for name, page in pages.items():
        assert HOSTILE not in page, name
        assert ESCAPED in page, name
    # The condition note names both the question and its answer, escaped.
    assert f"‘{ESCAPED}’ is ‘{ESCAPED}’" in pages["builder"]

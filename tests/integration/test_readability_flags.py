"""The builder flags hard-to-read questions in every language it can measure: the
main language's own text on the consultation's page, each translation there too,
and every box of the side-by-side editor, in the planner's words."""

from __future__ import annotations

from itertools import count

import pytest

from tests.fixtures import page_text, signed_in_as
from tests.integration.translation_pages import (
    editor_of,
    page_of,
    question_field,
    save,
    translated_survey,
)

PLANNER = "rut.readability"
SLUGS = count(1)
LONG_ENGLISH = (
    "Thinking about the last twelve months and every place you usually go, such as school,"
    " work, the bus, the shops and the internet, how often have you felt unsafe there?"
)
LONG_ICELANDIC = (
    "Þegar þú hugsar um síðustu tólf mánuði og alla staði sem þú ferð venjulega á, eins og"
    " skólann, vinnuna, strætó, búðirnar og netið, hversu oft hefur þér fundist þú óörugg?"
)
HARD_SWEDISH = (
    "Kommunstyrelsens förvaltningsövergripande samverkansstruktur möjliggör"
    " kunskapsbaserade förebyggande insatser."
)


@pytest.fixture(scope="module")
def planner(client, make_staff):
    make_staff(PLANNER, "planner")
    signed_in_as(client, PLANNER)
    return client


@pytest.fixture
def survey(planner, make_survey):
    return translated_survey(planner, make_survey, f"readability-{next(SLUGS)}", ("is", "sv"))


def _question_card(page: str, question_id: int) -> str:
    start = page.index(f'id="question-{question_id}"')
    ends = [page.find(mark, start + 1) for mark in ('class="question-card"', "</ol>")]
    return page_text(page[start : min(end for end in ends if end > 0)])


def _set_text(run, question_id: int, text: str) -> None:
    from surveys.tables import Question

    run(lambda: Question.update({Question.text: text}).where(Question.id == question_id).run())


def test_a_plain_survey_has_no_flags(planner, survey):
    assert "Hard to read" not in page_text(planner.get(page_of(survey.consultation_id)).text)


def test_a_long_english_question_is_flagged_with_its_sentence_length(planner, run, survey):
    question = survey.question_ids["single"]
    _set_text(run, question, LONG_ENGLISH)
    card = _question_card(planner.get(page_of(survey.consultation_id)).text, question)
    assert "Hard to read" in card
    assert "English : A sentence of 30 words: aim for 20 or fewer." in card


def test_a_translation_is_flagged_in_its_own_language(planner, survey):
    question = survey.question_ids["scale"]
    field = question_field(survey, "scale")
    assert save(planner, survey.consultation_id, "is", {field: LONG_ICELANDIC}).status_code == 303
    assert save(planner, survey.consultation_id, "sv", {field: HARD_SWEDISH}).status_code == 303
    card = _question_card(planner.get(page_of(survey.consultation_id)).text, question)
    assert "íslenska : A sentence of 30 words: aim for 20 or fewer." in card
    assert "svenska : Long words: förvaltningsövergripande, samverkansstruktur." in card
    assert "Readability index (LIX)" in card
    assert "English :" not in card, "the English text is plain"


def test_the_editor_flags_the_box_and_says_so_in_the_planners_language(planner, survey):
    field = question_field(survey, "scale")
    save(planner, survey.consultation_id, "sv", {field: HARD_SWEDISH})
    page = planner.get(editor_of(survey.consultation_id, "sv")).text
    notes_id = "t-" + field.replace(".", "-") + "-notes"
    notes = page[page.index(f'id="{notes_id}"') :]
    assert page_text(notes[: notes.index("</ul>")]).endswith(
        "Long words: förvaltningsövergripande, samverkansstruktur."
        " Readability index (LIX) 107: over 50 is hard to read."
    )
    # The box names its notes, so a screen reader hears them with the field.
    box = page[page.index(f'name="{field}"') - 400 : page.index(f'name="{field}"') + 400]
    assert notes_id in box.split("aria-describedby=", 1)[1].split(">", 1)[0]

"""The survey templates and the demographic question bank that ship with consult."""

from __future__ import annotations

import pytest

from surveys.definition import check_definition
from surveys.instruments import question_bank, template, templates

SHIPPED = (
    "resident-needs-assessment",
    "civil-servant-shared-understanding",
    "partner-organisation-mapping",
)


def test_at_least_the_three_templates_ship():
    slugs = [t.slug for t in templates()]
    assert len(slugs) >= 3
    assert set(SHIPPED) <= set(slugs)


def test_templates_are_listed_by_title():
    titles = [t.definition.title for t in templates()]
    assert titles == sorted(titles)
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_template_is_a_valid_survey(slug):
    definition = template(slug)
    assert definition is not None
    assert check_definition(definition) == definition
    assert definition.questions


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_template_says_what_it_is_for(slug):
    definition = template(slug)
    assert definition.title.strip()
    assert len(definition.description.strip()) > 40


def test_an_unknown_template_is_none():
    assert template("no-such-template") is None
    assert template("demographics") is None  # the bank is not a template


BANK_KEYS = ["age_band", "gender", "district", "home_languages", "residence_length"]


def test_the_question_bank_has_the_five_demographic_questions():
    assert [q.key for q in question_bank().questions] == BANK_KEYS


def test_the_question_bank_is_valid():
    bank = question_bank()
    assert check_definition(bank) == bank


@pytest.mark.parametrize("key", BANK_KEYS)
def test_every_bank_question_is_optional(key):
    question = next(q for q in question_bank().questions if q.key == key)
    assert question.required is False


@pytest.mark.parametrize("key", BANK_KEYS)
def test_every_bank_question_offers_prefer_not_to_say(key):
    question = next(q for q in question_bank().questions if q.key == key)
    assert sum(option.prefer_not_to_say for option in question.options) == 1


def test_gender_lets_people_describe_themselves():
    gender = next(q for q in question_bank().questions if q.key == "gender")
    others = [option for option in gender.options if option.other]
    assert len(others) == 1
    assert "describe" in others[0].label.lower()

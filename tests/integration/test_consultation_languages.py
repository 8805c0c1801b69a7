"""A consultation's languages, as a planner chooses them: the main language of a
new consultation, the languages it is translated into and the one it reports in
(each named in itself), refusals that keep the form, and the main language fixed
once people have answered.
"""

from __future__ import annotations

import re
from itertools import count

import pytest

from consult.i18n import language_name
from tests.fixtures import page_text, post_form, send_survey, signed_in_as
from tests.integration.translation_pages import (
    choose_languages,
    coverage_row,
    page_of,
    translated_survey,
)

PLANNER = "lars.languages"
PREFIX = "languages"
SLUGS = count(1)
MAIN_LOCKED = "People have answered this consultation, so its main language can no longer change"


@pytest.fixture(scope="module")
def planner(client, make_staff):
    """The module's client, signed in as a planner of the surveys' city."""
    make_staff(PLANNER, "planner")
    signed_in_as(client, PLANNER)
    return client


@pytest.fixture
def consultation(planner, make_survey):
    """A consultation of its own, translated into Icelandic and Arabic."""
    return translated_survey(planner, make_survey, f"{PREFIX}-{next(SLUGS)}")


def test_a_new_consultation_is_written_in_the_main_language_chosen(planner, run):
    from consult.services import consultations

    form = planner.get("/staff/consultations/new").text
    assert re.search(r'<option value="en" lang="en" selected>', form)
    assert f'lang="is">{language_name("is")}</option>' in form
    fields = {
        "slug": "written-in-icelandic",
        "title": "Öryggi í borginni",
        "purpose": "Af hverju við spyrjum.",
        "run_by": "Reykjavíkurborg",
        "data_use": "Skipuleggjendur lesa svörin.",
        "minutes": "5",
    }
    refused = post_form(
        planner,
        "/staff/consultations/new",
        "/staff/consultations",
        {**fields, "main_locale": "tlh"},
    )
    assert refused.status_code == 422
    assert "Choose a language from the list." in page_text(refused.text)
    assert "Öryggi í borginni" in refused.text  # what was typed is kept
    made = post_form(
        planner, "/staff/consultations/new", "/staff/consultations", {**fields, "main_locale": "is"}
    )
    assert made.status_code == 303
    assert run(consultations.by_slug, "written-in-icelandic").default_locale == "is"
    page = planner.get(made.headers["location"]).text
    assert re.search(r'<option value="is" lang="is" selected>', page)


def test_the_languages_and_the_reporting_language_are_saved_and_shown(planner, run, consultation):
    from consult.services import consultations
    from consult.tables import AuditEvent

    sent = choose_languages(planner, consultation.consultation_id, ["is", "pl"], reporting="pl")
    assert sent.status_code == 303
    saved = run(consultations.by_id, consultation.consultation_id)
    assert (saved.languages, saved.reporting_locale) == ("is,pl", "pl")
    page = planner.get(sent.headers["location"]).text
    assert re.search(r'value="pl" checked>', page)
    assert not re.search(r'value="ar" checked>', page)
    assert re.search(r'<option value="pl" lang="pl" selected>', page)
    assert language_name("pl") in coverage_row(planner, consultation.consultation_id, "pl")
    audited = run(
        AuditEvent.select(AuditEvent.detail)
        .where(
            (AuditEvent.action == "set_languages")
            & (AuditEvent.object_id == consultation.consultation_id)
        )
        .order_by(AuditEvent.id, ascending=False)
        .first()
        .run
    )
    assert "reporting pl" in audited["detail"]
    # Back to the main language for reporting.
    assert choose_languages(planner, consultation.consultation_id, ["is"]).status_code == 303
    assert run(consultations.by_id, consultation.consultation_id).reporting_locale == ""


@pytest.mark.parametrize(
    ("others", "reporting", "message"),
    [
        (["is"], "pl", "Choose the main language or one of the languages"),
        (["is", "xx"], "", "Choose a language from the list."),
    ],
)
def test_a_language_not_offered_is_refused_with_the_form_kept(
    planner, run, consultation, others, reporting, message
):
    from consult.services import consultations

    refused = choose_languages(planner, consultation.consultation_id, others, reporting)
    assert refused.status_code == 422
    summary = refused.text[refused.text.index("error-summary") :]
    assert message in page_text(summary)[:400]
    assert re.search(r'value="is" checked>', refused.text)  # the boxes as ticked
    assert run(consultations.by_id, consultation.consultation_id).languages == "is,ar"


def test_the_main_language_cannot_change_once_people_have_answered(planner, run, make_survey):
    from consult.services import consultations

    survey = make_survey(f"{PREFIX}-{next(SLUGS)}")
    answers = {
        f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
        f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
    }
    assert send_survey(planner, survey.submit_url, answers).status_code == 303
    page = planner.get(page_of(survey.consultation_id)).text
    assert 'name="main_locale"' not in page  # nothing to choose any more, and it says why
    assert "People have answered, so it can no longer change" in page_text(page)
    refused = choose_languages(planner, survey.consultation_id, ["is"], main="sv")
    assert refused.status_code == 422
    assert MAIN_LOCKED in page_text(refused.text)
    assert run(consultations.by_id, survey.consultation_id).default_locale == "en"
    # Its other languages still change (the page sends no main language then).
    assert choose_languages(planner, survey.consultation_id, ["is"], main=None).status_code == 303
    saved = run(consultations.by_id, survey.consultation_id)
    assert (saved.default_locale, saved.languages) == ("en", "is")

"""The blank survey form, rendered once per worker and filled in for each visitor."""

from __future__ import annotations

import pytest

from tests.fixtures import idempotency_key, send_survey


@pytest.fixture
def reused_forms(monkeypatch):
    """Keep a rendered form for a minute, as a busy production worker would."""
    from surveys import pages

    pages.forget_blank_forms()
    monkeypatch.setattr(pages, "_max_age", lambda: 60.0)
    yield
    pages.forget_blank_forms()


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("reused-form")


def test_every_visitor_gets_a_key_of_their_own_and_each_form_can_be_sent(
    client, run, survey, reused_forms
):
    from analysis.services import response_count

    first, second = client.get(survey.url).text, client.get(survey.url).text
    assert idempotency_key(first) != idempotency_key(second)
    assert first.replace(idempotency_key(first), "") == second.replace(idempotency_key(second), "")

    answers = {
        f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
        f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
    }
    before = run(response_count, survey.survey_id)
    for page in (first, second):
        assert send_survey(client, survey.url, answers, page=page).status_code == 303
    assert run(response_count, survey.survey_id) == before + 2


def test_an_edit_shows_on_the_next_visit_while_the_form_is_reused(
    client, run, survey, reused_forms
):
    from consult.tables import Consultation

    assert "Consultation reused-form" in client.get(survey.url).text
    run(
        Consultation.update({Consultation.title: "Safety in Breiðholt"})
        .where(Consultation.slug == survey.slug)
        .run
    )
    page = client.get(survey.url).text
    assert "Safety in Breiðholt" in page
    assert "Consultation reused-form" not in page

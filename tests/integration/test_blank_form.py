"""The blank survey form, rendered once per worker and filled in for each visitor."""

from __future__ import annotations

import pytest

from tests.fixtures import csrf_token, idempotency_key


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
        sent = client.post(
            survey.url,
            data={
                "_csrf_token": csrf_token(page),
                "idempotency_key": idempotency_key(page),
                **answers,
            },
            follow_redirects=False,
        )
        assert sent.status_code == 303
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

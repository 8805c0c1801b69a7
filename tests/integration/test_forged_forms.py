"""A form without its CSRF token: a resident's comes back to be sent again, with
every value kept; a planner's never does, since "Send again" would then carry out
what a page on another site forged."""

from __future__ import annotations

import pytest

from tests.fixtures import new_idempotency_key, sign_in


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("forged-forms")


def test_a_residents_form_comes_back_to_be_sent_again(client, survey):
    answers = {f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0])}
    page = client.post(
        survey.submit_url,
        data={"idempotency_key": new_idempotency_key(), **answers},
        follow_redirects=False,
    )
    assert page.status_code == 403
    assert "Send again" in page.text
    assert f'name="q{survey.question_ids["single"]}"' in page.text


def test_a_forged_staff_form_is_refused_without_a_way_to_send_it(client, run, make_staff, survey):
    from consult.services import consultations

    make_staff("forge.target", "planner")
    assert sign_in(client, "forge.target").status_code == 303
    forged = client.post(
        f"/staff/consultations/{survey.consultation_id}/safety",
        data={"sensitive": "1", "exit_url": "https://attacker.example/"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert "Send again" not in forged.text
    assert "attacker.example" not in forged.text
    consultation = run(consultations.by_id, survey.consultation_id)
    assert consultation.exit_url != "https://attacker.example/"
    client.cookies.clear()

"""A resident answering a survey: the form, its errors, and storing exactly once."""

from __future__ import annotations

import html as html_module
import re

import pytest

from tests.fixtures import csrf_token, idempotency_key, post_form, send_survey


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("safe-city")


def response_count(run, survey_id: int) -> int:
    from analysis.services import response_count as count

    return run(count, survey_id)


def valid_answers(survey) -> dict[str, object]:
    ids = survey.question_ids
    return {
        f"q{ids['single']}": str(survey.option_ids["single"][0]),
        f"q{ids['multiple']}": [str(o) for o in survey.option_ids["multiple"][:2]],
        f"q{ids['scale']}": str(survey.option_ids["scale"][3]),
        f"q{ids['text']}": "More youth workers in the evening.",
        f"q{ids['number']}": "3",
    }


def submit(client, survey, answers: dict[str, object]):
    return send_survey(client, survey.url, answers)


def test_home_lists_open_consultations_only(client, survey, make_survey):
    from consult.tables import ConsultationStatus

    make_survey("still-a-draft", status=ConsultationStatus.draft)
    page = client.get("/")
    assert page.status_code == 200
    assert "Consultation safe-city" in page.text
    assert "Consultation still-a-draft" not in page.text
    assert client.get("/c/still-a-draft").status_code == 404


def test_landing_page_says_who_why_how_long_and_what_happens(client, survey):
    page = client.get(f"/c/{survey.slug}")
    assert page.status_code == 200
    for expected in (
        "Why we ask.",
        "City of Reykjavik",
        "About 5 minutes",
        "Planners read it.",
        "Start now",
    ):
        assert expected in page.text
    assert f'href="{survey.url}"' in page.text


def test_form_has_a_labelled_control_for_every_question(client, survey):
    page = client.get(survey.url)
    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in page.text
    assert 'href="#main"' in page.text
    for question_id in survey.question_ids.values():
        assert f'id="q{question_id}"' in page.text
    assert page.text.count('type="radio"') == 3 + 5
    assert page.text.count('type="checkbox"') == 4
    assert "(optional)" in page.text


def test_a_valid_submission_is_stored_once_and_confirmed(client, run, survey):
    before = response_count(run, survey.survey_id)
    html = client.get(survey.url).text
    data = {
        "_csrf_token": csrf_token(html),
        "idempotency_key": idempotency_key(html),
        **valid_answers(survey),
    }
    first = client.post(survey.url, data=data, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"/c/{survey.slug}/thanks"
    # A double tap, or the browser retrying on a bad connection, sends the same form.
    again = client.post(survey.url, data=data, follow_redirects=False)
    assert again.status_code == 303
    assert response_count(run, survey.survey_id) == before + 1
    thanks = client.get(first.headers["location"])
    assert "Your answers have been received" in thanks.text


def test_every_answer_is_one_row(client, run, survey):
    from surveys.tables import Answer

    before = run(Answer.count)
    assert submit(client, survey, valid_answers(survey)).status_code == 303
    # single + two multiple + scale + text + number
    assert run(Answer.count) == before + 6


def test_missing_required_answers_get_a_summary_an_inline_message_and_keep_values(
    client, run, survey
):
    before = response_count(run, survey.survey_id)
    ids = survey.question_ids
    typed = "Lights at the bus stop <b>please</b>"
    answers = {
        f"q{ids['text']}": typed,
        f"q{ids['multiple']}": str(survey.option_ids["multiple"][1]),
    }
    page = submit(client, survey, answers)
    assert page.status_code == 422
    assert "<title>Error:" in page.text
    summary = page.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#q{ids["single"]}"' in summary
    assert f'href="#q{ids["scale"]}"' in summary
    assert f'id="q{ids["single"]}-error"' in page.text
    assert page.text.count("Select an answer.") == 4  # summary + inline, two questions
    # Nothing typed is lost, and it comes back escaped.
    assert "Lights at the bus stop &lt;b&gt;please&lt;/b&gt;</textarea>" in page.text
    assert re.search(rf'value="{survey.option_ids["multiple"][1]}"\s+checked', page.text)
    assert response_count(run, survey.survey_id) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("single", "999999", "Choose one of the answers listed."),
        ("single", "1 OR 1=1", "Choose one of the answers listed."),
        ("scale", "-1", "Choose one of the answers listed."),
        ("number", "12abc", "Enter a whole number, like 12."),
        ("number", "9" * 40, "Enter a smaller number."),
        ("text", "x" * 5001, "Your answer must be 5000 characters or fewer."),
    ],
)
def test_hostile_or_wrong_values_are_refused_in_words(client, run, survey, field, value, message):
    before = response_count(run, survey.survey_id)
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids[field]}"] = value
    page = submit(client, survey, answers)
    assert page.status_code == 422
    assert message in page.text
    assert response_count(run, survey.survey_id) == before


def test_prefer_not_to_say_cannot_be_combined(client, survey):
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids['multiple']}"] = [str(o) for o in survey.option_ids["multiple"]]
    page = submit(client, survey, answers)
    assert page.status_code == 422
    assert "on its own" in page.text


def test_markup_in_answers_is_stored_as_typed_and_shown_escaped(client, run, survey):
    from surveys.tables import Answer

    hostile = '<script>alert("x")</script> =HYPERLINK("http://evil")'
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids['text']}"] = hostile
    assert submit(client, survey, answers).status_code == 303
    stored = run(Answer.select(Answer.text).where(Answer.text == hostile).first)
    assert stored == {"text": hostile}


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client, run, survey):
    before = response_count(run, survey.survey_id)
    html = client.get(survey.url).text
    page = client.post(
        survey.url,
        data={"idempotency_key": idempotency_key(html), **valid_answers(survey)},
        follow_redirects=False,
    )
    assert page.status_code == 403
    assert "Send this form again" in page.text
    assert response_count(run, survey.survey_id) == before


def test_an_expired_form_comes_back_with_every_answer_and_can_be_sent_again(client, run, survey):
    from surveys.tables import Answer

    before = response_count(run, survey.survey_id)
    html = client.get(survey.url).text
    answers = valid_answers(survey)
    typed = 'Line one\nline two: "quoted" <b>& =1+1'
    answers[f"q{survey.question_ids['text']}"] = typed
    key = idempotency_key(html)
    # The phone dropped its cookies while the survey was open.
    client.cookies.clear()
    page = client.post(
        survey.url,
        data={"_csrf_token": csrf_token(html), "idempotency_key": key, **answers},
        follow_redirects=False,
    )
    assert page.status_code == 403
    assert "Nothing has been stored yet, and nothing you entered is lost." in page.text
    assert response_count(run, survey.survey_id) == before
    kept = re.findall(
        r'<input type="hidden" name="(q\d+|idempotency_key)" value="([^"]*)">', page.text
    )
    assert ("idempotency_key", key) in kept

    resent = client.post(
        survey.url,
        data={"_csrf_token": csrf_token(page.text), **_form_values(kept)},
        follow_redirects=False,
    )
    assert resent.status_code == 303
    assert response_count(run, survey.survey_id) == before + 1
    stored = run(Answer.select(Answer.text).where(Answer.text == typed).first)
    assert stored == {"text": typed}


def _form_values(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Hidden inputs as a browser sends them back (HTML entities decoded)."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(html_module.unescape(value))
    return values


def test_a_closed_consultation_takes_no_answers(client, run, make_survey):
    from consult.services import consultations
    from consult.tables import ConsultationStatus

    closing = make_survey("closing-soon")
    html = client.get(closing.url).text
    consultation = run(consultations.by_id, closing.consultation_id)
    run(consultations.set_status, consultation, ConsultationStatus.closed)
    late = send_survey(client, closing.url, valid_answers(closing), page=html)
    assert late.status_code == 409
    assert "closed" in late.text
    assert response_count(run, closing.survey_id) == 0
    assert "This consultation is closed" in client.get(closing.url).text


def test_a_survey_of_another_consultation_is_not_found(client, survey, make_survey):
    other = make_survey("another-city")
    assert client.get(f"/c/{survey.slug}/surveys/{other.survey_id}").status_code == 404
    assert "Page not found" in client.get("/c/no-such-thing").text


def test_pages_send_protective_headers(client, survey):
    page = client.get(survey.url)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"


def test_post_form_helper_reaches_sign_in(client):
    # The same helper the staff tests use: a wrong password is a 422 with a message.
    page = post_form(
        client, "/staff/login", "/staff/login", {"username": "nobody", "password": "wrong"}
    )
    assert page.status_code == 422
    assert "Enter a correct username and password." in page.text

"""A resident answering a survey: one question per page, errors, conditions, check
your answers, and storing exactly once."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token, new_idempotency_key, send_survey
from tests.integration.journey import (
    begin,
    check_form,
    post_page,
    send_checked,
    summary,
    walk,
)


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("safe-city")


@pytest.fixture(scope="module")
def conditional(run):
    """A sensitive consultation whose survey asks for consent and has conditions:
    'Where?' and 'Did you report it?' only for those who saw hate speech."""
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.tables import ConsultationStatus
    from surveys import builder
    from surveys.definition import (
        SCHEMA_ID,
        ConditionDefinition,
        OptionDefinition,
        QuestionDefinition,
        SurveyDefinition,
        check_definition,
    )

    consultation = run(
        consultations.create,
        ConsultationInput(
            slug="oslo-hate",
            title="Oslo and hate speech",
            purpose="Why we ask.",
            city="Oslo",
            run_by="City of Oslo",
            data_use="Planners read it.",
            minutes_to_complete=5,
            sensitive=True,
            exit_url="https://weather.example/",
        ),
    )
    saw = ConditionDefinition(question="seen", operator="any_of", options=["Often", "Sometimes"])
    definition = SurveyDefinition(
        schema=SCHEMA_ID,
        title="Hate speech in Oslo",
        consent_text="You agree that the city may use your answers.",
        questions=[
            QuestionDefinition(
                key="seen",
                type="single_choice",
                text="Have you seen hate speech?",
                required=True,
                options=[OptionDefinition(x) for x in ("Often", "Sometimes", "Never")],
            ),
            QuestionDefinition(
                key="where",
                type="multiple_choice",
                text="Where did you see it?",
                required=True,
                options=[OptionDefinition(x) for x in ("Online", "Street")],
                show_if=saw,
            ),
            QuestionDefinition(
                key="not_seen_why",
                type="short_text",
                text="Why do you think you have not?",
                show_if=ConditionDefinition(
                    question="seen", operator="not", options=["Often", "Sometimes"]
                ),
            ),
            QuestionDefinition(
                key="trust",
                type="scale",
                text="How much do you trust the police?",
                options=[OptionDefinition(x) for x in ("Little", "Some", "Much")]
                + [OptionDefinition("Don't know", dont_know=True)],
            ),
        ],
    )
    survey_id = run(builder.import_definition, consultation.id, check_definition(definition))
    run(consultations.set_status, consultation, ConsultationStatus.open)
    return run(_load, survey_id)


async def _load(survey_id):
    from surveys.services import load_spec

    return await load_spec(survey_id)


def _start(spec) -> str:
    return f"/c/oslo-hate/surveys/{spec.id}"


def _field(spec, key_text: str) -> str:
    return next(q.field_name for q in spec.questions if q.text.startswith(key_text))


def _option(spec, key_text: str, label: str) -> str:
    question = next(q for q in spec.questions if q.text.startswith(key_text))
    return str(next(o.id for o in question.options if o.label == label))


def response_count(run, survey_id: int) -> int:
    """Responses stored for the survey, counted in the table itself."""
    from surveys.tables import Response

    return run(Response.count().where(Response.survey == survey_id).run)


def newest_answers(run, survey_id: int) -> list[tuple[str, str | None]]:
    """The newest response's answers as (question, option label)."""
    from surveys.tables import Answer, Response

    newest = run(
        Response.select(Response.id)
        .where(Response.survey == survey_id)
        .order_by(Response.id, ascending=False)
        .first()
        .run
    )
    rows = run(
        Answer.select(Answer.question.text, Answer.option.label)
        .where(Answer.response == newest["id"])
        .order_by(Answer.id)
        .run
    )
    return [(row["question.text"], row["option.label"]) for row in rows]


def valid_answers(survey) -> dict[str, object]:
    ids = survey.question_ids
    return {
        f"q{ids['single']}": str(survey.option_ids["single"][0]),
        f"q{ids['multiple']}": [str(o) for o in survey.option_ids["multiple"][:2]],
        f"q{ids['scale']}": str(survey.option_ids["scale"][3]),
        f"q{ids['text']}": "More youth workers in the evening.",
        f"q{ids['number']}": "3",
    }


def test_home_lists_open_consultations_only(client, survey, make_survey):
    from consult.tables import ConsultationStatus

    make_survey("still-a-draft", status=ConsultationStatus.draft)
    page = client.get("/")
    assert page.status_code == 200
    assert "Consultation safe-city" in page.text
    assert "Consultation still-a-draft" not in page.text


def test_a_draft_consultation_is_not_found_on_any_respondent_route(client, make_survey):
    from consult.tables import ConsultationStatus

    draft = make_survey("secret-draft", status=ConsultationStatus.draft)
    for path in (
        f"/c/{draft.slug}",
        draft.url,
        draft.page_url(1),
        f"{draft.url}/check",
        f"/c/{draft.slug}/thanks",
        f"/c/{draft.slug}/resume",
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "Consultation secret-draft" not in page.text
        assert "Planners read it." not in page.text
    sent = send_survey(client, draft.submit_url, valid_answers(draft))
    assert sent.status_code == 404


def test_landing_page_says_who_why_how_long_what_happens_and_privacy(client, survey):
    page = client.get(f"/c/{survey.slug}")
    assert page.status_code == 200
    for expected in (
        "Why we ask.",
        "City of Reykjavik",
        "About 5 minutes",
        "Planners read it.",
        "Your privacy",
        "You do not give your name",
        "Start now",
        "Continue with a code you saved",
    ):
        assert expected in page.text
    assert f'href="{survey.url}"' in page.text


def test_consent_is_asked_first_and_recorded_with_its_version(client, run, conditional):
    start = _start(conditional)
    page = client.get(start)
    assert "You agree that the city may use your answers." in page.text
    assert "I agree – start" in page.text
    # No page of questions before consent.
    skipped = client.get(f"{start}/pages/1", follow_redirects=False)
    assert skipped.status_code == 303
    assert skipped.headers["location"] == start

    url = walk(
        client,
        start,
        {_field(conditional, "Have you seen"): _option(conditional, "Have you seen", "Never")},
    )
    assert send_checked(client, url).status_code == 303
    from surveys.tables import Response

    stored = run(
        Response.select(Response.consent_version)
        .where(Response.survey == conditional.id)
        .first()
        .run
    )
    assert stored == {"consent_version": conditional.consent_version}


def test_one_question_per_page_with_progress_and_a_back_link(client, survey):
    first = begin(client, survey.url)
    assert first == survey.page_url(1)
    page = client.get(first)
    assert page.status_code == 200
    assert "Question 1 of 5" in page.text
    # The question is the page's heading.
    assert re.search(r"<h1[^>]*>\s*<[^>]*>Do you feel safe\?", page.text) or (
        "<h1" in page.text and "Do you feel safe?" in page.text.split("<h1", 1)[1][:300]
    )
    assert "How much do you trust the police?" not in page.text
    assert f'href="{survey.url}"' in page.text  # Back, to the start
    sent = post_page(
        client, first, {f"q{survey.question_ids['single']}": str(survey.option_ids["single"][1])}
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == survey.page_url(2)
    second = client.get(survey.page_url(2)).text
    assert "Question 2 of 5" in second
    assert f'href="{survey.page_url(1)}"' in second


def test_going_back_shows_the_answers_given(client, survey):
    begin(client, survey.url)
    single = f"q{survey.question_ids['single']}"
    chosen = survey.option_ids["single"][2]
    post_page(client, survey.page_url(1), {single: str(chosen)})
    back = client.get(survey.page_url(1)).text
    assert re.search(rf'value="{chosen}"\s+checked', back)


def test_a_missing_required_answer_gets_the_govuk_error_pattern_and_keeps_nothing_lost(
    client, survey
):
    begin(client, survey.url)
    scale_page = survey.page_url(3)
    page = post_page(client, scale_page, {})
    assert page.status_code == 422
    assert "<title>Error:" in page.text
    summary_box = page.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#q{survey.question_ids["scale"]}"' in summary_box
    assert "How much do you trust the police? – Select an answer." in summary_box
    assert f'id="q{survey.question_ids["scale"]}-error"' in page.text


def test_what_was_typed_comes_back_escaped_after_an_error(client, survey):
    begin(client, survey.url)
    number_page = survey.page_url(5)
    typed = "12 <b>apples</b>"
    page = post_page(client, number_page, {f"q{survey.question_ids['number']}": typed})
    assert page.status_code == 422
    assert "Enter a whole number, like 12." in page.text
    assert 'value="12 &lt;b&gt;apples&lt;/b&gt;"' in page.text


def test_conditions_show_the_follow_up_only_to_those_it_concerns(client, conditional):
    start = _start(conditional)
    seen, where = _field(conditional, "Have you seen"), _field(conditional, "Where did")
    # Saw it often: asked where, not why not.
    url = walk(
        client,
        start,
        {
            seen: _option(conditional, "Have you seen", "Often"),
            where: _option(conditional, "Where did", "Online"),
        },
    )
    rows = summary(client.get(url).text)
    assert rows["Where did you see it?"] == ["Online"]
    assert "Why do you think you have not?" not in rows
    # Never saw it: the page "Where?" is skipped straight away, even by address.
    client.cookies.clear()
    begin(client, start)
    sent = post_page(
        client, f"{start}/pages/1", {seen: _option(conditional, "Have you seen", "Never")}
    )
    assert sent.headers["location"] == f"{start}/pages/3"
    skipped = client.get(f"{start}/pages/2", follow_redirects=False)
    assert skipped.status_code == 303
    assert skipped.headers["location"] == f"{start}/pages/3"


def test_an_answer_hidden_by_a_change_is_dropped_on_submit(client, run, conditional):
    start = _start(conditional)
    seen, where = _field(conditional, "Have you seen"), _field(conditional, "Where did")
    client.cookies.clear()
    url = walk(
        client,
        start,
        {
            seen: _option(conditional, "Have you seen", "Often"),
            where: _option(conditional, "Where did", "Street"),
        },
    )
    # Change the first answer to "Never" from the check page.
    check = client.get(url).text
    assert f'href="{start}/pages/1?return=check"' in check
    changed = post_page(
        client,
        f"{start}/pages/1?return=check",
        {seen: _option(conditional, "Have you seen", "Never")},
    )
    assert changed.status_code == 303
    # The newly shown page comes next, then back to the check page.
    assert changed.headers["location"] == f"{start}/pages/3"
    back = post_page(client, f"{start}/pages/3?return=check", {})
    assert back.headers["location"] == url
    rows = summary(client.get(url).text)
    assert "Where did you see it?" not in rows
    assert rows["Have you seen hate speech?"] == ["Never"]
    before = response_count(run, conditional.id)
    assert send_checked(client, url).status_code == 303
    assert response_count(run, conditional.id) == before + 1
    assert newest_answers(run, conditional.id) == [("Have you seen hate speech?", "Never")]


def test_a_forged_answer_to_a_hidden_question_is_not_stored(client, run, conditional):
    """Conditions are evaluated on the server, on what is sent."""
    from surveys.tables import Answer, Response

    seen, where = _field(conditional, "Have you seen"), _field(conditional, "Where did")
    key = new_idempotency_key()
    sent = send_survey(
        client,
        f"{_start(conditional)}/submit",
        {
            seen: _option(conditional, "Have you seen", "Never"),
            where: _option(conditional, "Where did", "Online"),
            "consent_version": str(conditional.consent_version),
        },
        key=key,
    )
    assert sent.status_code == 303
    response = run(Response.select(Response.id).where(Response.idempotency_key == key).first().run)
    labels = run(Answer.select(Answer.option.label).where(Answer.response == response["id"]).run)
    assert labels == [{"option.label": "Never"}]


def test_check_your_answers_lists_every_answer_with_a_change_link(client, survey):
    client.cookies.clear()
    url = walk(client, survey.url, valid_answers(survey))
    assert url == f"{survey.url}/check"
    page = client.get(url)
    assert page.status_code == 200
    rows = summary(page.text)
    assert rows == {
        "Do you feel safe?": ["Yes"],
        "Where?": ["Online", "Street"],
        "How much do you trust the police?": ["Much"],
        "What should the city do?": ["More youth workers in the evening."],
        "How many times?": ["3"],
    }
    for number in range(1, 6):
        assert f'href="{survey.url}/pages/{number}?return=check"' in page.text
    assert "your answer to: Where?" in page.text  # change links say what they change


def test_the_check_page_sends_the_answers_once_and_clears_the_draft(client, run, survey):
    from surveys.tables import ResumeDraft

    client.cookies.clear()
    url = walk(client, survey.url, valid_answers(survey))
    drafts = run(ResumeDraft.count().where(ResumeDraft.survey == survey.survey_id).run)
    assert drafts >= 1
    before = response_count(run, survey.survey_id)
    html = client.get(url).text
    data = {**check_form(html), "_csrf_token": [csrf_token(html)]}
    first = client.post(f"{survey.url}/submit", data=data, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"/c/{survey.slug}/thanks"
    # A double tap, or the browser retrying on a bad connection, sends the same form.
    again = client.post(f"{survey.url}/submit", data=data, follow_redirects=False)
    assert again.status_code == 303
    assert response_count(run, survey.survey_id) == before + 1
    assert "Your answers have been received" in client.get(first.headers["location"]).text
    # Nothing of the answers is left anywhere but in the response.
    assert client.get(url, follow_redirects=False).status_code == 303
    left = run(ResumeDraft.count().where(ResumeDraft.survey == survey.survey_id).run)
    assert left == drafts - 1


def test_every_answer_is_one_row(client, run, survey):
    from surveys.tables import Answer

    before = run(Answer.count().run)
    assert send_survey(client, survey.submit_url, valid_answers(survey)).status_code == 303
    # single + two multiple + scale + text + number
    assert run(Answer.count().run) == before + 6


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("single", "999999", "Choose one of the answers listed."),
        ("single", "1 OR 1=1", "Choose one of the answers listed."),
        ("scale", "-1", "Choose one of the answers listed."),
        ("number", "12abc", "Enter a whole number, like 12."),
        ("number", "9" * 40, "Enter a smaller number."),
        ("text", "x" * 5001, "Your answer must be 5,000 characters or fewer."),
    ],
)
def test_hostile_or_wrong_values_are_refused_in_words(client, run, survey, field, value, message):
    before = response_count(run, survey.survey_id)
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids[field]}"] = value
    page = send_survey(client, survey.submit_url, answers)
    assert page.status_code == 422
    assert message in page.text
    assert "Check your answers" in page.text
    assert response_count(run, survey.survey_id) == before


def test_prefer_not_to_say_cannot_be_combined(client, survey):
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids['multiple']}"] = [str(o) for o in survey.option_ids["multiple"]]
    page = send_survey(client, survey.submit_url, answers)
    assert page.status_code == 422
    assert "on its own" in page.text


def test_markup_in_answers_is_stored_as_typed_and_shown_escaped(client, run, survey):
    from surveys.tables import Answer

    hostile = '<script>alert("x")</script> =HYPERLINK("http://evil")'
    client.cookies.clear()
    answers = valid_answers(survey)
    answers[f"q{survey.question_ids['text']}"] = hostile
    url = walk(client, survey.url, answers)
    check = client.get(url).text
    assert "<script>alert" not in check
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in check or "&lt;script&gt;" in check
    assert send_checked(client, url).status_code == 303
    stored = run(Answer.select(Answer.text).where(Answer.text == hostile).first().run)
    assert stored == {"text": hostile}


def test_control_characters_and_nul_are_removed_from_text_on_every_engine(client, run, survey):
    from surveys.tables import Answer

    answers = valid_answers(survey)
    answers[f"q{survey.question_ids['text']}"] = "before\x00\x01after\r\nnext line"
    assert send_survey(client, survey.submit_url, answers).status_code == 303
    stored = run(Answer.select(Answer.text).where(Answer.text.like("before%")).first().run)
    assert stored == {"text": "beforeafter\nnext line"}


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client, run, survey):
    before = response_count(run, survey.survey_id)
    page = client.post(
        survey.submit_url,
        data={"idempotency_key": new_idempotency_key(), **valid_answers(survey)},
        follow_redirects=False,
    )
    assert page.status_code == 403
    assert "Send this form again" in page.text
    assert response_count(run, survey.survey_id) == before


def test_an_expired_form_comes_back_with_every_answer_and_can_be_sent_again(client, run, survey):
    from surveys.tables import Answer

    before = response_count(run, survey.survey_id)
    client.cookies.clear()
    url = walk(client, survey.url, valid_answers(survey))
    html = client.get(url).text
    data = {**check_form(html), "_csrf_token": [csrf_token(html)]}
    typed = 'Line one\nline two: "quoted" <b>& =1+1'
    data[f"q{survey.question_ids['text']}"] = [typed]
    # The phone dropped its cookies while the page was open.
    client.cookies.clear()
    page = client.post(f"{survey.url}/submit", data=data, follow_redirects=False)
    assert page.status_code == 403
    assert "Nothing has been stored yet, and nothing you entered is lost." in page.text
    assert response_count(run, survey.survey_id) == before
    kept = check_form(page.text)
    assert kept["idempotency_key"] == data["idempotency_key"]
    resent = client.post(
        f"{survey.url}/submit",
        data={**kept, "_csrf_token": [csrf_token(page.text)]},
        follow_redirects=False,
    )
    assert resent.status_code == 303
    assert response_count(run, survey.survey_id) == before + 1
    assert run(Answer.select(Answer.text).where(Answer.text == typed).first().run) == {
        "text": typed
    }


def test_a_closed_consultation_takes_no_answers(client, run, make_survey):
    from consult.services import consultations
    from consult.tables import ConsultationStatus

    closing = make_survey("closing-soon")
    client.cookies.clear()
    url = walk(client, closing.url, valid_answers(closing))
    html = client.get(url).text  # the check page is open when the consultation closes
    consultation = run(consultations.by_id, closing.consultation_id)
    run(consultations.set_status, consultation, ConsultationStatus.closed)
    late = client.post(
        closing.submit_url,
        data={**check_form(html), "_csrf_token": [csrf_token(html)]},
        follow_redirects=False,
    )
    assert late.status_code == 409
    assert "closed" in late.text
    assert response_count(run, closing.survey_id) == 0
    assert "This consultation is closed" in client.get(closing.url).text
    assert "This consultation is closed" in client.get(closing.page_url(1)).text


def test_a_survey_of_another_consultation_is_not_found(client, survey, make_survey):
    other = make_survey("another-city")
    assert client.get(f"/c/{survey.slug}/surveys/{other.survey_id}").status_code == 404
    assert client.get(f"/c/{survey.slug}/surveys/{other.survey_id}/pages/1").status_code == 404
    assert client.get(f"{survey.url}/pages/99").status_code == 404
    assert "Page not found" in client.get("/c/no-such-thing").text


def test_respondent_pages_are_never_stored_by_the_browser(client, survey, conditional):
    client.cookies.clear()
    begin(client, survey.url)
    for path in (f"/c/{survey.slug}", survey.url, survey.page_url(1), f"/c/{survey.slug}/thanks"):
        page = client.get(path)
        assert page.headers["cache-control"] == "no-store", path
    error = post_page(client, survey.page_url(3), {})
    assert error.status_code == 422
    assert error.headers["cache-control"] == "no-store"


def test_pages_send_protective_headers(client, survey):
    page = client.get(survey.url)
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"

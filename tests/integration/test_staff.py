"""Planners and other staff: signing in, building a survey, opening it, results."""

from __future__ import annotations

import pytest

from tests.fixtures import PASSWORD, csrf_token, post_form, send_survey, sign_in


@pytest.fixture(scope="module")
def planner(client, make_staff):
    make_staff("pia.planner", "planner")
    return "pia.planner"


@pytest.fixture
def planner_client(client, planner):
    assert sign_in(client, planner).status_code == 303
    yield client
    client.cookies.clear()


def test_sign_in_sets_a_protected_session_cookie(client, planner):
    response = sign_in(client, planner)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("consult_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over http in tests
    client.cookies.clear()


def test_wrong_password_is_refused_with_the_username_kept(client, planner):
    page = sign_in(client, planner, "not the password")
    assert page.status_code == 422
    assert "Enter a correct username and password." in page.text
    assert 'value="pia.planner"' in page.text


def test_sign_in_never_redirects_off_site(client, planner):
    html = client.get("/staff/login").text
    response = client.post(
        "/staff/login",
        data={
            "_csrf_token": csrf_token(html),
            "username": planner,
            "password": PASSWORD,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff"
    client.cookies.clear()


def test_planner_builds_opens_and_reads_a_consultation(planner_client, run):
    client = planner_client
    # A bad form comes back with errors and the values kept.
    bad = post_form(
        client,
        "/staff/consultations/new",
        "/staff/consultations",
        {
            "slug": "Not A Slug",
            "title": "Oslo youth",
            "city": "Oslo",
            "run_by": "",
            "purpose": "p",
            "data_use": "d",
            "minutes": "10",
        },
    )
    assert bad.status_code == 422
    assert "There is a problem" in bad.text
    assert 'value="Oslo youth"' in bad.text

    created = post_form(
        client,
        "/staff/consultations/new",
        "/staff/consultations",
        {
            "slug": "oslo-youth",
            "title": "Oslo youth and hate speech",
            "city": "Oslo",
            "run_by": "Oslo kommune",
            "purpose": "We ask why.",
            "data_use": "Only totals are published.",
            "minutes": "6",
        },
    )
    assert created.status_code == 303
    detail_url = created.headers["location"]
    consultation_id = int(detail_url.rsplit("/", 1)[1])

    survey = post_form(
        client,
        detail_url,
        f"{detail_url}/surveys",
        {"title": "Young people's safety", "intro": "", "consent_text": ""},
    )
    assert survey.status_code == 303
    from surveys import services

    survey_id = run(services.surveys_of, consultation_id)[0].id
    add_url = f"{detail_url}/surveys/{survey_id}/questions"

    missing_options = post_form(
        client,
        detail_url,
        add_url,
        {"type": "single_choice", "text": "Do you feel safe?", "options": "Only one"},
    )
    assert missing_options.status_code == 422
    assert "Enter at least two answers" in missing_options.text

    for data in (
        {
            "type": "single_choice",
            "text": "Do you feel safe at school?",
            "options": "Yes\nNo",
            "required": "1",
        },
        {
            "type": "multiple_choice",
            "text": "Where have you seen hate speech?",
            "options": "Online\nAt school\nIn sport",
            "prefer_not_to_say": "1",
        },
        {
            "type": "scale",
            "text": "How much do you trust adults to help?",
            "options": "Not at all\nA little\nSomewhat\nQuite a lot\nCompletely",
        },
        {"type": "long_text", "text": "What would help?"},
    ):
        assert post_form(client, detail_url, add_url, data).status_code == 303

    page = client.get(detail_url)
    assert "Do you feel safe at school?" in page.text
    assert "Prefer not to say" in page.text
    assert "its questions can no longer change" not in page.text

    opened = post_form(client, detail_url, f"{detail_url}/status", {"status": "open"})
    assert opened.status_code == 303
    assert "Oslo youth and hate speech" in client.get("/").text

    # Six residents answer: five "Yes", one "No".
    spec = run(services.load_spec, survey_id)
    safe_q = spec.questions[0]
    submit_url = f"/c/oslo-youth/surveys/{survey_id}/submit"
    for choice in [0, 0, 0, 0, 0, 1]:
        sent = send_survey(client, submit_url, {safe_q.field_name: str(safe_q.options[choice].id)})
        assert sent.status_code == 303

    results = client.get(f"/staff/surveys/{survey_id}/results")
    assert results.status_code == 200
    assert "6 responses" in results.text
    yes_row = results.text.split(">Yes</th>", 1)[1].split("</tr>", 1)[0]
    # The single "No" is a small group and is hidden; so is the five "Yes",
    # because six answered minus five would reveal it.
    no_row = results.text.split(">No</th>", 1)[1].split("</tr>", 1)[0]
    assert "not shown" in no_row
    assert ">1<" not in no_row
    assert "not shown" in yes_row
    assert ">5<" not in yes_row

    # Once answered, questions are locked, and the builder says so.
    assert "its questions can no longer change" in client.get(detail_url).text
    locked = post_form(
        client, detail_url, add_url, {"type": "long_text", "text": "A late question"}
    )
    assert locked.status_code == 409
    assert "Create a new version to change them." in locked.text
    assert "A late question" not in [q.text for q in run(services.load_spec, survey_id).questions]


def test_percentages_are_shown_for_groups_of_k_or_more(planner_client, make_survey):
    survey = make_survey("vantaa-clubs")
    single = survey.question_ids["single"]
    scale = survey.question_ids["scale"]
    yes, no, _unsure = survey.option_ids["single"]
    for choice in [yes] * 6 + [no] * 5:
        sent = send_survey(
            planner_client,
            survey.submit_url,
            {f"q{single}": str(choice), f"q{scale}": str(survey.option_ids["scale"][0])},
        )
        assert sent.status_code == 303
    page = planner_client.get(f"/staff/surveys/{survey.survey_id}/results").text
    assert "11 responses" in page
    yes_row = page.split(">Yes</th>", 1)[1].split("</tr>", 1)[0]
    assert ">6<" in yes_row
    assert "55%" in yes_row
    no_row = page.split(">No</th>", 1)[1].split("</tr>", 1)[0]
    assert ">5<" in no_row
    assert "45%" in no_row


@pytest.mark.parametrize(
    "path",
    [
        "/staff",
        "/staff/consultations/new",
        "/staff/consultations/1",
        "/staff/surveys/1/results",
        "/staff/surveys/1/export.xlsx",
        "/staff/surveys/1/indicators",
        "/staff/consultations/1/findings",
        "/staff/surveys/1/report",
        "/staff/exports/1",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    client.cookies.clear()
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login")
    assert "spreadsheetml" not in response.headers.get("content-type", "")


def test_anonymous_posts_are_refused(client, run):
    from consult.services.consultations import by_slug

    client.cookies.clear()
    page = post_form(
        client,
        "/staff/login",
        "/staff/consultations",
        {
            "slug": "x-y",
            "title": "t",
            "city": "c",
            "run_by": "r",
            "purpose": "p",
            "data_use": "d",
            "minutes": "5",
        },
    )
    assert page.status_code == 401
    assert "Sign in to do this." in page.text
    assert run(by_slug, "x-y") is None


@pytest.mark.parametrize(
    "path",
    [
        "/staff/consultations/new",
        "/staff/surveys/1/results",
        "/staff/surveys/1/export.xlsx",
        "/staff/surveys/1/indicators",
        "/staff/consultations/1/findings",
        "/staff/surveys/1/report",
    ],
)
def test_facilitators_cannot_see_results_or_build(client, make_staff, path):
    make_staff(f"fia.{abs(hash(path))}", "facilitator")
    assert sign_in(client, f"fia.{abs(hash(path))}").status_code == 303
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 403
    assert "You cannot see this page" in response.text
    client.cookies.clear()


def test_signing_out_ends_the_session(planner_client):
    html = planner_client.get("/staff").text
    out = planner_client.post(
        "/staff/logout", data={"_csrf_token": csrf_token(html)}, follow_redirects=False
    )
    assert out.status_code == 303
    again = planner_client.get("/staff", follow_redirects=False)
    assert again.status_code == 303


def test_the_dashboard_leads_each_role_to_its_work(client, make_staff):
    make_staff("dash.planner", "planner")
    make_staff("dash.facilitator", "facilitator")
    assert sign_in(client, "dash.planner").status_code == 303
    page = client.get("/staff").text
    for href in ('href="/staff/organisations"', 'href="/staff/sessions"'):
        assert href in page
    client.cookies.clear()
    assert sign_in(client, "dash.facilitator").status_code == 303
    page = client.get("/staff").text
    assert "Your organisation&#39;s sessions" in page or "Your organisation's sessions" in page
    assert 'href="/staff/organisations"' not in page
    client.cookies.clear()


def test_a_consultation_links_to_its_strategy_and_outreach_pages(planner_client):
    page = planner_client.get("/staff/consultations/1").text
    for path in ("findings", "strategy-areas", "outreach"):
        assert f'href="/staff/consultations/1/{path}"' in page

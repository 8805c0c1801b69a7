"""The shared tablet (kiosk): a facilitator of the session's organisation starts it
and is signed out of that browser; each person's answers are stored with channel
kiosk and the session, and nothing of theirs stays; only the password ends it."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import PASSWORD, csrf_token, sign_in
from tests.integration.journey import begin, post_page, send_checked, walk
from tests.integration.test_join import answers_of, new_session, stored_responses

CODE = "KMNPQRTUVW"


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("kiosk-city")


@pytest.fixture(scope="module")
def places(run, survey) -> dict[str, int]:
    """The kiosk session of one organisation, a session on own phones, and staff."""
    from consult.services.staff import create_user
    from consult.tables import Role

    kiosk_id, organisation = new_session(run, survey, "kiosk", CODE, organisation="Mosque")
    phones_id, _ = new_session(run, survey, "own_phones", "MNPQRTUVWX", organisation="Mosque")
    _, elsewhere = new_session(run, survey, "own_phones", "NPQRTUVWXY", organisation="Club")
    run(create_user, "host", PASSWORD, Role.facilitator, organisation)
    run(create_user, "stranger", PASSWORD, Role.facilitator, elsewhere)
    run(create_user, "planner", PASSWORD, Role.planner, city="Reykjavik")
    return {"kiosk": kiosk_id, "phones": phones_id}


def _start_url(places) -> str:
    return f"/staff/sessions/{places['kiosk']}/kiosk"


def _start_kiosk(client, places, username: str = "host"):
    client.cookies.clear()
    assert sign_in(client, username).status_code == 303
    page = client.get(_start_url(places))
    assert page.status_code == 200, page.text
    return client.post(
        _start_url(places), data={"_csrf_token": csrf_token(page.text)}, follow_redirects=False
    )


def _drafts(run) -> int:
    from surveys.tables import ResumeDraft

    return run(ResumeDraft.count().run)


def test_starting_kiosk_mode_needs_a_sign_in(client, places):
    client.cookies.clear()
    page = client.get(_start_url(places), follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/staff/login")
    token = csrf_token(client.get("/staff/login").text)
    refused = client.post(_start_url(places), data={"_csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 401


def test_another_organisations_facilitator_does_not_find_the_session(client, places):
    client.cookies.clear()
    sign_in(client, "stranger")
    assert client.get(_start_url(places)).status_code == 404
    token = csrf_token(client.get("/staff/login").text)
    refused = client.post(_start_url(places), data={"_csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 404
    # Still signed in as themselves: nothing changed.
    assert client.get("/staff", follow_redirects=False).status_code == 200


def test_only_a_kiosk_session_has_kiosk_mode(client, places):
    client.cookies.clear()
    sign_in(client, "host")
    url = f"/staff/sessions/{places['phones']}/kiosk"
    page = client.get(url)
    assert page.status_code == 409
    forced = client.post(
        url,
        data={"_csrf_token": csrf_token(client.get("/staff/login").text)},
        follow_redirects=False,
    )
    assert forced.status_code == 409


def test_starting_needs_the_csrf_token(client, places):
    client.cookies.clear()
    sign_in(client, "host")
    forged = client.post(_start_url(places), follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/staff", follow_redirects=False).status_code == 200


def test_kiosk_mode_signs_the_facilitator_out_of_this_browser(client, survey, places):
    started = _start_kiosk(client, places)
    assert started.status_code == 303
    assert started.headers["location"] == survey.url
    staff = client.get("/staff", follow_redirects=False)
    assert staff.status_code == 303
    assert staff.headers["location"].startswith("/staff/login")
    # The landing page keeps a kiosk in its survey.
    landing = client.get(f"/c/{survey.slug}", follow_redirects=False)
    assert landing.headers["location"] == survey.url


def test_a_planner_can_start_a_kiosk_too(client, survey, places):
    assert _start_kiosk(client, places, "planner").status_code == 303


def test_kiosk_pages_are_kiosk_pages(client, survey, places):
    _start_kiosk(client, places)
    start = client.get(survey.url).text
    assert "Finish and clear" in start
    assert 'href="/kiosk/exit"' in start
    assert "Continue with a code you saved" not in start
    assert "/staff" not in start
    assert "kiosk.css" in start
    first = begin(client, survey.url)
    page = client.get(first).text
    # No browser suggestions of the last person's answers, no saving for later.
    assert re.search(
        r'<form method="post" action="[^"]+/pages/1" novalidate autocomplete="off"', page
    )
    assert "Save and continue later" not in page
    assert 'data-kiosk-idle="90"' in page
    assert 'data-kiosk-warning="30"' in page
    assert "Are you still there?" in page
    assert "I need more time" in page


def test_a_kiosk_response_has_channel_kiosk_and_the_session_and_leaves_nothing(
    client, run, survey, places
):
    _start_kiosk(client, places)
    check = walk(client, survey.url, answers_of(survey))
    assert _drafts(run) == 1
    sent = send_checked(client, check)
    assert sent.status_code == 303
    assert stored_responses(run, survey)[-1] == {
        "channel": "kiosk",
        "hosted_session": places["kiosk"],
    }
    assert _drafts(run) == 0
    thanks = client.get(sent.headers["location"])
    assert "the next person can start in" in thanks.text
    assert 'data-kiosk-countdown="10"' in thanks.text
    assert "Start again" in thanks.text
    # The next person starts from nothing: no answer shows, no draft to check.
    page_one = client.get(survey.page_url(1), follow_redirects=False)
    assert " checked" not in page_one.text
    assert client.get(f"{survey.url}/check", follow_redirects=False).status_code == 303
    # Still a kiosk.
    assert "Finish and clear" in client.get(survey.url).text


def test_a_kiosk_ignores_a_code_joined_on_it(client, run, survey, places):
    _start_kiosk(client, places)
    page = client.get("/join")
    client.post("/join", data={"_csrf_token": csrf_token(page.text), "code": "MNPQRTUVWX"})
    send_checked(client, walk(client, survey.url, answers_of(survey)))
    assert stored_responses(run, survey)[-1]["channel"] == "kiosk"


def test_finish_and_clear_deletes_the_draft(client, run, survey, places):
    _start_kiosk(client, places)
    first = begin(client, survey.url)
    answers = answers_of(survey)
    field = f"q{survey.question_ids['single']}"
    assert post_page(client, first, {field: answers[field]}).status_code == 303
    assert _drafts(run) == 1
    assert " checked" in client.get(survey.page_url(1)).text
    page = client.get(survey.page_url(2)).text
    cleared = client.post(
        "/kiosk/clear", data={"_csrf_token": csrf_token(page)}, follow_redirects=False
    )
    assert cleared.status_code == 303
    assert cleared.headers["location"] == survey.url
    assert _drafts(run) == 0
    assert " checked" not in client.get(survey.page_url(1)).text
    assert "Finish and clear" in client.get(survey.url).text


def test_clearing_needs_the_csrf_token(client, run, survey, places):
    _start_kiosk(client, places)
    assert client.post("/kiosk/clear", follow_redirects=False).status_code == 403


def _exit(client, password: str):
    page = client.get("/kiosk/exit")
    assert page.status_code == 200
    return client.post(
        "/kiosk/exit",
        data={"_csrf_token": csrf_token(page.text), "password": password},
        follow_redirects=False,
    )


def test_leaving_kiosk_mode_needs_the_facilitators_password(client, survey, places):
    _start_kiosk(client, places)
    wrong = _exit(client, "not the password")
    assert wrong.status_code == 422
    assert "Enter the password of the person who started kiosk mode." in wrong.text
    assert "not the password" not in wrong.text
    # Still a kiosk, still signed out.
    assert "Finish and clear" in client.get(survey.url).text
    assert client.get("/staff", follow_redirects=False).status_code == 303
    right = _exit(client, PASSWORD)
    assert right.status_code == 303
    assert right.headers["location"] == "/staff"
    assert client.get("/staff", follow_redirects=False).status_code == 200
    assert "Finish and clear" not in client.get(survey.url).text


def test_too_many_wrong_passwords_wait(client, survey, places):
    _start_kiosk(client, places, "planner")
    for _ in range(5):
        assert _exit(client, "guess").status_code == 422
    held = _exit(client, PASSWORD)
    assert held.status_code == 429
    assert int(held.headers["retry-after"]) > 0
    assert "Finish and clear" in client.get(survey.url).text


def test_the_exit_page_outside_kiosk_mode_goes_to_staff_sign_in(client, places):
    client.cookies.clear()
    assert client.get("/kiosk/exit", follow_redirects=False).headers["location"] == "/staff"


def test_the_page_cache_keeps_kiosk_pages_apart(client, survey, places):
    """A kiosk's page is never the shared copy an ordinary visitor gets, and the
    reverse: each sees their own."""
    _start_kiosk(client, places)
    first = begin(client, survey.url)
    kiosk_page = client.get(first).text
    assert "Finish and clear" in kiosk_page
    cookies = dict(client.cookies)
    client.cookies.clear()
    begin(client, survey.url)
    ordinary = client.get(first).text
    assert "Finish and clear" not in ordinary
    assert "Save and continue later" in ordinary
    client.cookies.clear()
    client.cookies.update(cookies)
    assert "Finish and clear" in client.get(first).text

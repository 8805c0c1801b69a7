"""Joining a hosted session by the code on its poster or its QR link: the response
then names the session and the channel of its mode; another consultation does not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fixtures import DemoSurvey, csrf_token
from tests.integration.journey import send_checked, walk

CODE = re.compile(r'name="code" value="([^"]*)"')


def new_session(
    run: Callable[..., Any],
    survey: DemoSurvey,
    mode: str,
    code: str,
    *,
    organisation: str = "Breiðholt Youth Centre",
    closes_at: datetime | None = None,
) -> tuple[int, int]:
    """A hosted session of `survey`'s consultation (and its organisation, made once):
    (session id, organisation id)."""
    from consult.tables import HostedSession, Organisation

    async def make() -> tuple[int, int]:
        found = await Organisation.select(Organisation.id).where(Organisation.name == organisation)
        if found:
            organisation_id = found[0]["id"]
        else:
            rows = await Organisation.insert(
                Organisation(name=organisation, kind="youth", city="Reykjavik")
            )
            organisation_id = rows[0]["id"]
        rows = await HostedSession.insert(
            HostedSession(
                consultation=survey.consultation_id,
                organisation=organisation_id,
                title=f"Session {code}",
                code=code,
                mode=mode,
                locale="en",
                closes_at=closes_at,
                created_at=datetime.now(UTC),
            )
        )
        return rows[0]["id"], organisation_id

    return run(make)


def answers_of(survey: DemoSurvey) -> dict[str, str]:
    """What one resident answers: the two required questions."""
    return {
        f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
        f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][2]),
    }


def stored_responses(run: Callable[..., Any], survey: DemoSurvey) -> list[dict[str, Any]]:
    from surveys.tables import Response

    return run(
        Response.select(Response.channel, Response.hosted_session)
        .where(Response.survey == survey.survey_id)
        .order_by(Response.id)
        .run
    )


def answer_and_send(client: Any, survey: DemoSurvey) -> None:
    check = walk(client, survey.url, answers_of(survey))
    sent = send_checked(client, check)
    assert sent.status_code == 303, sent.text


def join(client: Any, typed: str) -> Any:
    page = client.get("/join")
    return client.post(
        "/join",
        data={"_csrf_token": csrf_token(page.text), "code": typed},
        follow_redirects=False,
    )


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("join-city")


@pytest.fixture(scope="module")
def other(make_survey):
    return make_survey("join-elsewhere")


@pytest.fixture(scope="module")
def sessions(run, survey) -> dict[str, int]:
    return {
        "own_phones": new_session(run, survey, "own_phones", "ACDEFGHJKM")[0],
        "assisted": new_session(run, survey, "assisted", "CDEFGHJKMN")[0],
        "paper": new_session(run, survey, "paper", "DEFGHJKMNP")[0],
        "ended": new_session(
            run,
            survey,
            "own_phones",
            "EFGHJKMNPQ",
            closes_at=datetime.now(UTC) - timedelta(hours=1),
        )[0],
    }


def test_the_join_form_asks_for_the_code_as_typed_on_a_phone(client):
    page = client.get("/join")
    assert page.status_code == 200
    field = re.search(r'<input class="input input-code"[^>]*>', page.text)
    assert field, page.text
    for attribute in (
        'autocomplete="off"',
        'autocapitalize="characters"',
        'inputmode="text"',
        'spellcheck="false"',
    ):
        assert attribute in field.group(0)
    assert "Type the code on the poster" in page.text
    # The CSRF cookie comes with the form, as it does with the survey's.
    assert "consult_csrf" in page.headers.get("set-cookie", "")


def test_a_typed_code_in_lower_case_with_spaces_and_dashes_joins(client, run, survey, sessions):
    client.cookies.clear()
    joined = join(client, "  acd-efg hjkm ")
    assert joined.status_code == 303
    assert joined.headers["location"] == survey.url
    answer_and_send(client, survey)
    assert stored_responses(run, survey)[-1] == {
        "channel": "web",
        "hosted_session": sessions["own_phones"],
    }


def test_the_qr_link_joins_and_an_assisted_session_records_its_channel(
    client, run, survey, sessions
):
    client.cookies.clear()
    joined = client.get("/j/CDEFGHJKMN", follow_redirects=False)
    assert joined.status_code == 303
    assert joined.headers["location"] == survey.url
    answer_and_send(client, survey)
    assert stored_responses(run, survey)[-1] == {
        "channel": "assisted",
        "hosted_session": sessions["assisted"],
    }


def test_a_paper_sessions_code_joins_as_own_phones(client, run, survey, sessions):
    """Paper forms are entered by staff elsewhere; someone who scans a paper
    session's poster answers on their own phone, for that session."""
    client.cookies.clear()
    assert client.get("/j/defghjkmnp", follow_redirects=False).status_code == 303
    answer_and_send(client, survey)
    assert stored_responses(run, survey)[-1] == {
        "channel": "web",
        "hosted_session": sessions["paper"],
    }


def test_a_wrong_code_is_refused_with_a_message_and_the_value_kept(client, sessions):
    client.cookies.clear()
    refused = join(client, "acd-efg-hjkx")
    assert refused.status_code == 422
    assert "No session has this code" in refused.text
    assert CODE.search(refused.text).group(1) == "acd-efg-hjkx"
    assert refused.text.count('aria-invalid="true"') == 1
    assert "<title>Error:" in refused.text


def test_a_code_that_cannot_be_one_and_an_empty_one_are_refused(client, sessions):
    client.cookies.clear()
    not_a_code = join(client, "<b>0O1IL</b>")
    assert not_a_code.status_code == 422
    assert "&lt;b&gt;0O1IL&lt;/b&gt;" in not_a_code.text
    empty = join(client, "   ")
    assert empty.status_code == 422
    assert "Enter the code on the poster" in empty.text


def test_the_qr_link_of_a_wrong_code_shows_the_form_with_the_error(client, sessions):
    client.cookies.clear()
    refused = client.get("/j/ACDEFGHJKX", follow_redirects=False)
    assert refused.status_code == 422
    assert "No session has this code" in refused.text
    assert CODE.search(refused.text).group(1) == "ACDEFGHJKX"


def test_an_ended_session_says_so_and_offers_the_consultation(client, survey, sessions):
    client.cookies.clear()
    ended = join(client, "EFG-HJK-MNPQ")
    assert ended.status_code == 410
    assert "This session has ended" in ended.text
    assert f'href="/c/{survey.slug}"' in ended.text
    assert client.get("/j/EFGHJKMNPQ", follow_redirects=False).status_code == 410


def test_a_session_is_not_carried_into_another_consultation(client, run, survey, other, sessions):
    client.cookies.clear()
    assert join(client, "ACDEFGHJKM").status_code == 303
    answer_and_send(client, other)
    assert stored_responses(run, other)[-1] == {"channel": "web", "hosted_session": None}
    # Still joined for its own consultation.
    answer_and_send(client, survey)
    assert stored_responses(run, survey)[-1]["hosted_session"] == sessions["own_phones"]


def test_without_joining_a_response_names_no_session(client, run, survey):
    client.cookies.clear()
    answer_and_send(client, survey)
    assert stored_responses(run, survey)[-1] == {"channel": "web", "hosted_session": None}


def test_joining_needs_the_csrf_token(client, sessions):
    client.cookies.clear()
    client.get("/join")
    forged = client.post("/join", data={"code": "ACDEFGHJKM"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "location" not in forged.headers


def test_the_session_cookie_holds_no_code_and_the_page_no_session_id(client, sessions):
    client.cookies.clear()
    joined = join(client, "ACDEFGHJKM")
    cookie = joined.headers.get("set-cookie", "")
    assert "ACDEFGHJKM" not in cookie
    assert "consult_session" in cookie

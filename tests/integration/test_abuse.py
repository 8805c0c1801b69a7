"""Abuse without a CAPTCHA: a filled honeypot, a survey sent faster than a person
reads, a second response from one browser, a fourth from one address, too many from
one address or session, a spike, copied text. Each is stored but held for review
(status quarantined, the reasons in flags), counted nowhere, and the resident sees
the ordinary thank-you page; a flood from one address gets 429 and keeps the answers.
A hosted session's people, on one Wi-Fi, are not held for sharing it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.fixtures import client_with_abuse_checks, csrf_token, page_text
from tests.integration.journey import check_form, send_checked, walk
from tests.integration.test_join import join, new_session

# Sent by the tests to say which address a request comes from; the wrapper below
# makes it the client address the app sees, as a reverse proxy's would be.
ADDRESS_HEADER = "x-test-client-address"
THANKS = "Your answers have been received"


def _named_address(scope: dict[str, Any]) -> str:
    """The address a request's ADDRESS_HEADER names (the test client's otherwise)."""
    for name, value in scope["headers"]:
        if name.decode() == ADDRESS_HEADER:
            return value.decode()
    return scope["client"][0]


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    """The app with the abuse checks on, seeing the address each request names."""
    with client_with_abuse_checks(_named_address) as test_client:
        yield test_client


@pytest.fixture
def unhurried(monkeypatch):
    """No minimum time: the tests below are about something else, and no test waits."""
    from surveys.abuse import _signals

    monkeypatch.setattr(_signals, "SECONDS_PER_PAGE", 0)


def as_from(client: TestClient, address: str, fresh_browser: bool = True) -> TestClient:
    """The client as a browser at `address` (a new browser unless told otherwise)."""
    if fresh_browser:
        client.cookies.clear()
    client.headers[ADDRESS_HEADER] = address
    return client


def answers(survey, text: str | None = None) -> dict[str, str]:
    chosen = {
        f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
        f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][2]),
    }
    if text is not None:
        chosen[f"q{survey.question_ids['text']}"] = text
    return chosen


def respond(client: TestClient, survey, text: str | None = None, **extra: str) -> Any:
    """The whole journey, then "Send my answers" (with `extra` fields, if any)."""
    check = walk(client, survey.url, answers(survey, text))
    if not extra:
        return send_checked(client, check)
    html = client.get(check).text
    data: dict[str, Any] = {**check_form(html), **extra, "_csrf_token": csrf_token(html)}
    return client.post(check.rsplit("/check", 1)[0] + "/submit", data=data, follow_redirects=False)


def latest(run, survey) -> dict[str, Any]:
    from surveys.tables import Response

    rows = run(
        Response.select(Response.status, Response.flags, Response.text_digest)
        .where(Response.survey == survey.survey_id)
        .order_by(Response.id, ascending=False)
        .limit(1)
        .run
    )
    return rows[0]


def counted(run, survey) -> int:
    from surveys import tally

    return run(tally.read, survey.survey_id).responses


def assert_thanked(client: TestClient, sent: Any) -> None:
    assert sent.status_code == 303, sent.text[:500]
    thanks = client.get(sent.headers["location"])
    assert thanks.status_code == 200
    assert THANKS in thanks.text
    for word in ("review", "quarantine", "suspicious", "held"):
        assert word not in page_text(thanks.text).lower()


def test_a_person_who_takes_their_time_is_counted(client, run, make_survey, unhurried):
    survey = make_survey("abuse-person")
    sent = respond(as_from(client, "198.51.100.1"), survey, "I would like safer bus stops.")
    assert_thanked(client, sent)
    assert latest(run, survey)["status"] == "complete"
    assert latest(run, survey)["flags"] == ""
    assert counted(run, survey) == 1


def test_the_honeypot_filled_is_held_and_thanked_like_anyone(client, run, make_survey, unhurried):
    from surveys.abuse import HONEYPOT_FIELD

    survey = make_survey("abuse-honeypot")
    page = walk(as_from(client, "198.51.100.2"), survey.url, answers(survey))
    html = client.get(page).text
    # The field is there, out of sight and reach: hidden from screen readers, not
    # in the tab order, never autofilled, and labelled all the same.
    field = html.split(f'name="{HONEYPOT_FIELD}"')[1].split(">")[0]
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    assert f'<label for="{HONEYPOT_FIELD}">' in html
    assert '<div class="visually-hidden" aria-hidden="true">' in html
    sent = respond(as_from(client, "198.51.100.2"), survey, **{HONEYPOT_FIELD: "http://spam"})
    assert_thanked(client, sent)
    assert latest(run, survey)["status"] == "quarantined"
    assert latest(run, survey)["flags"] == "honeypot"
    assert counted(run, survey) == 0


def test_a_survey_sent_faster_than_anyone_reads_is_held(client, run, make_survey):
    survey = make_survey("abuse-fast")
    # Five pages in well under 15 seconds: a script.
    sent = respond(as_from(client, "198.51.100.3"), survey)
    assert_thanked(client, sent)
    assert latest(run, survey)["flags"] == "too_fast"
    # Sent straight to the form's address without ever starting: held the same.
    direct = as_from(client, "198.51.100.4")
    token = csrf_token(direct.get("/staff/login").text)
    sent = direct.post(
        survey.submit_url,
        data={"_csrf_token": token, "idempotency_key": "k" * 32, **answers(survey)},
        follow_redirects=False,
    )
    assert_thanked(client, sent)
    assert latest(run, survey)["flags"] == "too_fast"
    assert counted(run, survey) == 0


def test_a_second_response_from_one_browser_is_held(client, run, make_survey, unhurried):
    survey = make_survey("abuse-browser")
    browser = as_from(client, "198.51.100.5")
    assert_thanked(client, respond(browser, survey))
    assert latest(run, survey)["status"] == "complete"
    again = respond(as_from(client, "198.51.100.5", fresh_browser=False), survey)
    assert_thanked(client, again)
    assert latest(run, survey)["status"] == "quarantined"
    assert latest(run, survey)["flags"] == "repeat_browser"
    # Another survey from the same browser is a first response there.
    other = make_survey("abuse-browser-other")
    assert_thanked(client, respond(as_from(client, "198.51.100.5", fresh_browser=False), other))
    assert latest(run, other)["status"] == "complete"
    assert counted(run, survey) == 1


def test_a_household_answers_from_one_address_and_a_fourth_is_held(
    client, run, make_survey, unhurried
):
    survey = make_survey("abuse-household")
    for person in range(3):
        assert_thanked(client, respond(as_from(client, "198.51.100.6"), survey))
        assert latest(run, survey)["status"] == "complete", person
    assert_thanked(client, respond(as_from(client, "198.51.100.6"), survey))
    assert latest(run, survey)["flags"] == "repeat_address"
    assert counted(run, survey) == 3


def test_a_youth_clubs_wifi_and_shared_phone_are_not_held(client, run, make_survey, unhurried):
    """A hosted session: many people on one network, some on one phone."""
    survey = make_survey("abuse-youth-club")
    new_session(run, survey, "own_phones", "HJKMNPQRST")
    phone = as_from(client, "198.51.100.7")
    for person in range(5):
        assert join(phone, "HJKMNPQRST").status_code == 303
        assert_thanked(client, respond(phone, survey))
        row = latest(run, survey)
        assert (row["status"], row["flags"]) == ("complete", ""), person
    assert counted(run, survey) == 5
    # Still one session in the phone's browser: more than five an hour is a lot.
    assert_thanked(client, respond(phone, survey))
    assert latest(run, survey)["flags"] == "rate"


def test_too_many_from_one_address_are_held_for_review(
    client, run, make_survey, unhurried, monkeypatch
):
    from consult.services.rate_limits import Limit
    from surveys.abuse import _judge

    monkeypatch.setattr(_judge, "PER_ADDRESS", Limit("test:address", 2, timedelta(minutes=10)))
    surveys = [make_survey(f"abuse-rate-{n}") for n in range(3)]
    for survey in surveys:
        assert_thanked(client, respond(as_from(client, "198.51.100.8"), survey))
    assert [latest(run, s)["flags"] for s in surveys] == ["", "", "rate"]


def _spike_limit(monkeypatch, per_minute: int) -> None:
    from consult.settings import get_settings
    from surveys.abuse import _judge

    settings = replace(get_settings(), spike_per_minute=per_minute)
    monkeypatch.setattr(_judge, "get_settings", lambda: settings)


def test_a_spike_is_held_for_review(client, run, make_survey, unhurried, monkeypatch):
    _spike_limit(monkeypatch, 2)
    survey = make_survey("abuse-spike")
    flags = []
    for n in range(3):
        assert_thanked(client, respond(as_from(client, f"198.51.100.{20 + n}"), survey))
        flags.append(latest(run, survey)["flags"])
    assert flags == ["", "", "spike"]


def test_a_spike_counts_every_writer_shard(client, run, make_survey, unhurried, monkeypatch):
    """Batches written at once count in shards of their own (on PostgreSQL several per
    process, and another process's): the limit is judged on their sum."""
    from surveys.abuse import _judge

    _spike_limit(monkeypatch, 3)
    survey = make_survey("abuse-spike-shards")
    flags = []
    for n in range(4):
        monkeypatch.setattr(_judge, "writer_shard", lambda n=n: n % 2)
        assert_thanked(client, respond(as_from(client, f"198.51.100.{40 + n}"), survey))
        flags.append(latest(run, survey)["flags"])
    assert flags == ["", "", "", "spike"]


def test_the_spike_check_can_be_turned_off(client, run, make_survey, unhurried, monkeypatch):
    # CONSULT_SPIKE_PER_MINUTE=0: no limit, rather than a limit of none a minute.
    _spike_limit(monkeypatch, 0)
    survey = make_survey("abuse-spike-off")
    for n in range(3):
        assert_thanked(client, respond(as_from(client, f"198.51.100.{50 + n}"), survey))
        assert latest(run, survey)["flags"] == ""


def test_copied_text_is_held_and_short_answers_alike_are_not(client, run, make_survey, unhurried):
    survey = make_survey("abuse-copies")
    text = "Please put street lights on the path along Fairview Road now!"
    assert_thanked(client, respond(as_from(client, "198.51.100.30"), survey, text))
    first = latest(run, survey)
    assert first["status"] == "complete"
    assert len(first["text_digest"]) == 32
    # The same words, shouting, with other spaces and digits: a copy.
    copy = "PLEASE put street lights on the path, along   Fairview Road NOW 2024!!!"
    assert_thanked(client, respond(as_from(client, "198.51.100.31"), survey, copy))
    assert latest(run, survey)["flags"] == "duplicate_text"
    for n in range(2):
        assert_thanked(
            client, respond(as_from(client, f"198.51.100.{32 + n}"), survey, "More police.")
        )
        assert latest(run, survey)["flags"] == ""
        assert latest(run, survey)["text_digest"] == ""
    assert counted(run, survey) == 3


def test_a_flood_is_refused_with_429_and_the_answers_kept(
    client, run, make_survey, unhurried, monkeypatch
):
    from consult.services.rate_limits import Limit
    from surveys.abuse import _judge
    from surveys.tables import Response, ResumeDraft

    monkeypatch.setattr(_judge, "FLOOD_PER_ADDRESS", Limit("test:flood", 1, timedelta(hours=1)))
    survey = make_survey("abuse-flood")
    assert_thanked(client, respond(as_from(client, "198.51.100.40"), survey))
    flooder = as_from(client, "198.51.100.40")
    refused = respond(flooder, survey, "My street is not safe at night.")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    said = page_text(refused.text)
    assert "Your answers have not been sent yet" in said
    assert "Wait 60 minutes" in said or "Wait 59 minutes" in said
    # Their answers are still on the page, ready to send again, and in the draft.
    assert "My street is not safe at night." in said
    assert 'name="idempotency_key"' in refused.text
    assert run(Response.count().where(Response.survey == survey.survey_id).run) == 1
    assert run(ResumeDraft.count().where(ResumeDraft.survey == survey.survey_id).run) == 1


def test_a_retried_form_counts_nothing_twice(client, run, make_survey, unhurried):
    from surveys.tables import Response

    survey = make_survey("abuse-retry")
    browser = as_from(client, "198.51.100.50")
    check = walk(browser, survey.url, answers(survey))
    html = browser.get(check).text
    data = {**check_form(html), "_csrf_token": csrf_token(html)}
    submit = check.rsplit("/check", 1)[0] + "/submit"
    for _ in range(3):
        assert browser.post(submit, data=data, follow_redirects=False).status_code == 303
    rows = run(
        Response.select(Response.status, Response.flags)
        .where(Response.survey == survey.survey_id)
        .run
    )
    assert rows == [{"status": "complete", "flags": ""}]


def test_traces_are_keyed_hashes_of_the_day_and_old_ones_go(client, run, make_survey, unhurried):
    from consult.services import rate_limits
    from consult.tables import RateLimit
    from surveys import abuse
    from surveys.abuse import _judge
    from surveys.tables import SubmissionTrace

    survey = make_survey("abuse-traces")
    old = datetime.now(UTC) - abuse.TRACES_KEPT - timedelta(hours=2)
    run(
        SubmissionTrace.insert(
            SubmissionTrace(survey=survey.survey_id, kind="address", key="0" * 64, created_at=old)
        ).run
    )
    run(
        RateLimit.insert(
            RateLimit(key="f" * 64, window_start=datetime.now(UTC) - timedelta(days=2), hits=9)
        ).run
    )
    _judge._last_pruned.clear()  # this process's hourly turn has come
    assert_thanked(client, respond(as_from(client, "198.51.100.60"), survey))
    # The old trace and a counter of two days ago are gone; today's are there.
    assert not run(RateLimit.exists().where(RateLimit.key == "f" * 64).run)
    rows = run(
        SubmissionTrace.select(SubmissionTrace.kind, SubmissionTrace.key)
        .where(SubmissionTrace.survey == survey.survey_id)
        .run
    )
    assert sorted(row["kind"] for row in rows) == ["address", "browser"]
    today = rate_limits.key_for(f"trace:address:{survey.survey_id}", "198.51.100.60")
    yesterday = rate_limits.key_for(
        f"trace:address:{survey.survey_id}",
        "198.51.100.60",
        day=datetime.now(UTC).date() - timedelta(days=1),
    )
    assert today in {row["key"] for row in rows}
    assert yesterday != today
    for row in rows:
        assert "198.51.100.60" not in row["key"]

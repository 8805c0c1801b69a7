"""Held responses, as planners see them: apart from the results (which say how many
are held and link to them), each with when, how and why, and its answers with free
text redacted; "Count it" adds one to the results at once, "Keep out" leaves it
stored and uncounted. Exports leave held responses out. Other cities' planners and
facilitators find nothing."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token, page_text, send_survey, signed_in_as
from tests.integration.test_export import export

HONEYPOT = "homepage"  # surveys.abuse.HONEYPOT_FIELD
SECRET_EMAIL = "jon.jonsson@example.is"


def _answers(survey, text: str) -> dict[str, str]:
    return {
        f"q{survey.question_ids['single']}": str(survey.option_ids["single"][1]),
        f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
        f"q{survey.question_ids['text']}": text,
    }


@pytest.fixture(scope="module")
def world(client, make_survey, make_staff):
    survey = make_survey("held-city")
    make_staff("held.planner", "planner")
    make_staff("held.elsewhere", "planner", city="Oslo")
    make_staff("held.facilitator", "facilitator")
    signed_in_as(client, None)
    # Two people, counted.
    for text in ("Better lighting in the park.", "More youth workers."):
        assert send_survey(client, survey.submit_url, _answers(survey, text)).status_code == 303
    # Three bots that filled the honeypot: stored, held, thanked like anyone.
    for n in range(3):
        text = f"Write to me at {SECRET_EMAIL} number {n}"
        sent = send_survey(
            client, survey.submit_url, {**_answers(survey, text), HONEYPOT: "http://x.example"}
        )
        assert sent.status_code == 303
        assert sent.headers["location"].endswith("/thanks")
    return survey


def _held_ids(run, survey, kept_out: bool | None = None) -> list[int]:
    from surveys.tables import Response

    rows = run(
        Response.select(Response.id, Response.flags)
        .where((Response.survey == survey.survey_id) & (Response.status == "quarantined"))
        .order_by(Response.id)
        .run
    )
    if kept_out is not None:
        rows = [row for row in rows if ("kept_out" in row["flags"]) == kept_out]
    return [row["id"] for row in rows]


def _counted(run, survey) -> int:
    from surveys import tally

    return run(tally.read, survey.survey_id).responses


def _review_url(survey) -> str:
    return f"/staff/surveys/{survey.survey_id}/quarantine"


def _press(client, survey, response_id: int, action: str):
    page = client.get(_review_url(survey))
    return client.post(
        f"{_review_url(survey)}/{response_id}/{action}",
        data={"_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )


def test_held_responses_are_not_counted_and_the_results_say_so(client, run, world):
    assert _counted(run, world) == 2
    assert len(_held_ids(run, world)) == 3
    signed_in_as(client, "held.planner")
    results = client.get(f"/staff/surveys/{world.survey_id}/results")
    assert results.status_code == 200
    assert "3 responses held for review" in page_text(results.text)
    assert f'href="{_review_url(world)}"' in results.text


def test_the_review_page_shows_when_how_why_and_the_answers_redacted(client, run, world):
    signed_in_as(client, "held.planner")
    page = client.get(_review_url(world))
    assert page.status_code == 200
    said = page_text(page.text)
    assert "3 responses waiting for review" in said
    assert said.count("filled in a field that only automated programs see") == 3
    assert "Own device" in said
    assert re.search(r"between \d\d:00 and \d\d:59 on [A-Z][a-z]{2} \d{1,2}, \d{4}", said)
    # The answers as the respondent chose them, free text without the email in it.
    assert "Do you feel safe?" in said
    assert "No" in said
    assert "Write to me at [email] number 0" in said
    assert SECRET_EMAIL not in page.text


def test_count_it_adds_the_response_to_the_results_at_once(client, run, world):
    signed_in_as(client, "held.planner")
    first = _held_ids(run, world)[0]
    pressed = _press(client, world, first, "count")
    assert pressed.status_code == 303
    assert "The response is counted." in page_text(client.get(pressed.headers["location"]).text)
    assert _counted(run, world) == 3
    results = page_text(client.get(f"/staff/surveys/{world.survey_id}/results").text)
    assert "2 responses held for review" in results
    # Pressed again (a second tab, a double tap): nothing is counted twice.
    assert _press(client, world, first, "count").status_code == 404
    assert _counted(run, world) == 3


def test_count_it_keeps_the_tally_exact(client, run, world):
    """The counts the results read equal the counts made afresh from the answers."""
    from surveys import tally

    before = run(tally.read, world.survey_id).cells
    run(tally.rebuild, world.survey_id)
    assert run(tally.read, world.survey_id).cells == before


def test_keep_out_keeps_it_stored_and_uncounted(client, run, world):
    from surveys.tables import Response

    signed_in_as(client, "held.planner")
    second = _held_ids(run, world, kept_out=False)[0]
    pressed = _press(client, world, second, "keep-out")
    assert pressed.status_code == 303
    page = page_text(client.get(pressed.headers["location"]).text)
    assert "The response is kept out." in page
    assert "1 response waiting for review" in page
    assert "1 response kept out" in page
    assert _counted(run, world) == 3
    stored = run(Response.select(Response.status).where(Response.id == second).first().run)
    assert stored == {"status": "quarantined"}
    assert _held_ids(run, world, kept_out=True) == [second]
    # Kept out is not forever: the planner may count it after all.
    assert _press(client, world, second, "count").status_code == 303
    assert _counted(run, world) == 4


def test_the_buttons_need_the_csrf_token(client, run, world):
    signed_in_as(client, "held.planner")
    last = _held_ids(run, world, kept_out=False)[0]
    for action in ("count", "keep-out"):
        forged = client.post(f"{_review_url(world)}/{last}/{action}", follow_redirects=False)
        assert forged.status_code == 403
    assert _counted(run, world) == 4


def test_another_citys_planner_and_a_facilitator_find_nothing(client, run, world):
    last = _held_ids(run, world, kept_out=False)[0]
    for who, expected in (("held.elsewhere", 404), ("held.facilitator", 403)):
        signed_in_as(client, who)
        assert client.get(_review_url(world)).status_code == expected, who
        token = csrf_token(client.get("/staff").text)
        pressed = client.post(
            f"{_review_url(world)}/{last}/count",
            data={"_csrf_token": token},
            follow_redirects=False,
        )
        assert pressed.status_code == expected, who
    assert _counted(run, world) == 4


def test_a_response_of_another_survey_is_not_found_here(client, run, world, make_survey):
    other = make_survey("held-other")
    signed_in_as(client, None)
    send_survey(client, other.submit_url, {**_answers(other, "x"), HONEYPOT: "bot"})
    theirs = _held_ids(run, other)[0]
    signed_in_as(client, "held.planner")
    assert _press(client, world, theirs, "count").status_code == 404
    assert _held_ids(run, other) == [theirs]


def test_exports_leave_held_responses_out(client, run, world):
    """The CSV a planner downloads has the counted responses and none held."""
    signed_in_as(client, "held.planner")
    csv = export(client, world.survey_id, "csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "Better lighting in the park." in text
    # The one counted with "Count it" is in; the one still held is not.
    assert "number 0" in text
    held = _held_ids(run, world, kept_out=False)
    assert len(held) == 1
    assert "number 2" not in text


def test_every_decision_on_a_held_response_is_in_the_audit_log(client, run, world):
    """Counting or keeping out a response changes the results: who did it is kept
    (after the tests above counted two and kept one out)."""
    from consult.tables import AuditEvent

    events = run(
        AuditEvent.select(AuditEvent.action, AuditEvent.object_id, AuditEvent.actor.username)
        .where(AuditEvent.object_type == "response")
        .run
    )
    actions = sorted(event["action"] for event in events)
    assert actions == ["count_held", "count_held", "keep_out_held"]
    assert {event["actor.username"] for event in events} == {"held.planner"}

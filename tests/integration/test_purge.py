"""Retention: a consultation past its retention date loses its responses, and
everything drawn from them, to `consult purge` and to the app's daily purge; the
results then count nothing of them, and the operator reads what went."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.fixtures import consult_cli, page_text, post_form, send_survey, signed_in_as

OLD = "purge-expired"
KEPT = "purge-kept"
PLANNER = "purge-planner"


def _answers(survey, number: int) -> dict[str, str]:
    ids, options = survey.question_ids, survey.option_ids
    return {
        f"q{ids['single']}": str(options["single"][number % 3]),
        f"q{ids['scale']}": str(options["scale"][1]),
        f"q{ids['text']}": f"Purge me, answer {number}: the bus stop at night.",
    }


def _send(client, survey, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        assert send_survey(client, survey.submit_url, _answers(survey, number)).status_code == 303


def _retain(run, consultation_id: int, until: date | None) -> None:
    from consult.services import consultations, purge

    consultation = run(consultations.by_id, consultation_id)
    run(purge.set_retention, consultation, until)


async def _stored(survey_id: int) -> dict[str, int]:
    """What is left of a survey's respondents' words and counts."""
    from analysis.tables import Quote, TextAnswer
    from surveys import tally
    from surveys.tables import Answer, PendingText, Response, ResumeDraft

    return {
        "responses": await Response.count().where(Response.survey == survey_id),
        "answers": await Answer.count().where(Answer.response.survey == survey_id),
        "text": await TextAnswer.count().where(TextAnswer.question.survey == survey_id),
        "quotes": await Quote.count().where(Quote.text_answer.question.survey == survey_id),
        "pending": await PendingText.count().where(PendingText.answer.question.survey == survey_id),
        "drafts": await ResumeDraft.count().where(ResumeDraft.survey == survey_id),
        "tally": (await tally.read(survey_id)).responses,
        "tally_cells": sum((await tally.read(survey_id)).cells.values()),
    }


async def _draft(survey_id: int, token: str, expires_in: timedelta) -> None:
    from surveys.tables import ResumeDraft

    await ResumeDraft.insert(
        ResumeDraft(
            survey=survey_id,
            token_hash=token * 64,
            sealed=b"sealed",
            saved=False,
            expires_at=datetime.now(UTC) + expires_in,
        )
    )


async def _approve_a_quote(survey_id: int) -> None:
    from analysis import jobs, quotes
    from analysis.tables import TextAnswer

    await jobs.analyse_all_pending()
    row = (
        await TextAnswer.select(TextAnswer.id)
        .where(TextAnswer.question.survey == survey_id)
        .first()
    )
    await quotes.approve(row["id"])


@pytest.fixture(scope="module")
def surveys(client, make_survey, run):
    old, kept = make_survey(OLD), make_survey(KEPT)
    _send(client, old, 6)
    _send(client, kept, 3)
    run(_approve_a_quote, old.survey_id)
    _send(client, old, 1, first=6)
    run(_draft, old.survey_id, "a", timedelta(days=20))  # saved to continue, still unexpired
    run(_draft, kept.survey_id, "b", timedelta(hours=-1))
    yesterday = date.today() - timedelta(days=2)
    _retain(run, old.consultation_id, yesterday)
    _retain(run, kept.consultation_id, date.today() + timedelta(days=365))
    return old, kept


def test_purge_deletes_what_is_past_retention_and_says_so(surveys, run):
    from consult.tables import AuditEvent

    old, kept = surveys
    before = run(_stored, old.survey_id)
    assert (before["responses"], before["quotes"], before["tally"], before["drafts"]) == (
        7,
        1,
        7,
        1,
    )
    kept_before = run(_stored, kept.survey_id)

    done = consult_cli("purge")

    assert done.returncode == 0, done.stderr
    until = (date.today() - timedelta(days=2)).isoformat()
    assert done.stdout.strip() == (
        f"Deleted 7 responses of 'Consultation {OLD}' (retained until {until}); 1 expired draft."
    )
    assert run(_stored, old.survey_id) == dict.fromkeys(before, 0), "nothing of them is left"
    assert run(_stored, kept.survey_id) == {**kept_before, "drafts": 0}, (
        "a consultation still retained keeps everything but its expired draft"
    )
    details = {
        row["action"]: row["detail"]
        for row in run(AuditEvent.select(AuditEvent.action, AuditEvent.detail).run)
    }
    assert details["purge_responses"] == f"7 responses, retained until {until}"
    assert details["purge"].startswith("Deleted 7 responses")


def test_a_second_purge_finds_nothing(surveys):
    done = consult_cli("purge")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("No responses were past their retention date; 0 expired drafts.")


def test_the_app_purges_once_a_day_whichever_process_takes_it(client, surveys, run):
    from consult import retention
    from consult.background import BackgroundLoop
    from consult.tables import AuditEvent

    old, _ = surveys
    assert isinstance(retention.purge_worker(), BackgroundLoop)
    _send_while_open(client, run, old, 4)
    # As if the last purge were long ago: two processes reach the day's purge at once.
    run(AuditEvent.delete().where(AuditEvent.action == "purge").run)

    async def two_processes() -> list[bool]:
        return list(await asyncio.gather(retention.daily_purge(), retention.daily_purge()))

    assert sorted(run(two_processes)) == [False, True], "exactly one of them purges"
    assert run(_stored, old.survey_id)["responses"] == 0
    assert run(AuditEvent.count().where(AuditEvent.action == "purge").run) == 1
    detail = run(
        AuditEvent.select(AuditEvent.detail).where(AuditEvent.action == "purge").first().run
    )
    assert detail["detail"].startswith("Deleted 4 responses of")

    _send_while_open(client, run, old, 2)
    assert run(retention.daily_purge) is False, "not again on the same day"
    assert run(_stored, old.survey_id)["responses"] == 2


def _send_while_open(client, run, survey, count: int) -> None:
    """Answers to a consultation past retention (still open, as a mistake would leave it)."""
    _send(client, survey, count, first=100)
    assert run(_stored, survey.survey_id)["responses"] >= count


def test_a_planner_sets_the_retention_date(client, surveys, make_staff, run):
    from consult.services import consultations

    _, kept = surveys
    make_staff(PLANNER, "planner")
    signed_in_as(client, PLANNER)
    page = f"/staff/consultations/{kept.consultation_id}"
    assert "Keep the responses until" in page_text(client.get(page).text)

    wrong = post_form(client, page, f"{page}/retention", {"retain_until": "30.11.2027"})
    assert wrong.status_code == 422
    assert "Enter a date like 2027-11-30, or leave it empty." in page_text(wrong.text)
    assert 'value="30.11.2027"' in wrong.text, "what was typed is kept"

    saved = post_form(client, page, f"{page}/retention", {"retain_until": "2027-11-30"})
    assert saved.status_code == 303
    assert run(consultations.by_id, kept.consultation_id).retain_until == date(2027, 11, 30)
    assert 'value="2027-11-30"' in client.get(page).text

    cleared = post_form(client, page, f"{page}/retention", {"retain_until": ""})
    assert cleared.status_code == 303
    assert run(consultations.by_id, kept.consultation_id).retain_until is None

"""Background jobs any worker can take (consult.jobs): a job one worker claims is
not claimed by another, a job whose worker died is taken again once its lease
runs out, a job that keeps failing is failed with its error after its attempts,
the day's purge runs once however many workers ask, and text answers are analysed
once with two workers at it, on SQLite and PostgreSQL.

"Two workers" are two claims or passes running side by side in this process: on
PostgreSQL each has a connection and a transaction of its own, as two app
processes would (tests/durability/test_two_servers.py runs two real servers). The
app here runs no job or text worker of its own, so nothing is taken behind a
test's back.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from litestar.testing import TestClient

from tests.conftest import ENGINE, POSTGRES_URL
from tests.fixtures import page_text, send_survey, signed_in_as

PLANNER = "queue.planner"
ADMIN = "queue.admin"


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    from consult.app import create_app
    from consult.settings import get_settings

    app = create_app(replace(get_settings(), job_worker=False, text_worker=False))
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def staff(make_staff) -> dict[str, int]:
    return {PLANNER: make_staff(PLANNER, "planner"), ADMIN: make_staff(ADMIN, "admin")}


@pytest.fixture(scope="module")
def survey(make_survey, client):
    survey = make_survey("job-queue")
    for number in range(3):
        _send(client, survey, f"The park at night, answer {number}.")
    return survey


def _send(client, survey, text: str) -> None:
    ids, options = survey.question_ids, survey.option_ids
    form = {
        f"q{ids['single']}": str(options["single"][0]),
        f"q{ids['scale']}": str(options["scale"][1]),
        f"q{ids['text']}": text,
    }
    assert send_survey(client, survey.submit_url, form).status_code == 303


def _queue_export(run, survey, staff) -> int:
    from analysis import export_queue

    return run(export_queue.queue_export, survey.survey_id, "csv", "en", staff[PLANNER])


def _job(run, job_id: int) -> dict:
    from consult.tables import Job

    return run(Job.select().where(Job.id == job_id).first().run)


def _finish_exports(run) -> None:
    """Run what is still queued, so that each test starts with an empty queue."""
    from analysis import export_jobs

    while run(export_jobs.run_next):
        pass


def _job_page(client, job_id: int) -> str:
    signed_in_as(client, PLANNER)
    page = client.get(f"/staff/exports/{job_id}")
    assert page.status_code == 200
    return page_text(page.text)


def test_parallel_claims_take_each_job_once(client, run, survey, staff):
    from analysis import export_jobs

    queued = [_queue_export(run, survey, staff) for _ in range(4)]

    async def six_workers() -> list:
        return list(await asyncio.gather(*(export_jobs.claim_next() for _ in range(6))))

    claims = run(six_workers)
    taken = [claim.id for claim in claims if claim is not None]
    assert sorted(taken) == queued, "each job claimed by exactly one worker"
    assert claims.count(None) == 2
    assert {_job(run, job_id)["attempts"] for job_id in queued} == {1}
    assert run(export_jobs.claim_next) is None, "a claimed job is no one else's"
    for claim in claims:
        if claim is not None:
            run(export_jobs.run_claimed, claim)
    for job_id in queued:
        assert "Ready to download" in _job_page(client, job_id)


@pytest.mark.postgres_only
@pytest.mark.skipif(ENGINE != "postgres", reason="row locks of another connection")
def test_a_job_another_transaction_is_claiming_is_skipped_not_waited_for(
    client, run, survey, staff
):
    """Another process's claim, caught between its select and its commit, holds
    the oldest job's row: this claim takes the next job at once."""
    import asyncpg

    from analysis import export_jobs

    first, second = _queue_export(run, survey, staff), _queue_export(run, survey, staff)

    async def claim_beside_a_claiming_transaction() -> tuple:
        other = await asyncpg.connect(POSTGRES_URL)
        try:
            claiming = other.transaction()
            await claiming.start()
            await other.execute("SELECT id FROM job WHERE id = $1 FOR UPDATE", first)
            beside = await asyncio.wait_for(export_jobs.claim_next(), timeout=5)
            nothing_more = await asyncio.wait_for(export_jobs.claim_next(), timeout=5)
            await claiming.rollback()
        finally:
            await other.close()
        return beside, nothing_more, await export_jobs.claim_next()

    beside, nothing_more, after = run(claim_beside_a_claiming_transaction)
    assert beside.id == second
    assert nothing_more is None
    assert after.id == first, "free again once the other transaction ended"
    run(export_jobs.run_claimed, beside)
    run(export_jobs.run_claimed, after)


def test_a_job_whose_lease_ran_out_is_taken_again_and_completes(client, run, survey, staff):
    from analysis import export_jobs
    from consult import jobs

    job_id = _queue_export(run, survey, staff)
    now = datetime.now(UTC)
    dead = run(export_jobs.claim_next, now)  # taken, then its process dies
    assert (dead.id, dead.attempt) == (job_id, 1)
    assert run(export_jobs.claim_next, now + jobs.LEASE / 2) is None, "its lease still holds"
    assert "Being written" in _job_page(client, job_id)
    again = run(export_jobs.claim_next, now + jobs.LEASE + timedelta(seconds=1))
    assert (again.id, again.attempt) == (job_id, 2)
    run(export_jobs.run_claimed, again)
    row = _job(run, job_id)
    assert (row["status"], row["attempts"], row["done"]) == ("done", 2, 3)
    assert row["lease_until"] is None
    assert "Ready to download" in _job_page(client, job_id)
    # The first worker was only slow after all: what it finishes counts for nothing.
    assert run(jobs.finish, dead) is False
    assert _job(run, job_id)["result"] == row["result"]


def test_a_running_job_renews_its_lease_as_it_reports_progress(client, run, survey, staff):
    from analysis import export_jobs
    from consult import jobs

    job_id = _queue_export(run, survey, staff)
    claim = run(export_jobs.claim_next)
    first_lease = _job(run, job_id)["lease_until"]
    later = datetime.now(UTC) + jobs.LEASE / 2
    assert run(jobs.renew, claim, 2, 3, later)
    row = _job(run, job_id)
    assert (row["done"], row["total"]) == (2, 3)
    assert row["lease_until"] > first_lease
    assert run(export_jobs.claim_next, first_lease + timedelta(seconds=1)) is None
    assert "2 of 3 responses" in _job_page(client, job_id)
    run(export_jobs.run_claimed, claim)


def test_a_job_that_fails_every_attempt_is_failed_with_its_error(
    client, run, survey, staff, caplog
):
    from analysis import export_jobs
    from consult.settings import get_settings

    job_id = _queue_export(run, survey, staff)
    secret = "words a resident wrote"

    async def failing(survey_id, locale, path, progress):
        raise OSError(secret)

    attempts = get_settings().job_attempts
    for attempt in range(1, attempts):
        assert run(export_jobs.run_next, failing)
        row = _job(run, job_id)
        assert (row["status"], row["attempts"]) == ("queued", attempt)
        assert "Waiting to start" in _job_page(client, job_id), "tried again"
    assert run(export_jobs.run_next, failing)
    row = _job(run, job_id)
    assert (row["status"], row["attempts"]) == ("failed", attempts)
    assert row["error"] == export_jobs.ERROR_FAILED
    assert run(export_jobs.run_next, failing) is False, "not tried again"
    page = _job_page(client, job_id)
    assert "Failed" in page
    assert "The export could not be written." in page
    assert "Try again" in page
    assert secret not in page
    assert secret not in row["error"]


def test_the_number_of_attempts_is_a_setting(client, run, survey, staff, monkeypatch):
    from analysis import export_jobs
    from consult.settings import get_settings

    async def failing(survey_id, locale, path, progress):
        raise RuntimeError("broken")

    monkeypatch.setenv("CONSULT_JOB_ATTEMPTS", "1")
    get_settings.cache_clear()
    try:
        job_id = _queue_export(run, survey, staff)
        assert run(export_jobs.run_next, failing)
        row = _job(run, job_id)
    finally:
        monkeypatch.delenv("CONSULT_JOB_ATTEMPTS")
        get_settings.cache_clear()
    assert (row["status"], row["attempts"]) == ("failed", 1)


def test_a_job_whose_workers_keep_dying_fails_after_its_attempts(client, run, survey, staff):
    from analysis import export_jobs
    from consult import jobs
    from consult.settings import get_settings

    job_id = _queue_export(run, survey, staff)
    at = datetime.now(UTC)
    for attempt in range(1, get_settings().job_attempts + 1):
        claim = run(export_jobs.claim_next, at)
        assert (claim.id, claim.attempt) == (job_id, attempt)
        at += jobs.LEASE + timedelta(seconds=1)  # ... and its process dies
    assert run(export_jobs.claim_next, at) is None
    row = _job(run, job_id)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert "The export stopped 3 times before it was finished." in _job_page(client, job_id)


def test_a_stopping_app_gives_its_job_back_untried(client, run, survey, staff):
    from analysis import export_jobs

    job_id = _queue_export(run, survey, staff)

    async def stop_while_writing() -> None:
        writing = asyncio.Event()

        async def slow(survey_id, locale, path, progress):
            writing.set()
            await asyncio.sleep(30)
            return 0

        task = asyncio.create_task(export_jobs.run_next(slow))
        await writing.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(stop_while_writing)
    row = _job(run, job_id)
    assert (row["status"], row["attempts"], row["lease_until"]) == ("queued", 0, None)
    _finish_exports(run)
    assert _job(run, job_id)["attempts"] == 1


# The purge ------------------------------------------------------------------


@pytest.fixture(scope="module")
def expired(make_survey, client, run):
    """A consultation whose responses were to be kept until two days ago."""
    from consult.services import consultations, purge

    survey = make_survey("job-queue-expired")
    for number in range(4):
        _send(client, survey, f"Purge me, answer {number}.")
    consultation = run(consultations.by_id, survey.consultation_id)
    run(purge.set_retention, consultation, purge.today() - timedelta(days=2))
    return survey


def _responses(run, survey) -> int:
    from surveys.tables import Response

    return run(Response.count().where(Response.survey == survey.survey_id).run)


def _purge_jobs(run) -> list[dict]:
    from consult.tables import Job

    return run(Job.select().where(Job.kind == "purge").order_by(Job.id).run)


def test_the_purge_runs_once_a_day_across_two_workers(client, run, expired, staff):
    from consult import retention
    from consult.services import purge

    assert _responses(run, expired) == 4
    today = purge.today()

    async def two_workers(on: date) -> list[bool]:
        return list(await asyncio.gather(retention.daily_purge(on), retention.daily_purge(on)))

    assert sorted(run(two_workers, today)) == [False, True], "exactly one of them purges"
    assert _responses(run, expired) == 0
    [job] = _purge_jobs(run)
    assert (job["status"], job["attempts"], job["done"]) == ("done", 1, 4)
    assert job["idempotency_key"] == f"purge:{today.isoformat()}"

    for number in range(2):  # sent by mistake after the purge, the same day
        _send(client, expired, f"Late answer {number}.")
    assert sorted(run(two_workers, today)) == [False, False], "not again on the same day"
    assert _responses(run, expired) == 2
    assert len(_purge_jobs(run)) == 1

    tomorrow = today + timedelta(days=1)
    assert sorted(run(two_workers, tomorrow)) == [False, True]
    assert _responses(run, expired) == 0
    assert [job["status"] for job in _purge_jobs(run)] == ["done", "done"]

    signed_in_as(client, ADMIN)
    audit = page_text(client.get("/staff/audit").text)
    assert "Purge by retention date" in audit
    assert "Deleted 2 responses of" in audit
    assert "Deleted 4 responses of" in audit


def test_nothing_due_makes_no_purge_job(client, run, expired):
    from consult import retention
    from consult.services import purge

    before = len(_purge_jobs(run))
    later = purge.today() + timedelta(days=2)
    assert run(retention.daily_purge, later) is False
    assert len(_purge_jobs(run)) == before


# The text job -----------------------------------------------------------------


@pytest.fixture
def analysed_texts(monkeypatch) -> list[str]:
    """The texts the text job computes features for, each time it does, in order."""
    from analysis import jobs

    seen: list[str] = []
    compute = jobs._compute

    def counting(rows):
        seen.extend(row["text"] for row in rows)
        return compute(rows)

    monkeypatch.setattr(jobs, "_compute", counting)
    return seen


def _pending(run) -> list[dict]:
    from surveys.tables import PendingText

    return run(PendingText.select().run)


def _analysed(run, survey) -> dict[str, int]:
    from analysis.tables import TextAnswer

    rows = run(
        TextAnswer.select(TextAnswer.answer.text.as_alias("text"))
        .where(TextAnswer.question == survey.question_ids["text"])
        .run
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["text"]] = counts.get(row["text"], 0) + 1
    return counts


def test_text_answers_are_analysed_once_with_two_workers(client, run, make_survey, analysed_texts):
    from analysis import jobs

    run(jobs.analyse_all_pending)  # what earlier tests left
    analysed_texts.clear()
    survey = make_survey("job-queue-text")
    texts = [f"We need more youth clubs near school {number}." for number in range(12)]
    for text in texts:
        _send(client, survey, text)

    async def worker() -> int:
        taken = 0
        while batch := await jobs.analyse_pending(limit=3):
            taken += batch
        return taken

    async def two_workers() -> list[int]:
        return list(await asyncio.gather(worker(), worker()))

    split = run(two_workers)
    assert sum(split) == len(texts)
    assert min(split) > 0, "both workers took answers: they ran side by side"
    assert sorted(analysed_texts) == sorted(texts), "each answer analysed once"
    assert _analysed(run, survey) == dict.fromkeys(texts, 1)
    assert _pending(run) == []


def test_answers_a_dead_worker_held_are_analysed_by_another(
    client, run, make_survey, analysed_texts
):
    from analysis import jobs
    from surveys import text_queue

    run(jobs.analyse_all_pending)
    analysed_texts.clear()
    survey = make_survey("job-queue-dead-text")
    texts = ["The tram stop feels unsafe.", "Light the underpass, please."]
    for text in texts:
        _send(client, survey, text)
    now = datetime.now(UTC)
    held = run(text_queue.take, 10, now)  # a worker takes them, then dies
    assert len(held) == 2
    assert run(jobs.analyse_pending, 10, now + timedelta(seconds=1)) == 0, "still held"
    later = now + text_queue.LEASE + timedelta(seconds=1)
    assert run(jobs.analyse_pending, 10, later) == 2
    assert _analysed(run, survey) == dict.fromkeys(texts, 1)
    assert analysed_texts == texts
    assert _pending(run) == []


def test_an_answer_the_analysis_cannot_read_holds_up_no_other(
    client, run, make_survey, make_staff, monkeypatch, caplog
):
    from analysis import jobs
    from consult.settings import get_settings

    compute = jobs._compute
    unreadable = "UNREADABLE: the analysis breaks on this one."

    def breaks_on_one(rows):
        if any(row["text"] == unreadable for row in rows):
            raise ValueError("cannot analyse")
        return compute(rows)

    monkeypatch.setattr(jobs, "_compute", breaks_on_one)
    survey = make_survey("job-queue-poison")
    readable = [f"Safer streets, answer {number}." for number in range(3)]
    for text in (readable[0], unreadable, *readable[1:]):
        _send(client, survey, text)

    run(jobs.analyse_all_pending)  # ends, although one answer is never analysed
    assert _analysed(run, survey) == dict.fromkeys(readable, 1)
    [stuck] = _pending(run)
    assert stuck["attempts"] == get_settings().job_attempts
    assert stuck["lease_until"] is None
    assert run(jobs.analyse_pending) == 0, "no more tries"
    assert unreadable not in caplog.text, "an answer's words never reach the log"
    assert "could not be analysed" in caplog.text

    make_staff("poison.planner", "planner")
    signed_in_as(client, "poison.planner")
    page = page_text(client.get(f"/staff/surveys/{survey.survey_id}/text").text)
    assert re.search(r"\b1 still waiting to be analysed", page)

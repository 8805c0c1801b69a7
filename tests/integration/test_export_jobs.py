"""Exports as background jobs: a planner's POST queues one, a worker writes it,
the job page shows its progress, and only the planner who asked downloads it."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from tests.fixtures import csrf_token, post_form, send_survey, sign_in

RESPONSES = 7
HOSTILE = '=CMD|" /C calc"!A0'


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    """The app without its own job worker: each test runs the jobs it queued (and
    one test starts a worker itself), so no job is taken behind a test's back."""
    from consult.app import create_app
    from consult.settings import get_settings

    app = create_app(replace(get_settings(), job_worker=False))
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def survey(make_survey, client):
    survey = make_survey("helsinki-jobs")
    single = survey.question_ids["single"]
    text = survey.question_ids["text"]
    for number in range(RESPONSES):
        sent = send_survey(
            client,
            survey.submit_url,
            {
                f"q{single}": str(survey.option_ids["single"][0]),
                f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][1]),
                f"q{text}": HOSTILE if number == 0 else f"answer {number}",
            },
        )
        assert sent.status_code == 303
    return survey


@pytest.fixture(scope="module")
def staff(make_staff):
    for name, role in (
        ("jo.planner", "planner"),
        ("other.planner", "planner"),
        ("ann.admin", "admin"),
        ("fia.facilitator", "facilitator"),
    ):
        make_staff(name, role)


def as_user(client: TestClient, username: str | None) -> None:
    client.cookies.clear()
    if username:
        assert sign_in(client, username).status_code == 303


def queue(client: TestClient, survey, fmt: str = "xlsx") -> int:
    """Ask for an export as the results page's button does; the job's id."""
    results = f"/staff/surveys/{survey.survey_id}/results"
    response = post_form(
        client, results, f"/staff/surveys/{survey.survey_id}/exports", {"format": fmt}
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/staff/exports/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def job_row(run, job_id: int) -> dict | None:
    from consult.tables import Job

    return run(Job.select().where(Job.id == job_id).first().run)


def counts(run) -> dict[str, int]:
    from consult.tables import AuditEvent, Job

    return {"jobs": run(Job.count().run), "audit": run(AuditEvent.count().run)}


def run_jobs(run) -> int:
    """Run queued exports until none is left, as the worker would; how many ran."""
    from analysis import export_jobs

    ran = 0
    while run(export_jobs.run_next):
        ran += 1
    return ran


def test_an_export_is_queued_run_and_downloaded(client, run, survey, staff):
    from analysis.export_jobs import ExportFormat

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    waiting = client.get(f"/staff/exports/{job_id}")
    assert waiting.status_code == 200
    assert "Waiting to start" in waiting.text
    assert f'href="/staff/exports/{job_id}">Check again</a>' in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert 'aria-live="polite"' in waiting.text
    assert "<progress" in waiting.text
    assert "/download" not in waiting.text

    assert run_jobs(run) == 1
    row = job_row(run, job_id)
    assert (row["status"], row["done"], row["total"], row["attempts"]) == ("done", RESPONSES, 7, 1)
    assert row["error"] == ""
    assert re.fullmatch(rf"{job_id}-[A-Za-z0-9_-]{{24}}\.xlsx", row["result"])

    ready = client.get(f"/staff/exports/{job_id}")
    assert "Ready to download" in ready.text
    assert f"{RESPONSES} of {RESPONSES} responses" in ready.text
    assert f'max="{RESPONSES}" value="{RESPONSES}"' in ready.text
    assert "hx-trigger" not in ready.text
    assert "Check again" not in ready.text
    for _ in range(2):  # the file stays until it expires: it can be fetched again
        download = client.get(f"/staff/exports/{job_id}/download")
        assert download.status_code == 200
        assert download.headers["content-type"].startswith(ExportFormat.xlsx.media_type)
        assert download.headers["content-disposition"].startswith("attachment")
        assert (
            f'filename="helsinki-jobs-survey-{survey.survey_id}.xlsx"'
            in (download.headers["content-disposition"])
        )
        assert download.headers["cache-control"] == "no-store"
        workbook = load_workbook(io.BytesIO(download.content))
        texts = {
            cell.value
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        }
        assert {f"answer {n}" for n in range(1, RESPONSES)} <= texts
        assert HOSTILE in texts
        for sheet in workbook.worksheets:
            for sheet_row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in sheet_row)


def test_the_export_is_audited_when_it_is_asked_for(client, run, survey, staff):
    from consult.tables import AuditEvent

    as_user(client, "jo.planner")
    job_id = queue(client, survey, "csv")
    events = run(
        AuditEvent.select(AuditEvent.action, AuditEvent.object_id, AuditEvent.detail)
        .where(AuditEvent.is_export == True)  # noqa: E712 (Piccolo builds SQL from ==)
        .run
    )
    assert {
        "action": "export_csv",
        "object_id": survey.survey_id,
        "detail": f"job {job_id}",
    } in events
    run_jobs(run)


def test_a_csv_export_has_a_row_per_response(client, run, survey, staff):
    as_user(client, "jo.planner")
    job_id = queue(client, survey, "csv")
    run_jobs(run)
    download = client.get(f"/staff/exports/{job_id}/download")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert f"helsinki-jobs-survey-{survey.survey_id}.csv" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    body = rows[1:]
    assert len(body) == RESPONSES
    flat = {value for row in body for value in row}
    assert "answer 3" in flat
    assert HOSTILE not in flat  # quote-prefixed, never a formula
    assert "'" + HOSTILE in flat


def test_only_the_planner_who_asked_or_an_admin_sees_the_job(client, run, survey, staff):
    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    run_jobs(run)
    as_user(client, "other.planner")
    for path in (f"/staff/exports/{job_id}", f"/staff/exports/{job_id}/download"):
        response = client.get(path)
        assert response.status_code == 404
        assert "spreadsheetml" not in response.headers.get("content-type", "")
    results = client.get(f"/staff/surveys/{survey.survey_id}/results").text
    assert f"/staff/exports/{job_id}" not in results
    as_user(client, "ann.admin")
    assert client.get(f"/staff/exports/{job_id}").status_code == 200
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 200
    as_user(client, "jo.planner")
    results = client.get(f"/staff/surveys/{survey.survey_id}/results").text
    assert 'id="exports"' in results
    listed = results.split(f'href="/staff/exports/{job_id}">', 1)[1].split("</li>", 1)[0]
    assert "Excel workbook" in listed
    assert "Ready to download" in listed


def test_an_unknown_job_is_not_found(client, staff):
    as_user(client, "ann.admin")
    assert client.get("/staff/exports/999999").status_code == 404
    assert client.get("/staff/exports/999999/download").status_code == 404


def test_facilitators_may_not_export(client, run, survey, staff):
    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    as_user(client, "fia.facilitator")
    before = counts(run)
    for path in (f"/staff/exports/{job_id}", f"/staff/exports/{job_id}/download"):
        assert client.get(path).status_code == 403
    html = client.get("/staff").text
    refused = client.post(
        f"/staff/surveys/{survey.survey_id}/exports",
        data={"_csrf_token": csrf_token(html), "format": "xlsx"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert counts(run) == before
    run_jobs(run)


def test_signed_out_visitors_are_sent_to_sign_in(client, run, survey, staff):
    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    run_jobs(run)
    as_user(client, None)
    for path in (f"/staff/exports/{job_id}", f"/staff/exports/{job_id}/download"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/staff/login")
    before = counts(run)
    html = client.get("/staff/login").text
    refused = client.post(
        f"/staff/surveys/{survey.survey_id}/exports",
        data={"_csrf_token": csrf_token(html), "format": "xlsx"},
        follow_redirects=False,
    )
    assert refused.status_code == 401
    assert counts(run) == before


def test_a_post_without_the_csrf_token_is_refused(client, run, survey, staff):
    as_user(client, "jo.planner")
    before = counts(run)
    refused = client.post(
        f"/staff/surveys/{survey.survey_id}/exports",
        data={"format": "xlsx"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert counts(run) == before


def test_an_unknown_format_or_survey_queues_nothing(client, run, survey, staff):
    as_user(client, "jo.planner")
    before = counts(run)
    page = f"/staff/surveys/{survey.survey_id}/results"
    bad = post_form(client, page, f"/staff/surveys/{survey.survey_id}/exports", {"format": "pdf"})
    assert bad.status_code == 400
    missing = post_form(client, page, "/staff/surveys/999999/exports", {"format": "xlsx"})
    assert missing.status_code == 404
    assert counts(run) == before


def test_watching_a_job_writes_nothing(client, run, survey, staff):
    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    before, row = counts(run), job_row(run, job_id)
    for headers in ({}, {"HX-Request": "true", "HX-Target": "export-job"}):
        response = client.get(f"/staff/exports/{job_id}", headers=headers)
        assert response.status_code == 200  # still queued: htmx keeps polling
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 404
    assert counts(run) == before
    assert job_row(run, job_id) == row
    run_jobs(run)
    before, row = counts(run), job_row(run, job_id)
    polled = client.get(
        f"/staff/exports/{job_id}", headers={"HX-Request": "true", "HX-Target": "export-job"}
    )
    # 286 is htmx's "stop polling"; the fragment alone, with the download link.
    assert polled.status_code == 286
    assert "<h1" not in polled.text
    assert f"/staff/exports/{job_id}/download" in polled.text
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 200
    assert counts(run) == before
    assert job_row(run, job_id) == row


def test_the_live_region_hears_of_changes_not_every_poll(client, run, survey, staff):
    from consult.tables import Job, JobStatus

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    run(
        Job.update({Job.status: JobStatus.running, Job.done: 4100, Job.total: 10000})
        .where(Job.id == job_id)
        .run
    )
    poll = {"HX-Request": "true", "HX-Target": "export-job"}
    first = client.get(f"/staff/exports/{job_id}?heard=queued", headers=poll)
    assert first.status_code == 200
    assert 'id="export-announcement" hx-swap-oob="innerHTML"' in first.text
    assert "Being written: 40% done" in first.text
    assert 'name="heard" value="running-40"' in first.text
    again = client.get(f"/staff/exports/{job_id}?heard=running-40", headers=poll)
    assert "4,100 of 10,000 responses" in again.text
    assert "export-announcement" not in again.text
    page = client.get(f"/staff/exports/{job_id}").text
    assert '<p class="visually-hidden" id="export-announcement" aria-live="polite"></p>' in page
    run(Job.update({Job.status: JobStatus.queued}).where(Job.id == job_id).run)
    run_jobs(run)
    done = client.get(f"/staff/exports/{job_id}?heard=running-40", headers=poll)
    assert done.status_code == 286
    assert 'hx-swap-oob="innerHTML">Ready to download</p>' in done.text


def test_progress_is_written_while_the_export_runs(client, run, survey, staff, monkeypatch):
    from analysis import export_jobs

    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY_S", 0)
    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    seen = []

    async def writer(survey_id, locale, path, progress):
        for done in (0, 3, 6):
            await progress(done, 10)
            row = await export_jobs.export_job(job_id)
            seen.append((row.status.value, row.done, row.total))
        path.write_bytes(b"x")
        return 10

    assert run(export_jobs.run_next, writer)
    assert seen == [("running", 0, 10), ("running", 3, 10), ("running", 6, 10)]
    row = job_row(run, job_id)
    assert (row["status"], row["done"], row["total"]) == ("done", 10, 10)


def test_a_running_page_shows_the_count_and_the_bar(client, run, survey, staff):
    from consult.tables import Job, JobStatus

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    run(
        Job.update({Job.status: JobStatus.running, Job.done: 12000, Job.total: 100000})
        .where(Job.id == job_id)
        .run
    )
    page = client.get(f"/staff/exports/{job_id}").text
    assert "Being written" in page
    assert "12,000 of 100,000 responses" in page
    assert 'max="100000" value="12000"' in page
    assert "Check again" in page
    run(Job.update({Job.status: JobStatus.queued}).where(Job.id == job_id).run)
    run_jobs(run)


def test_a_job_left_running_by_a_crashed_worker_runs_again(client, run, survey, staff):
    from analysis import export_jobs
    from consult.tables import Job

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    claim = run(export_jobs.claim_next)  # a worker takes it, then its process dies
    assert claim.id == job_id
    assert run(export_jobs.requeue_stale) == 0  # not yet: it may still be working
    # No sign of life since: its lease ran out a minute ago.
    run_out = datetime.now(UTC) - timedelta(minutes=1)
    run(Job.update({Job.lease_until: run_out}).where(Job.id == job_id).run)
    assert run(export_jobs.requeue_stale) == 1
    assert job_row(run, job_id)["status"] == "queued"
    assert run_jobs(run) == 1
    row = job_row(run, job_id)
    assert (row["status"], row["attempts"], row["done"]) == ("done", 2, RESPONSES)
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 200


def test_the_old_worker_of_a_requeued_job_stops_without_touching_it(client, run, survey, staff):
    from analysis import export_jobs
    from consult import jobs

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    claim = run(export_jobs.claim_next)
    # It seemed dead and was queued again; another worker now holds it.
    stale = datetime.now(UTC) + jobs.LEASE + timedelta(minutes=1)
    assert run(export_jobs.requeue_stale, stale) == 1
    second = run(export_jobs.claim_next)
    assert second.attempt == 2

    async def writer(survey_id, locale, path, progress):
        path.write_bytes(b"partial")
        await progress(1, 7)
        raise AssertionError("progress should have stopped this runner")

    run(export_jobs.run_claimed, claim, writer)
    row = job_row(run, job_id)
    assert (row["status"], row["attempts"], row["done"], row["result"]) == ("running", 2, 0, "")
    assert not list(export_jobs.job_dir().glob(f"{job_id}-*"))
    run(export_jobs.run_claimed, second)
    assert job_row(run, job_id)["status"] == "done"


def test_a_job_that_keeps_stopping_fails_after_three_attempts(client, run, survey, staff):
    from analysis import export_jobs
    from consult import jobs
    from consult.settings import get_settings

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    later = datetime.now(UTC)
    for _ in range(get_settings().job_attempts):
        assert run(export_jobs.claim_next).id == job_id
        later += jobs.LEASE + timedelta(minutes=1)
        run(export_jobs.requeue_stale, later)
    row = job_row(run, job_id)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    page = client.get(f"/staff/exports/{job_id}").text
    assert "The export stopped 3 times before it was finished." in page
    assert "Try again" in page


def test_a_failing_export_says_so_and_offers_to_try_again(client, run, survey, staff, caplog):
    from analysis import export_jobs
    from consult.settings import get_settings

    as_user(client, "jo.planner")
    job_id = queue(client, survey, "csv")
    secret = "an answer a resident wrote"

    async def failing(survey_id, locale, path, progress):
        path.write_text("half")
        raise RuntimeError(secret)

    # An error is tried again, like a crash, until the last attempt.
    for attempt in range(1, get_settings().job_attempts + 1):
        assert run(export_jobs.run_next, failing)
        row = job_row(run, job_id)
        assert row["attempts"] == attempt
    row = job_row(run, job_id)
    assert row["status"] == "failed"
    assert row["error"] == export_jobs.ERROR_FAILED
    assert secret not in row["error"]
    assert "Traceback" not in row["error"]
    assert row["finished_at"] is not None
    assert not list(export_jobs.job_dir().glob(f"{job_id}-*"))
    assert "export job" in caplog.text  # the traceback is in the log
    page = client.get(f"/staff/exports/{job_id}")
    assert "Failed" in page.text
    assert "The export could not be written." in page.text
    assert "hx-trigger" not in page.text
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 404
    form = page.text.split('action="/staff/surveys/', 1)[1].split("</form>", 1)[0]
    assert 'name="format" value="csv"' in form
    assert "Try again" in form
    again = client.post(
        f"/staff/surveys/{survey.survey_id}/exports",
        data={"_csrf_token": csrf_token(page.text), "format": "csv"},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert run_jobs(run) == 1


def test_two_workers_racing_take_a_job_once(client, run, survey, staff):
    from analysis import export_jobs

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    ran: list[int] = []

    async def writer(survey_id, locale, path, progress):
        ran.append(survey_id)
        await asyncio.sleep(0.05)
        path.write_bytes(b"x")
        return 1

    async def race() -> list[bool]:
        return list(
            await asyncio.gather(export_jobs.run_next(writer), export_jobs.run_next(writer))
        )

    assert sorted(run(race)) == [False, True]
    assert ran == [survey.survey_id]
    row = job_row(run, job_id)
    assert (row["status"], row["attempts"]) == ("done", 1)


def test_the_worker_runs_queued_jobs_in_the_background(client, run, survey, staff):
    from analysis.export_jobs import export_worker

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    worker = export_worker()
    run(worker.start)
    try:
        for _ in range(100):
            if job_row(run, job_id)["status"] == "done":
                break
            run(asyncio.sleep, 0.1)
    finally:
        run(worker.stop)
    assert job_row(run, job_id)["status"] == "done"
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 200


def test_a_stopping_worker_puts_its_job_back_in_the_queue(client, run, survey, staff):
    from analysis import export_jobs

    as_user(client, "jo.planner")
    job_id = queue(client, survey)

    async def start_and_cancel() -> None:
        writing = asyncio.Event()

        async def slow(survey_id, locale, path, progress):
            path.write_bytes(b"x")
            writing.set()
            await asyncio.sleep(30)
            return 1

        task = asyncio.create_task(export_jobs.run_next(slow))
        await writing.wait()
        assert (await export_jobs.export_job(job_id)).status.value == "running"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(start_and_cancel)
    assert job_row(run, job_id)["status"] == "queued"
    assert not list(export_jobs.job_dir().glob(f"{job_id}-*"))
    run_jobs(run)


def test_finished_exports_are_deleted_after_a_day(client, run, survey, staff):
    from analysis import export_jobs
    from consult.tables import Job

    as_user(client, "jo.planner")
    old, fresh = queue(client, survey), queue(client, survey)
    run_jobs(run)
    old_file = export_jobs.job_dir() / job_row(run, old)["result"]
    fresh_file = export_jobs.job_dir() / job_row(run, fresh)["result"]
    yesterday = datetime.now(UTC) - export_jobs.KEEP_FOR - timedelta(minutes=1)
    run(Job.update({Job.finished_at: yesterday}).where(Job.id == old).run)
    orphan = export_jobs.job_dir() / "999-AAAAAAAAAAAAAAAAAAAAAAAA.xlsx"
    orphan.write_bytes(b"left by a crash")
    import os

    os.utime(orphan, (yesterday.timestamp(), yesterday.timestamp()))
    assert run(export_jobs.purge_expired) >= 1
    assert job_row(run, old) is None
    assert not old_file.exists()
    assert not orphan.exists()
    assert fresh_file.exists()
    assert client.get(f"/staff/exports/{old}").status_code == 404
    assert client.get(f"/staff/exports/{fresh}/download").status_code == 200


def test_staff_pages_offer_exports_as_forms(client, survey, staff):
    as_user(client, "jo.planner")
    for page in (
        f"/staff/surveys/{survey.survey_id}/results",
        f"/staff/consultations/{survey.consultation_id}",
    ):
        html = client.get(page).text
        assert "export.xlsx" not in html
        forms = html.split(f'action="/staff/surveys/{survey.survey_id}/exports"')[1:]
        assert len(forms) == 2
        for fmt, label in (("xlsx", "Export Excel workbook"), ("csv", "Export CSV")):
            form = next(f for f in forms if f'value="{fmt}"' in f.split("</form>", 1)[0])
            form = form.split("</form>", 1)[0]
            assert 'name="_csrf_token"' in form
            assert label in form
    consultation = client.get(f"/staff/consultations/{survey.consultation_id}").text
    for href in (
        f"/staff/consultations/{survey.consultation_id}/findings",
        f"/staff/consultations/{survey.consultation_id}/strategy-areas",
        f"/staff/surveys/{survey.survey_id}/indicators",
        f"/staff/surveys/{survey.survey_id}/report",
        f"/staff/surveys/{survey.survey_id}/text/quotes",
    ):
        assert f'href="{href}"' in consultation


def test_the_old_workbook_address_leads_to_the_exports(client, run, survey, staff):
    as_user(client, "jo.planner")
    before = counts(run)
    old = client.get(f"/staff/surveys/{survey.survey_id}/export.xlsx", follow_redirects=False)
    assert old.status_code == 303
    assert old.headers["location"] == f"/staff/surveys/{survey.survey_id}/results#exports"
    assert counts(run) == before


def test_no_file_name_is_a_path(run, survey, staff, client, tmp_path: Path):
    """A result that is not one of the job's own names is never served."""
    from analysis import export_jobs
    from consult.tables import Job

    as_user(client, "jo.planner")
    job_id = queue(client, survey)
    run_jobs(run)
    run(Job.update({Job.result: "../../secret_key"}).where(Job.id == job_id).run)
    assert client.get(f"/staff/exports/{job_id}/download").status_code == 404
    assert export_jobs.result_path(run(export_jobs.export_job, job_id)) is None

"""An export's page in Chromium, on the demo: axe finds nothing while it runs or
once it is done, with JavaScript and without (a "Check again" link); with
JavaScript, htmx polling takes the bar to done without a reload."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONSULTATION_TITLE, SURVEY_TITLE, heading
from tests.browser.staff import DESKTOP, fill_sign_in
from tests.fixtures import PASSWORD, run_in_fresh_loop

pytestmark = pytest.mark.browser

PLANNER = "export-browser-planner"


@pytest.fixture(scope="module")
def planner(demo_site: object) -> int:
    """The planner's user id (the jobs made here are theirs)."""
    from consult.services.staff import create_user
    from consult.tables import Role

    return run_in_fresh_loop(lambda: create_user(PLANNER, PASSWORD, Role.planner, city="Reykjavik"))


@pytest.fixture(scope="module")
def survey_id(demo_site: object) -> int:
    from surveys.tables import Survey

    async def find() -> int:
        row = await Survey.select(Survey.id).where(Survey.title == SURVEY_TITLE).first()
        return row["id"]

    return run_in_fresh_loop(find)


def _job(planner: int, survey_id: int, status: str, done: int, total: int) -> int:
    """A job in a given state, as the worker would leave it mid-run (the live
    server's worker only takes queued jobs, so this one stays as it is put)."""
    from consult.tables import Job

    async def insert() -> int:
        rows = await Job.insert(
            Job(
                kind="export",
                params={"survey": survey_id, "format": "xlsx", "locale": "en"},
                status=status,
                requested_by=planner,
                done=done,
                total=total,
                attempts=1,
                created_at=datetime.now(UTC),
                started_at=datetime.now(UTC),
            )
        ).returning(Job.id)
        return rows[0]["id"]

    return run_in_fresh_loop(insert)


def _finish(job_id: int, total: int) -> None:
    """What the worker does at the end: the file in the job directory, the row done."""
    from consult.settings import get_settings
    from consult.tables import Job

    directory = get_settings().job_dir
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{job_id}-{secrets.token_urlsafe(18)}.xlsx"
    (directory / name).write_bytes(b"PK\x05\x06" + bytes(18))

    async def update() -> None:
        await Job.update(
            {
                Job.status: "done",
                Job.done: total,
                Job.total: total,
                Job.result: name,
                Job.finished_at: datetime.now(UTC),
            }
        ).where(Job.id == job_id)

    run_in_fresh_loop(update)


def _desk(new_context: NewContext, *, javascript: bool = True) -> Page:
    context = new_context(
        javascript=javascript,
        viewport=DESKTOP,
        is_mobile=False,
        has_touch=False,
        reduced_motion="reduce",
        accept_downloads=True,
    )
    page = context.new_page()
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    expect(heading(page)).to_have_text("Consultations")
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_running_export_passes_axe(
    new_context: NewContext, planner: int, survey_id: int, javascript: bool
):
    job_id = _job(planner, survey_id, "running", 120, 300)
    page = _desk(new_context, javascript=javascript)
    page.goto(f"/staff/exports/{job_id}")
    expect(heading(page)).to_have_text(f"Excel workbook: {SURVEY_TITLE}")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "120")
    expect(page.get_by_text("120 of 300 responses")).to_be_visible()
    assert_accessible(page, f"a running export ({'JS' if javascript else 'no JS'})")
    if not javascript:
        # No refresh by itself: the person checks again when they like.
        _finish(job_id, 300)
        page.get_by_role("link", name="Check again").click()
        expect(page.locator("#export-status")).to_have_text("Ready to download")
        expect(page.get_by_role("link", name="Check again")).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_finished_export_passes_axe_and_downloads(
    new_context: NewContext, planner: int, survey_id: int, javascript: bool
):
    job_id = _job(planner, survey_id, "running", 0, 300)
    _finish(job_id, 300)
    page = _desk(new_context, javascript=javascript)
    page.goto(f"/staff/exports/{job_id}")
    expect(page.get_by_text("300 of 300 responses")).to_be_visible()
    assert_accessible(page, f"a finished export ({'JS' if javascript else 'no JS'})")
    link = page.get_by_role("link", name=re.compile(r"^Download .*-survey-\d+\.xlsx$"))
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(rf"[a-z0-9-]+-survey-{survey_id}\.xlsx", download.value.suggested_filename)


def test_polling_takes_the_bar_to_done_without_a_reload(
    new_context: NewContext, planner: int, survey_id: int
):
    job_id = _job(planner, survey_id, "running", 50, 300)
    page = _desk(new_context)
    page.goto(f"/staff/exports/{job_id}")
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("value", "50")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    _finish(job_id, 300)
    expect(page.locator("#export-status")).to_have_text("Ready to download", timeout=10_000)
    expect(bar).to_have_attribute("value", "300")
    expect(bar).to_have_attribute("max", "300")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    expect(page.locator("#export-announcement")).to_have_text("Ready to download")
    # The last answer stopped the polling (htmx's 286): no more requests go out.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.wait_for_timeout(2500)
    assert not [url for url in requests if f"/staff/exports/{job_id}" in url]
    assert_accessible(page, "an export done by polling")


def test_the_results_page_button_queues_an_export_the_worker_writes(
    new_context: NewContext, planner: int
):
    page = _desk(new_context)
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name="Results").first.click()
    page.get_by_role("button", name="Export CSV").click()
    expect(heading(page)).to_have_text(f"CSV file: {SURVEY_TITLE}")
    expect(page).to_have_url(re.compile(r"/staff/exports/\d+$"))
    # The live server's own worker takes it; htmx shows when it is done.
    expect(page.locator("#export-status")).to_have_text("Ready to download", timeout=20_000)
    page.get_by_role("link", name="Back to the results").click()
    exports = page.get_by_role("region", name="Exports")
    expect(exports.get_by_role("link", name=re.compile(r"^CSV file, asked for at"))).to_be_visible()
    assert_accessible(page, "results with an export listed")

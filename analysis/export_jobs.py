"""Exports as background jobs: queued by a planner's request, taken by whichever
app process is free, written to a file that waits in the job directory for a day.

A request only inserts a queued row (queue_export) and answers at once; every app
process runs export_worker(), which takes the oldest queued export by the one claim
rule of consult.jobs (FOR UPDATE SKIP LOCKED on PostgreSQL, the IMMEDIATE write
lock on SQLite), so two processes never run the same job. The runner writes the
file through analysis.strategy_inputs, which reads the database a batch at a time
and does the CPU work in threads, and records the progress at most every
PROGRESS_EVERY_S seconds, renewing its lease.

A job whose process died is taken again once its lease runs out, and one that
fails is tried again, up to the settings' job_attempts; then it is failed with
its message, which the job page shows with "Try again". Finished jobs and their
files are deleted after KEEP_FOR.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

from analysis import strategy_inputs
from analysis.export_queue import (
    _FILE_NAME,
    KIND,
    ExportFormat,
    ExportJob,
    Progress,
    Writer,
    _now,
    export_job,
    job_dir,
    latest_exports,
    queue_export,
    result_path,
)
from consult import jobs
from consult.background import BackgroundLoop
from consult.database import write_transaction
from consult.i18n import N_
from consult.tables import Job, JobStatus

__all__ = [
    "KIND",
    "ExportFormat",
    "ExportJob",
    "Progress",
    "Writer",
    "claim_next",
    "export_job",
    "export_worker",
    "job_dir",
    "latest_exports",
    "purge_expired",
    "queue_export",
    "requeue_stale",
    "result_path",
    "run_claimed",
    "run_next",
    "writer_for",
]

IDLE_SLEEP_S = 2.0
# Progress is written at most this often (a batch is a thousand responses).
PROGRESS_EVERY_S = 0.5
# How long a finished export (and its file) can be downloaded again.
KEEP_FOR = timedelta(hours=24)
# Showing dead jobs as waiting and purging old ones are cheap but need not run on
# every pass.
UPKEEP_EVERY_S = 60.0
# Residents come first: after a job the worker rests as long as the job took
# (at most MAX_REST_S), so a queue of exports takes at most half the process.
REST_PER_WORK = 1.0
MAX_REST_S = 30.0

# Messages kept in Job.error: short, translated where they are shown, and never
# holding a respondent's data (the traceback goes to the log only).
ERROR_FAILED = N_("The export could not be written.")
ERROR_STOPPED = N_("The export stopped %(attempts)s times before it was finished.")
log = logging.getLogger(__name__)


async def claim_next(at: datetime | None = None) -> jobs.Claim | None:
    """Take the oldest export that is queued (or whose process died) for this
    runner: running, one more attempt."""
    return await jobs.claim(KIND, ERROR_STOPPED, at)


def writer_for(fmt: ExportFormat) -> Writer:
    """The function that writes an export of this format (analysis.strategy_inputs)."""
    if fmt is ExportFormat.xlsx:
        return strategy_inputs.write_workbook
    return strategy_inputs.write_csv


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


async def run_claimed(claim: jobs.Claim, writer: Writer | None = None) -> None:
    """Write a claimed job's file, then mark it done (or record its error: it is
    tried again, or failed after its last attempt)."""
    fmt = ExportFormat(claim.params.get("format", "xlsx"))
    survey_id = int(claim.params.get("survey", 0))
    locale = str(claim.params.get("locale", "en"))
    write = writer or writer_for(fmt)
    directory = job_dir()
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    # Unguessable: the address of a download is the job's, but the file name is
    # not to be found by listing numbers in a shared directory either.
    name = f"{claim.id}-{secrets.token_urlsafe(18)}.{fmt.value}"
    path = directory / name

    async def work(progress: Progress) -> int:
        return await write(survey_id, locale, path, progress)

    try:
        written = await jobs.hold(claim, work, progress_every=PROGRESS_EVERY_S)
    except jobs.JobLost:
        log.warning("export job %s was taken over by another worker", claim.id)
        _unlink(path)
        return
    except asyncio.CancelledError:
        # The app is stopping: hold() gave the job back for the next process.
        _unlink(path)
        raise
    except Exception:
        log.exception("export job %s failed", claim.id)
        _unlink(path)
        await jobs.fail(claim, ERROR_FAILED)
        return
    done = {Job.done: written, Job.total: written, Job.result: name}
    if not await jobs.finish(claim, done):
        _unlink(path)


async def run_next(writer: Writer | None = None) -> bool:
    """Take the oldest queued export and run it; whether there was one."""
    claim = await claim_next()
    if claim is None:
        return False
    await run_claimed(claim, writer)
    return True


async def requeue_stale(at: datetime | None = None) -> int:
    """Show the exports whose process died as waiting again (failed after their
    last attempt); how many were queued again."""
    return await jobs.requeue_dead(KIND, ERROR_STOPPED, at)


async def purge_expired(now: datetime | None = None) -> int:
    """Delete finished exports older than KEEP_FOR, files first; jobs deleted."""
    now = now or _now()
    cutoff = now - KEEP_FOR
    finished = (
        (Job.kind == KIND)
        & Job.status.is_in([JobStatus.done, JobStatus.failed])
        & (Job.finished_at < cutoff)
    )
    rows = await Job.select(Job.id, Job.result).where(finished)
    directory = job_dir()
    for row in rows:
        if _FILE_NAME.match(row["result"]):
            await asyncio.to_thread(_unlink, directory / row["result"])
    if rows:
        async with write_transaction():
            await Job.delete().where(Job.id.is_in([row["id"] for row in rows]))
    await asyncio.to_thread(_remove_orphans, directory, cutoff.timestamp())
    return len(rows)


def _remove_orphans(directory: Path, before: float) -> None:
    """Files a crashed run left half-written: an export's name, older than KEEP_FOR."""
    if not directory.is_dir():
        return
    for path in directory.iterdir():
        with contextlib.suppress(OSError):
            if _FILE_NAME.match(path.name) and path.stat().st_mtime < before:
                path.unlink()


class _Upkept:
    """A pass of the export loop: now and then re-queue dead jobs and purge old
    ones, then run one job."""

    def __init__(self) -> None:
        self._last_upkeep = float("-inf")

    async def __call__(self) -> bool:
        now = time.monotonic()
        if now - self._last_upkeep >= UPKEEP_EVERY_S:
            self._last_upkeep = now
            await requeue_stale()
            await purge_expired()
        return await run_next()


def export_worker() -> BackgroundLoop:
    """Export jobs in the background of an app process; stopping it puts a job it
    was running back in the queue."""
    return BackgroundLoop(
        "export-jobs",
        _Upkept(),
        idle_s=IDLE_SLEEP_S,
        rest_per_work=REST_PER_WORK,
        max_rest_s=MAX_REST_S,
    )

"""Exports as background jobs: queued by a planner's request, taken by whichever
app process is free, written to a file that waits in the job directory for a day.

A request only inserts a queued row (queue_export) and answers at once; every app
process runs export_worker(), which takes the oldest queued export atomically (a
compare-and-set from queued to running, behind FOR UPDATE SKIP LOCKED on
PostgreSQL and the IMMEDIATE write lock on SQLite), so two processes never run the
same job. The runner writes the file through analysis.strategy_inputs, which reads
the database a batch at a time and does the CPU work in threads, and records the
progress at most every PROGRESS_EVERY_S seconds.

A running job's started_at moves forward with each progress write: it says when
the job last showed life. A job whose process died (started_at older than
STALE_AFTER) is queued again, up to MAX_ATTEMPTS takes; every write a runner makes
names the attempt it runs, so a runner whose job was taken from it stops without
touching the row. Finished jobs and their files are deleted after KEEP_FOR.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from analysis import strategy_inputs
from analysis.export_queue import (
    _FILE_NAME,
    KIND,
    ExportFormat,
    ExportJob,
    Progress,
    Writer,
    _now,
    _params,
    export_job,
    job_dir,
    latest_exports,
    queue_export,
    result_path,
)
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
# A running job with no sign of life for this long lost its process.
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
# How long a finished export (and its file) can be downloaded again.
KEEP_FOR = timedelta(hours=24)
# Re-queueing and purging are cheap but need not run on every pass.
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


class JobLost(Exception):
    """The job was taken from this runner (queued again after it seemed dead)."""


@dataclass(frozen=True)
class _Claim:
    id: int
    attempt: int
    survey_id: int
    format: ExportFormat
    locale: str


async def claim_next() -> _Claim | None:
    """Take the oldest queued export for this runner: running, one more attempt."""
    async with write_transaction():
        oldest = (
            Job.select(Job.id)
            .where((Job.kind == KIND) & (Job.status == JobStatus.queued))
            .order_by(Job.id)
            .limit(1)
        )
        if isinstance(engine_finder(), PostgresEngine):
            # Another process's claim holds its row; this one takes the next.
            oldest = oldest.lock_rows("UPDATE", skip_locked=True)
        found = await oldest
        if not found:
            return None
        # Compare-and-set: only a job still queued is taken.
        taken = (
            await Job.update(
                {
                    Job.status: JobStatus.running,
                    Job.started_at: _now(),
                    Job.attempts: Job.attempts + 1,
                    Job.error: "",
                }
            )
            .where((Job.id == found[0]["id"]) & (Job.status == JobStatus.queued))
            .returning(Job.id, Job.attempts, Job.params)
        )
    if not taken:
        return None
    params = _params(taken[0]["params"])
    return _Claim(
        id=taken[0]["id"],
        attempt=taken[0]["attempts"],
        survey_id=int(params.get("survey", 0)),
        format=ExportFormat(params.get("format", "xlsx")),
        locale=str(params.get("locale", "en")),
    )


async def _update_mine(claim: _Claim, values: dict[Any, Any]) -> bool:
    """Write to the job only while this runner's attempt still holds it."""
    async with write_transaction():
        rows = (
            await Job.update(values)
            .where(
                (Job.id == claim.id)
                & (Job.status == JobStatus.running)
                & (Job.attempts == claim.attempt)
            )
            .returning(Job.id)
        )
    return bool(rows)


class _ProgressWriter:
    """The progress callback a writer gets: (done, total) into the job's row,
    throttled; raises JobLost once the job is no longer this runner's."""

    def __init__(self, claim: _Claim) -> None:
        self.claim = claim
        self._last = float("-inf")

    async def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_EVERY_S:
            return
        self._last = now
        if not await self._write(done, total):
            raise JobLost(self.claim.id)

    async def _write(self, done: int, total: int) -> bool:
        return await _update_mine(
            self.claim,
            {Job.done: done, Job.total: max(total, done), Job.started_at: _now()},
        )


def writer_for(fmt: ExportFormat) -> Writer:
    """The function that writes an export of this format (analysis.strategy_inputs)."""
    if fmt is ExportFormat.xlsx:
        return strategy_inputs.write_workbook
    return strategy_inputs.write_csv


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


async def run_claimed(claim: _Claim, writer: Writer | None = None) -> None:
    """Write a claimed job's file, then mark it done (or failed, with a short message)."""
    directory = job_dir()
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    # Unguessable: the address of a download is the job's, but the file name is
    # not to be found by listing numbers in a shared directory either.
    name = f"{claim.id}-{secrets.token_urlsafe(18)}.{claim.format.value}"
    path = directory / name
    progress = _ProgressWriter(claim)
    try:
        written = await (writer or writer_for(claim.format))(
            claim.survey_id, claim.locale, path, progress
        )
    except JobLost:
        log.warning("export job %s was taken over by another worker", claim.id)
        _unlink(path)
        return
    except asyncio.CancelledError:
        # The app is stopping: the job goes back to the queue for the next process.
        _unlink(path)
        await _update_mine(claim, {Job.status: JobStatus.queued})
        raise
    except Exception:
        log.exception("export job %s failed", claim.id)
        _unlink(path)
        await _update_mine(
            claim,
            {Job.status: JobStatus.failed, Job.error: ERROR_FAILED, Job.finished_at: _now()},
        )
        return
    finished = await _update_mine(
        claim,
        {
            Job.status: JobStatus.done,
            Job.done: written,
            Job.total: written,
            Job.result: name,
            Job.finished_at: _now(),
        },
    )
    if not finished:
        _unlink(path)


async def run_next(writer: Writer | None = None) -> bool:
    """Take the oldest queued export and run it; whether there was one."""
    claim = await claim_next()
    if claim is None:
        return False
    await run_claimed(claim, writer)
    return True


async def requeue_stale(now: datetime | None = None) -> int:
    """Queue again the jobs whose process died mid-run (failed after MAX_ATTEMPTS)."""
    now = now or _now()
    dead = (
        (Job.kind == KIND)
        & (Job.status == JobStatus.running)
        & (Job.started_at < now - STALE_AFTER)
    )
    async with write_transaction():
        again = (
            await Job.update({Job.status: JobStatus.queued})
            .where(dead & (Job.attempts < MAX_ATTEMPTS))
            .returning(Job.id)
        )
        await Job.update(
            {Job.status: JobStatus.failed, Job.error: ERROR_STOPPED, Job.finished_at: now}
        ).where(dead & (Job.attempts >= MAX_ATTEMPTS))
    return len(again)


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

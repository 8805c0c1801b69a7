"""Retention: responses past their consultation's retention date are deleted, by
`consult purge` and once a day by the app (consult/services/purge.py).

Once a day for the whole site, whatever the number of app processes: every
process's loop asks once an hour whether a purge is due (two indexed reads), and
if so queues the day's purge job, whose key ("purge:<the city's date>") makes it
one row however many processes ask (consult.jobs.create). Whichever process's loop
claims the job does the purge, under a lease like any job: a process that dies
mid-purge leaves it to be taken again, and a purge that fails is tried again, up
to the settings' job_attempts. The purge writes its summary to the audit log, where
admins read what went; the job's row keeps when it ran and its error, if any.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from consult import jobs
from consult.background import BackgroundLoop
from consult.database import write_transaction
from consult.i18n import N_
from consult.services import purge
from consult.tables import Job, JobStatus

KIND = "purge"
# How often each process asks whether the day's purge is due.
CHECK_EVERY_S = 3600.0
# Finished purge jobs are kept this long (their key only needs its own day).
KEEP_FOR = timedelta(days=31)
ERROR_FAILED = N_("The purge could not be finished.")
ERROR_STOPPED = N_("The purge stopped %(attempts)s times before it was finished.")
log = logging.getLogger(__name__)


def day_key(on: date) -> str:
    """The idempotency key of one day's purge."""
    return f"{KIND}:{on.isoformat()}"


async def queue_if_due(on: date | None = None) -> int | None:
    """Queue the day's purge if anything waits to be purged; the job's id, or None
    when nothing is due or the day's job exists (made by this or another process)."""
    on = on or purge.today()
    if not await purge.due(on):
        return None
    return await jobs.create(KIND, {"day": on.isoformat()}, key=day_key(on))


async def run_next(at: datetime | None = None) -> bool:
    """Claim a purge job and do it; whether there was one to claim."""
    claim = await jobs.claim(KIND, ERROR_STOPPED, at)
    if claim is None:
        return False

    day = claim.params.get("day")
    on = date.fromisoformat(day) if isinstance(day, str) else None

    async def work(progress: jobs.Progress) -> purge.PurgeReport:
        # What was past retention on the job's day (a retry the next morning
        # purges no more than that day's purge would have).
        return await purge.purge(on=on)

    try:
        report = await jobs.hold(claim, work)
    except jobs.JobLost:
        log.warning("purge job %s was taken over by another worker", claim.id)
        return True
    except Exception:
        log.exception("purge job %s failed", claim.id)
        await jobs.fail(claim, ERROR_FAILED)
        return True
    await jobs.finish(claim, {Job.done: report.responses, Job.total: report.responses})
    # Counts only: a consultation's title is no secret, but a log needs none of it.
    log.info(
        "daily purge: %d responses of %d consultations, %d drafts",
        report.responses,
        len(report.consultations),
        report.drafts,
    )
    return True


async def forget_old_jobs(at: datetime | None = None) -> None:
    """Delete finished purge jobs older than KEEP_FOR (the audit log keeps what
    each purge deleted)."""
    cutoff = (at or jobs.now()) - KEEP_FOR
    async with write_transaction():
        await Job.delete().where(
            (Job.kind == KIND)
            & Job.status.is_in([JobStatus.done, JobStatus.failed])
            & (Job.finished_at < cutoff)
        )


async def daily_purge(on: date | None = None) -> bool:
    """One pass of the loop: queue the day's purge if it is due, then do a purge
    job if one is waiting; whether this process purged."""
    await queue_if_due(on)
    if not await run_next():
        return False
    await forget_old_jobs()
    return True


def purge_worker() -> BackgroundLoop:
    """The daily purge loop for an app process."""
    return BackgroundLoop(
        "retention-purge", daily_purge, idle_s=CHECK_EVERY_S, max_rest_s=CHECK_EVERY_S
    )

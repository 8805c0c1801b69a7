"""Holding a claimed job while it runs: its lease renewed, its progress written,
and its end (done, an error, given back) written only while it is still ours."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from piccolo.columns.combination import Combinable

from consult.database import write_transaction
from consult.jobs._claims import LEASE, Claim, max_attempts, now
from consult.tables import Job, JobStatus

# The lease is renewed this often while a job runs, progress or not: four times
# within a lease, so that a slow moment never loses a job that is alive.
RENEW_EVERY_S = LEASE.total_seconds() / 4
# Progress is written at most this often unless the runner says otherwise.
PROGRESS_EVERY_S = 0.5

Progress = Callable[[int, int], Awaitable[None]]  # (done, total) so far
T = TypeVar("T")
log = logging.getLogger(__name__)


class JobLost(Exception):
    """The job was taken from this runner (its lease ran out and another took it)."""


def _mine(claim: Claim) -> Combinable:
    running = (Job.id == claim.id) & (Job.status == JobStatus.running)
    return running & (Job.attempts == claim.attempt)


async def _update_mine(claim: Claim, values: dict[Any, Any]) -> bool:
    """Write to the job only while this runner's attempt still holds it."""
    async with write_transaction():
        rows = await Job.update(values).where(_mine(claim)).returning(Job.id)
    return bool(rows)


async def renew(
    claim: Claim, done: int | None = None, total: int | None = None, at: datetime | None = None
) -> bool:
    """Extend the claim's lease, with its progress if given; False once the job is
    no longer this runner's."""
    values: dict[Any, Any] = {Job.lease_until: (at or now()) + LEASE}
    if done is not None:
        values[Job.done] = done
        values[Job.total] = max(total or 0, done)
    return await _update_mine(claim, values)


async def finish(claim: Claim, values: dict[Any, Any] | None = None) -> bool:
    """Mark the job done (with `values`: its result, counts); False if it was taken
    from this runner, whose work then counts for nothing."""
    done = {Job.status: JobStatus.done, Job.finished_at: now(), Job.lease_until: None}
    return await _update_mine(claim, {**done, **(values or {})})


async def fail(claim: Claim, error: str) -> JobStatus | None:
    """After an error: back in the queue for another attempt, or failed with
    `error` (a short message, never a respondent's data) after the last one. The
    status it now has; None if it was no longer this runner's."""
    last = claim.attempt >= max_attempts()
    status = JobStatus.failed if last else JobStatus.queued
    values: dict[Any, Any] = {Job.status: status, Job.error: error, Job.lease_until: None}
    if last:
        values[Job.finished_at] = now()
    return status if await _update_mine(claim, values) else None


async def release(claim: Claim) -> None:
    """Give the job back to the queue untried: the app is stopping, which is not
    the job's fault, so the attempt does not count."""
    await _update_mine(
        claim,
        {Job.status: JobStatus.queued, Job.lease_until: None, Job.attempts: claim.attempt - 1},
    )


class _Progress:
    """The progress callback a job's work gets: (done, total) into the row with a
    renewed lease, at most every `every` seconds; raises JobLost once the job is
    no longer this runner's."""

    def __init__(self, claim: Claim, every: float) -> None:
        self.claim = claim
        self.every = every
        self._last = float("-inf")

    async def __call__(self, done: int, total: int) -> None:
        moment = time.monotonic()
        if moment - self._last < self.every:
            return
        self._last = moment
        if not await renew(self.claim, done, total):
            raise JobLost(self.claim.id)


async def hold(
    claim: Claim,
    work: Callable[[Progress], Awaitable[T]],
    progress_every: float = PROGRESS_EVERY_S,
) -> T:
    """Run `work(progress)` while keeping the claim's lease; its result.

    Raises JobLost when the job was taken from this runner (the work is then
    cancelled), and whatever the work raises (the caller records it with fail()).
    Cancelled (the app is stopping), it gives the job back to the queue untried.
    """
    task = asyncio.ensure_future(work(_Progress(claim, progress_every)))
    try:
        while True:
            finished, _ = await asyncio.wait({task}, timeout=RENEW_EVERY_S)
            if finished:
                return task.result()
            try:
                still_mine = await renew(claim)
            except Exception:
                # The database may be back before the lease runs out: keep working.
                log.warning("job %s: its lease could not be renewed", claim.id)
                continue
            if not still_mine:
                raise JobLost(claim.id)
    except asyncio.CancelledError:
        await _stop(task)
        await release(claim)
        raise
    except JobLost:
        await _stop(task)
        raise


async def _stop(task: asyncio.Future[Any]) -> None:
    """Cancel the work and wait for it (what it raised on the way out is moot)."""
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task

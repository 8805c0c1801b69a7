"""Making jobs and taking them: the claim rule, and what becomes of a job whose
process died."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import Combinable
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from consult.database import write_transaction
from consult.i18n import N_
from consult.settings import get_settings
from consult.tables import Job, JobStatus

# How long a claim holds a job without a sign of life from its process: short, so
# that a crash costs about this long (hold() renews it four times within it).
LEASE = timedelta(minutes=2)
# What a job's page says of a job whose processes kept dying (translated there).
STOPPED = N_("The job stopped %(attempts)s times before it was finished.")


def now() -> datetime:
    return datetime.now(UTC)


def max_attempts() -> int:
    """How often a job is tried before it is failed (CONSULT_JOB_ATTEMPTS)."""
    return get_settings().job_attempts


def params_of(raw: Any) -> dict[str, Any]:
    """A job's parameters as a dict (SQLite hands back the JSON text)."""
    value = json.loads(raw) if isinstance(raw, str) else raw
    return value if isinstance(value, dict) else {}


def lease_free(table: type[Table], at: datetime) -> Combinable:
    """Rows of `table` that no process holds at `at`: never leased, or run out."""
    column = table._meta.get_column_by_name("lease_until")
    return column.is_null() | (column < at)


async def take(
    table: type[Table],
    free: Combinable,
    limit: int,
    values: dict[Any, Any],
    returning: Sequence[Column] = (),
) -> list[dict[str, Any]]:
    """The claim rule: the oldest `limit` rows of `table` that `free` selects, set
    to `values` (a lease, one more attempt ...) in one write transaction; their
    ids, attempts and `returning` columns, oldest first."""
    # An idle worker asks every few seconds: a read, not the write lock, says no.
    if not await table.exists().where(free):
        return []
    async with write_transaction():
        return await _take(table, free, limit, values, returning)


async def _take(
    table: type[Table],
    free: Combinable,
    limit: int,
    values: dict[Any, Any],
    returning: Sequence[Column],
) -> list[dict[str, Any]]:
    """take(), inside the caller's write transaction."""
    key = table._meta.primary_key
    oldest = table.select(key).where(free).order_by(key).limit(limit)
    if isinstance(engine_finder(), PostgresEngine):
        # Rows another transaction is claiming are skipped, not waited for.
        oldest = oldest.lock_rows("UPDATE", skip_locked=True)
    ids = [row["id"] for row in await oldest]
    if not ids:
        return []
    attempts = table._meta.get_column_by_name("attempts")
    # The rows are locked (PostgreSQL) or the database is (SQLite): no other claim
    # can change them between the select and this update.
    taken: list[dict[str, Any]] = (
        await table.update(values).where(key.is_in(ids)).returning(key, attempts, *returning)
    )
    return sorted(taken, key=lambda row: row["id"])


@dataclass(frozen=True)
class Claim:
    """A job this runner holds, for its `attempt`-th try."""

    id: int
    kind: str
    attempt: int
    params: dict[str, Any] = field(default_factory=dict)


async def create(
    kind: str,
    params: dict[str, Any],
    requested_by: int | None = None,
    key: str | None = None,
    at: datetime | None = None,
) -> int | None:
    """Queue a job; its id. With a `key`, a job asked for twice is made once: None
    when a job of that key exists (the unique index decides, whoever asks first)."""
    async with write_transaction():
        return await insert(kind, params, requested_by, key, at or now())


async def insert(
    kind: str, params: dict[str, Any], requested_by: int | None, key: str | None, at: datetime
) -> int | None:
    """create(), inside the caller's write transaction (an export's job is written
    with its audit row)."""
    job = Job(
        kind=kind,
        params=params,
        status=JobStatus.queued,
        requested_by=requested_by,
        created_at=at,
        idempotency_key=key,
    )
    rows = (
        await Job.insert(job)
        .on_conflict(target=Job.idempotency_key, action="DO NOTHING")
        .returning(Job.id)
    )
    return rows[0]["id"] if rows else None


def _dead(kind: str, at: datetime) -> Combinable:
    """Jobs of `kind` that a process took and then stopped showing life (a running
    job without a lease is someone's by hand, or from before leases: left alone)."""
    return (Job.kind == kind) & (Job.status == JobStatus.running) & (Job.lease_until < at)


def _waiting(kind: str) -> Combinable:
    return (Job.kind == kind) & (Job.status == JobStatus.queued)


async def _give_up(kind: str, stopped: str, at: datetime) -> None:
    """Fail the jobs of `kind` that may not be tried again, with `stopped`: their
    last allowed attempt died (or the setting was lowered since)."""
    failed = {Job.status: JobStatus.failed, Job.error: stopped, Job.finished_at: at}
    await Job.update({**failed, Job.lease_until: None}).where(
        (_dead(kind, at) | _waiting(kind)) & (Job.attempts >= max_attempts())
    )


async def requeue_dead(kind: str, stopped: str = STOPPED, at: datetime | None = None) -> int:
    """Show the jobs of `kind` whose process died as waiting again (failed, with
    `stopped`, after their last attempt); how many were queued again. claim()
    takes a dead job as it is: this keeps its page from saying it is at work."""
    at = at or now()
    if not await Job.exists().where(_dead(kind, at)):
        return 0
    async with write_transaction():
        await _give_up(kind, stopped, at)
        rows = (
            await Job.update({Job.status: JobStatus.queued, Job.lease_until: None})
            .where(_dead(kind, at))
            .returning(Job.id)
        )
    return len(rows)


async def claim(kind: str, stopped: str = STOPPED, at: datetime | None = None) -> Claim | None:
    """Take the oldest job of `kind` that is queued or whose process died, for one
    more attempt; None when there is none (or other processes hold each of them).
    A dead job past its last attempt is failed with `stopped` instead."""
    at = at or now()
    free = (_waiting(kind) | _dead(kind, at)) & (Job.attempts < max_attempts())
    values = {
        Job.status: JobStatus.running,
        Job.lease_until: at + LEASE,
        Job.attempts: Job.attempts + 1,
        Job.started_at: at,
        # The error of an earlier attempt is history once another one starts.
        Job.error: "",
    }
    # An idle worker asks every few seconds: a read, not the write lock, says no.
    if not await Job.exists().where(_waiting(kind) | _dead(kind, at)):
        return None
    async with write_transaction():
        await _give_up(kind, stopped, at)
        taken = await _take(Job, free, 1, values, (Job.params,))
    if not taken:
        return None
    return Claim(taken[0]["id"], kind, taken[0]["attempts"], params_of(taken[0]["params"]))

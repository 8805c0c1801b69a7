"""Text answers waiting for analysis: queued where they are stored, in SQL, and
taken by the text job a batch at a time under a lease (consult.jobs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from consult import bound_lists, jobs
from consult.database import write_transaction
from surveys.tables import PendingText

_IDS_PER_STATEMENT = 1000
# How long a text worker holds the answers it took: a batch takes seconds (the
# first of a language tens of seconds, loading its dictionary), never minutes.
LEASE = timedelta(minutes=5)


async def enqueue(response_ids: Sequence[int]) -> None:
    """Queue these just-stored responses' text answers for the text job (call in
    their transaction: an answer is then queued if and only if it is stored)."""
    ids = sorted(set(response_ids))
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        responses, values = bound_lists.any_of(
            "a.response", ids[start : start + _IDS_PER_STATEMENT]
        )
        await PendingText.raw(
            "INSERT INTO pending_text (answer) SELECT a.id FROM answer a"  # noqa: S608
            f" WHERE {responses} AND a.text IS NOT NULL AND a.text <> ''"
            " ON CONFLICT (answer) DO NOTHING",
            *values,
        )


async def take(limit: int, at: datetime | None = None) -> list[int]:
    """Claim up to `limit` of the oldest queued answers that no worker holds and
    that have tries left; their queue ids. Another worker's claim, in parallel,
    takes others (consult.jobs.take)."""
    at = at or jobs.now()
    free = jobs.lease_free(PendingText, at) & (PendingText.attempts < jobs.max_attempts())
    values = {PendingText.lease_until: at + LEASE, PendingText.attempts: PendingText.attempts + 1}
    return [row["id"] for row in await jobs.take(PendingText, free, limit, values)]


async def release(pending_ids: Sequence[int], untried: bool = False) -> None:
    """Give answers back to the queue: after their analysis failed (another pass
    tries them again, until they run out of attempts), or `untried` when the app
    stops mid-pass (which is not the answers' fault: the attempt does not count)."""
    values: dict[Any, Any] = {PendingText.lease_until: None}
    if untried:
        values[PendingText.attempts] = PendingText.attempts - 1
    async with write_transaction():
        await PendingText.update(values).where(PendingText.id.is_in(list(pending_ids)))


async def held_elsewhere(at: datetime | None = None) -> bool:
    """Whether some queued answers are being analysed (by any worker) right now."""
    at = at or jobs.now()
    return await PendingText.exists().where(PendingText.lease_until >= at)

"""Counting attempts (join codes tried, a kiosk's password) in fixed windows, in
the database, so that every app process on every machine counts the same.

A counter's key is a keyed hash (HMAC-SHA256 under a key derived from the secret
key and the day's UTC date) of the purpose and what is limited, such as a client's
address: the table never holds an address, without the secret key a key cannot be
tied to one, and yesterday's keys cannot be linked to today's even with it (the
day's key is never stored). The price: a window that spans midnight UTC starts
again at midnight, which lets one subject at most one extra window's attempts a day.
Each attempt is one atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING,
on SQLite and PostgreSQL alike): the count goes up before the attempt is judged,
so a burst of parallel attempts cannot all slip in under the limit, and an attempt
that turns out not to count (a correct code) is given back afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from consult import bound_lists
from consult.database import write_transaction
from consult.settings import get_settings
from consult.tables import RateLimit

# Counters whose window ended this long ago are deleted (at most once per window of
# the global counter, so the table holds about a day of distinct addresses).
KEEP_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """At most `limit` attempts per `window` for one purpose and subject."""

    purpose: str
    limit: int
    window: timedelta


@dataclass(frozen=True)
class Count:
    """A counter after an attempt: allowed while within the limit."""

    hits: int
    limit: int
    window_ends: datetime

    @property
    def allowed(self) -> bool:
        return self.hits <= self.limit

    def retry_after(self, now: datetime | None = None) -> int:
        """Whole seconds until the window ends (at least 1), for Retry-After."""
        left = (self.window_ends - (now or _now())).total_seconds()
        return max(1, math.ceil(left))


def _now() -> datetime:
    # Whole seconds: every stored time then has the same text form on SQLite, so
    # comparing them as text there orders them as times.
    return datetime.now(UTC).replace(microsecond=0)


def _hmac_key(day: date) -> bytes:
    """The day's key: derived from the secret key and the UTC date, never stored."""
    secret = get_settings().secret_key
    return hashlib.sha256(f"rate-limit:{day.isoformat()}:{secret}".encode()).digest()


def key_for(purpose: str, subject: str, day: date | None = None) -> str:
    """The counter's key: 64 hex digits of HMAC-SHA256(purpose, subject) under the
    key of `day` (today, UTC, unless given)."""
    message = f"{purpose}\x00{subject}".encode()
    key = _hmac_key(day or datetime.now(UTC).date())
    return hmac.new(key, message, hashlib.sha256).hexdigest()


_TABLE = RateLimit._meta.tablename
# Distinct keys counted by one statement: 3 bound values each, well within both
# engines' limits on bound parameters.
_KEYS_PER_STATEMENT = 500


def _hit_sql(rows: int) -> str:
    """One upsert for `rows` distinct keys, each (key, window_start, n): a new key
    starts at n; a key whose window has ended starts a new window at n; otherwise n
    more. Every SET expression reads the row as it was (both engines)."""
    values = ", ".join(["({}, {}, {})"] * rows)
    return (
        f"INSERT INTO {_TABLE} (key, window_start, hits) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (key) DO UPDATE SET "
        f"hits = CASE WHEN {_TABLE}.window_start <= {{}} THEN excluded.hits "
        f"ELSE {_TABLE}.hits + excluded.hits END, "
        f"window_start = CASE WHEN {_TABLE}.window_start <= {{}} "
        f"THEN excluded.window_start ELSE {_TABLE}.window_start END "
        f"RETURNING key, hits, window_start"
    )


_GIVE_BACK_SQL = (
    f"UPDATE {_TABLE} SET hits = hits - 1 "  # noqa: S608
    "WHERE key = {} AND hits > 0 AND window_start > {}"
)
_PEEK_SQL = f"SELECT hits, window_start FROM {_TABLE} WHERE key = {{}} AND window_start > {{}}"  # noqa: S608
_FORGET_SQL = f"DELETE FROM {_TABLE} WHERE window_start < {{}}"  # noqa: S608


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def hit(limit: Limit, subject: str) -> Count:
    """Count one attempt of `subject` (e.g. a client address) against `limit`."""
    async with write_transaction():
        counts = await hit_within(limit, [subject])
    return counts[0]


async def hit_within(limit: Limit, subjects: Sequence[str]) -> list[Count]:
    """Count one attempt for each of `subjects` (one may come several times), in
    order, inside a write transaction the caller holds; one Count per subject, as
    if each had been counted alone in turn.

    One upsert for all the distinct keys, rows in key order: two transactions
    counting the same keys lock their rows in the same order and cannot deadlock
    on PostgreSQL.
    """
    now = _now()
    keys = [key_for(limit.purpose, subject) for subject in subjects]
    wanted = Counter(keys)
    ordered = sorted(wanted)
    totals: dict[str, tuple[int, datetime]] = {}
    for start in range(0, len(ordered), _KEYS_PER_STATEMENT):
        chunk = ordered[start : start + _KEYS_PER_STATEMENT]
        values = [value for key in chunk for value in (key, now, wanted[key])]
        cutoff = now - limit.window
        for row in await RateLimit.raw(_hit_sql(len(chunk)), *values, cutoff, cutoff):
            key = row["key"]
            totals[key] = (int(row["hits"]) - wanted[key], _as_datetime(row["window_start"]))
    counts = []
    for key in keys:
        before, start = totals[key]
        totals[key] = (before + 1, start)
        counts.append(Count(before + 1, limit.limit, start + limit.window))
    return counts


async def give_back(limit: Limit, subject: str) -> None:
    """Take back an attempt counted by hit() that turned out not to count."""
    now = _now()
    async with write_transaction():
        await RateLimit.raw(_GIVE_BACK_SQL, key_for(limit.purpose, subject), now - limit.window)


async def current(limit: Limit, subject: str) -> Count:
    """The counter as it stands, without counting an attempt."""
    now = _now()
    rows = await RateLimit.raw(_PEEK_SQL, key_for(limit.purpose, subject), now - limit.window)
    if not rows:
        return Count(0, limit.limit, now + limit.window)
    start = _as_datetime(rows[0]["window_start"])
    return Count(int(rows[0]["hits"]), limit.limit, start + limit.window)


async def current_many(limit: Limit, subjects: Sequence[str]) -> dict[str, int]:
    """The attempts counted so far in each subject's current window (0 for one never
    counted), in one query, without counting an attempt."""
    if not subjects:
        return {}
    keys = {key_for(limit.purpose, subject): subject for subject in subjects}
    found = dict.fromkeys(subjects, 0)
    cutoff = _now() - limit.window
    ordered = sorted(keys)
    for start in range(0, len(ordered), _KEYS_PER_STATEMENT):
        chunk = ordered[start : start + _KEYS_PER_STATEMENT]
        among, values = bound_lists.any_of("key", chunk, "text")
        rows = await RateLimit.raw(
            f"SELECT key, hits FROM {_TABLE} WHERE window_start > {{}} AND {among}",  # noqa: S608
            cutoff,
            *values,
        )
        for row in rows:
            found[keys[row["key"]]] = int(row["hits"])
    return found


async def forget_old(keep_for: timedelta = KEEP_FOR) -> None:
    """Delete counters whose window started more than `keep_for` ago."""
    async with write_transaction():
        await forget_old_within(keep_for)


async def forget_old_within(keep_for: timedelta = KEEP_FOR) -> None:
    """forget_old() inside a write transaction the caller holds."""
    await RateLimit.raw(_FORGET_SQL, _now() - keep_for)


__all__ = [
    "KEEP_FOR",
    "Count",
    "Limit",
    "current",
    "current_many",
    "forget_old",
    "forget_old_within",
    "give_back",
    "hit",
    "hit_within",
    "key_for",
]

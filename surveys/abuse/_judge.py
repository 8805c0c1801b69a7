"""Judging a batch of submissions inside the transaction that stores them: the rate
limits, the repeats, the spike and the copied texts, all counted in the database
so that every app process judges alike. Called by surveys.submissions only."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from consult.group_commit import WRITER_SHARDS, writer_shard
from consult.services import rate_limits
from consult.services.rate_limits import Limit
from consult.settings import get_settings
from surveys.abuse._signals import Flag, Signals
from surveys.tables import Response, SubmissionTrace

# Refused with 429 (the answers stay on the resident's page): more than this from
# one address in an hour is a flood, whatever its session says.
FLOOD_PER_ADDRESS = Limit("submit:address-flood", 200, timedelta(hours=1))
# Held as "rate": more than 20 from one address in 10 minutes (not counted for a
# kiosk or a hosted session, whose people share one network), or more than 5 to one
# survey from one resident's session in an hour (not counted for a kiosk).
PER_ADDRESS = Limit("submit:address", 20, timedelta(minutes=10))
PER_SESSION = Limit("submit:session", 5, timedelta(hours=1))
# Held as "spike": more than CONSULT_SPIKE_PER_MINUTE (60) a minute to one survey,
# far above what even a busy hosted session sends (30 people pressing Send in the
# same minute). Counted in shards (consult.group_commit.writer_shard), summed when
# judged: every batch counts one, and on one row they would wait for each other.
SPIKE_PURPOSE = "submit:survey"
SPIKE_WINDOW = timedelta(minutes=1)
# Held as "repeat_address": the fourth and later response of a day to one survey
# from one address (a household of three answers alike; many phones share one
# address behind a mobile network, so the second is no evidence).
ADDRESS_REPEATS = 3
# Held as "duplicate_text": a response whose free text, normalised, is that of
# another response to the survey within a day.
DUPLICATE_WINDOW = timedelta(days=1)
# Traces older than this are deleted, at most once an hour per app process (and
# rate-limit counters older than a day with them).
TRACES_KEPT = timedelta(days=7)
PRUNE_EVERY_SECONDS = 3600.0

_last_pruned: dict[str, float] = {}


@dataclass(frozen=True)
class Candidate:
    """One submission to judge: its survey, its key, what the form told."""

    survey_id: int
    idempotency_key: str
    signals: Signals
    text_digest: str


@dataclass(frozen=True)
class Verdict:
    """Stored with these flags (held for review if any), or refused for a while."""

    flags: tuple[str, ...] = ()
    retry_after: int | None = None

    @property
    def refused(self) -> bool:
        return self.retry_after is not None


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


async def judge(candidates: Sequence[Candidate]) -> list[Verdict]:
    """A verdict for each candidate, in order, counted as if one came after the
    other. Call inside the write transaction that stores them: the counters, the
    traces and the verdicts commit together, or none of them does."""
    if not candidates:
        return []
    if not get_settings().abuse_checks:
        return [Verdict(c.signals.flags) for c in candidates]
    fresh = await _unstored(candidates)
    flags: dict[int, list[str]] = {i: list(c.signals.flags) for i, c in enumerate(candidates)}
    refused: dict[int, int] = {}
    judged = [i for i, c in enumerate(candidates) if c.idempotency_key in fresh]
    floods = await rate_limits.hit_within(
        FLOOD_PER_ADDRESS, [candidates[i].signals.address for i in judged]
    )
    for i, count in zip(judged, floods, strict=True):
        if not count.allowed:
            refused[i] = count.retry_after()
    judged = [i for i in judged if i not in refused]
    await _count(PER_ADDRESS, Flag.rate, judged, candidates, flags, _address_subject)
    await _count(PER_SESSION, Flag.rate, judged, candidates, flags, _session_subject)
    await _spikes(judged, candidates, flags)
    await _repeats(judged, candidates, flags)
    await _copies(judged, candidates, flags)
    await _prune_if_due()
    return [
        Verdict(retry_after=refused[i]) if i in refused else Verdict(tuple(flags[i]))
        for i in range(len(candidates))
    ]


async def _unstored(candidates: Sequence[Candidate]) -> set[str]:
    """The keys not stored before: a retried form counts nothing twice."""
    keys = [c.idempotency_key for c in candidates]
    rows = await Response.select(Response.idempotency_key).where(
        Response.idempotency_key.is_in(keys)
    )
    return set(keys) - {row["idempotency_key"] for row in rows}


def _address_subject(c: Candidate) -> str | None:
    return None if c.signals.shared else c.signals.address


def _session_subject(c: Candidate) -> str | None:
    if c.signals.kiosk or not c.signals.browser:
        return None
    return f"{c.survey_id}:{c.signals.browser}"


def spike_limit() -> Limit | None:
    """The spike limit as set (None: the check is off)."""
    per_minute = get_settings().spike_per_minute
    return Limit(SPIKE_PURPOSE, per_minute, SPIKE_WINDOW) if per_minute else None


def _spike_subject(survey_id: int, shard: int) -> str:
    return f"{survey_id}:{shard}"


async def _spikes(
    judged: list[int], candidates: Sequence[Candidate], flags: dict[int, list[str]]
) -> None:
    """Flag what goes beyond the spike limit: each candidate counted in this writer's
    shard, and judged by its survey's count over every shard."""
    limit = spike_limit()
    if limit is None or not judged:
        return
    shard = writer_shard()
    own = await rate_limits.hit_within(
        limit, [_spike_subject(candidates[i].survey_id, shard) for i in judged]
    )
    # Every other shard's counter of each survey in the batch, read in one query.
    siblings = {
        _spike_subject(survey, other): survey
        for survey in {candidates[i].survey_id for i in judged}
        for other in range(WRITER_SHARDS)
        if other != shard
    }
    others: Counter[int] = Counter()
    for subject, hits in (await rate_limits.current_many(limit, list(siblings))).items():
        others[siblings[subject]] += hits
    for i, count in zip(judged, own, strict=True):
        if count.hits + others[candidates[i].survey_id] > limit.limit:
            flags[i].append(Flag.spike.value)


async def _count(
    limit: Limit,
    flag: Flag,
    judged: list[int],
    candidates: Sequence[Candidate],
    flags: dict[int, list[str]],
    subject_of: Callable[[Candidate], str | None],
) -> None:
    """Count `limit` for each judged candidate it applies to; flag those over it."""
    subjects = [(i, subject_of(candidates[i])) for i in judged]
    subjects = [(i, s) for i, s in subjects if s is not None]
    counts = await rate_limits.hit_within(limit, [s for _, s in subjects])
    for (i, _), count in zip(subjects, counts, strict=True):
        if not count.allowed:
            flags[i].append(flag.value)


def _trace_keys(c: Candidate) -> list[tuple[str, str, Flag, int]]:
    """(kind, keyed hash, flag, how many before it is flagged) of a candidate's
    traces: none for a kiosk or a hosted session, where one address and one device
    legitimately send many."""
    if c.signals.shared:
        return []
    traces = [
        (
            "address",
            rate_limits.key_for(f"trace:address:{c.survey_id}", c.signals.address),
            Flag.repeat_address,
            ADDRESS_REPEATS,
        )
    ]
    if c.signals.browser:
        key = rate_limits.key_for(f"trace:browser:{c.survey_id}", c.signals.browser)
        traces.append(("browser", key, Flag.repeat_browser, 1))
    return traces


async def _repeats(
    judged: list[int], candidates: Sequence[Candidate], flags: dict[int, list[str]]
) -> None:
    """Flag a second submission from one browser (a fourth from one address) to one
    survey today, and leave a trace of each."""
    wanted = {i: _trace_keys(candidates[i]) for i in judged}
    keys = sorted({key for traces in wanted.values() for _, key, _, _ in traces})
    if not keys:
        return
    rows = await SubmissionTrace.raw(
        f"SELECT key, COUNT(*) AS n FROM {SubmissionTrace._meta.tablename}"  # noqa: S608
        f" WHERE key IN ({', '.join(['{}'] * len(keys))}) GROUP BY key",
        *keys,
    )
    seen = {row["key"]: int(row["n"]) for row in rows}
    now = _hour(datetime.now(UTC))
    new_rows = []
    for i in judged:
        for kind, key, flag, allowed in wanted[i]:
            if seen.get(key, 0) >= allowed:
                flags[i].append(flag.value)
            seen[key] = seen.get(key, 0) + 1
            new_rows.append(
                SubmissionTrace(survey=candidates[i].survey_id, kind=kind, key=key, created_at=now)
            )
    await SubmissionTrace.insert(*new_rows)


async def _copies(
    judged: list[int], candidates: Sequence[Candidate], flags: dict[int, list[str]]
) -> None:
    """Flag a response whose free text copies another's to the same survey today."""
    digests = sorted({candidates[i].text_digest for i in judged if candidates[i].text_digest})
    if not digests:
        return
    since = _hour(datetime.now(UTC)) - DUPLICATE_WINDOW
    rows = await Response.raw(
        f"SELECT survey, text_digest, COUNT(*) AS n FROM {Response._meta.tablename}"  # noqa: S608
        f" WHERE text_digest IN ({', '.join(['{}'] * len(digests))}) AND submitted_at >= {{}}"
        " GROUP BY survey, text_digest",
        *digests,
        since,
    )
    seen = {(row["survey"], row["text_digest"]): int(row["n"]) for row in rows}
    for i in judged:
        c = candidates[i]
        if not c.text_digest:
            continue
        cell = (c.survey_id, c.text_digest)
        if seen.get(cell, 0) >= 1:
            flags[i].append(Flag.duplicate_text.value)
        seen[cell] = seen.get(cell, 0) + 1


async def forget_old_traces(now: datetime | None = None) -> None:
    """Delete traces older than TRACES_KEPT (an indexed DELETE on created_at); call
    inside a write transaction."""
    cutoff = (now or datetime.now(UTC)) - TRACES_KEPT
    await SubmissionTrace.delete().where(SubmissionTrace.created_at < cutoff)


async def _prune_if_due() -> None:
    """Old traces, and the counters submissions leave, go at most once an hour per
    app process: cheap, and any process's turn will do, so nothing is shared."""
    now = time.monotonic()
    if now - _last_pruned.get("traces", float("-inf")) < PRUNE_EVERY_SECONDS:
        return
    _last_pruned["traces"] = now
    await forget_old_traces()
    await rate_limits.forget_old_within()

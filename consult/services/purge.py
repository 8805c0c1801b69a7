"""Retention: a consultation's retention date, and deleting the responses of every
consultation past it (by `consult purge`, and once a day by the app itself).

A purge deletes, for each consultation whose `retain_until` day is over (in the
city's clock): its responses with their answers and everything drawn from those
answers (text features, codes, approved quotes and the findings' evidence rows
that cite them, safeguarding flags, text answers waiting for analysis), the
drafts of unfinished answers, the codebook's suggested themes and every theme's
example texts. Each batch of responses is retracted from the tally in the
transaction that deletes it, so results never count a response that is gone.

What remains, for the record: the consultation, its surveys and questions, the
accepted themes (labels and keywords, no answer text), the findings planners wrote
and the audit trail. Nothing of it holds a respondent's words or a count below
the disclosure threshold: results were only ever shown suppressed
(analysis/disclosure.py), and with no responses left every count is zero.
Finished export files are deleted by their own job within a day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from piccolo.columns.combination import Combinable
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.query import Select

from analysis.tables import Theme, ThemeStatus
from consult.database import write_transaction
from consult.services import audit
from consult.services.consultations import forget_cached
from consult.settings import get_settings
from consult.tables import Consultation
from surveys import drafts, tally
from surveys.tables import Response, ResumeDraft, Survey

# Responses deleted per transaction: a purge of 100,000 holds the write lock for
# a moment at a time, so residents' submissions go on between batches.
BATCH = 500
# The audit action of a purge as a whole; each consultation purged has its own row.
PURGE_ACTION = "purge"
CONSULTATION_ACTION = "purge_responses"


@dataclass(frozen=True)
class Purged:
    """The responses deleted of one consultation."""

    consultation_id: int
    title: str
    retain_until: date
    responses: int


@dataclass(frozen=True)
class PurgeReport:
    """What one purge deleted."""

    consultations: tuple[Purged, ...]
    drafts: int

    @property
    def responses(self) -> int:
        return sum(purged.responses for purged in self.consultations)

    def summary(self) -> str:
        """What an operator reads: "Deleted 1,204 responses of 'X' (retained until
        2026-11-30); 3 expired drafts." """
        parts = [
            f"Deleted {purged.responses:,} {_responses(purged.responses)} of {purged.title!r}"
            f" (retained until {purged.retain_until.isoformat()})"
            for purged in self.consultations
        ] or ["No responses were past their retention date"]
        parts.append(f"{self.drafts:,} expired {'draft' if self.drafts == 1 else 'drafts'}")
        return "; ".join(parts) + "."


def _responses(count: int) -> str:
    return "response" if count == 1 else "responses"


def today() -> date:
    """Today on the city's clock: a retention date is a day there."""
    return datetime.now(get_settings().zone).date()


def parse_retention(typed: str) -> date | None:
    """The date a planner typed (YYYY-MM-DD), or None if it is not one."""
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        return None


async def set_retention(consultation: Consultation, retain_until: date | None) -> None:
    """Keep the consultation's responses until the end of `retain_until` (None: until
    someone deletes them)."""
    async with write_transaction():
        await Consultation.update({Consultation.retain_until: retain_until}).where(
            Consultation.id == consultation.id
        )
    consultation.retain_until = retain_until
    forget_cached()


def locked(query: Select) -> Select:
    """`query` (a Piccolo select) locking its rows until the transaction ends, on
    PostgreSQL; SQLite's write transaction already excludes every other writer.

    Deleting responses reads them, retracts them from the tally and deletes them: a
    second process doing the same to the same rows in between would retract twice.
    """
    if isinstance(engine_finder(), PostgresEngine):
        return query.lock_rows()
    return query


async def delete_responses(where: Combinable, limit: int | None = None) -> list[int]:
    """Delete the responses `where` selects (at most `limit`), retracted from the
    tally first; their answers and what was drawn from them go by cascade. Call
    inside a write transaction. The ids deleted."""
    query = Response.select(Response.id).where(where).order_by(Response.id)
    if limit is not None:
        query = query.limit(limit)
    rows = await locked(query)
    ids = [row["id"] for row in rows]
    if ids:
        await tally.retract(ids)
        await Response.delete().where(Response.id.is_in(ids))
    return ids


async def _past_retention(on: date) -> list[Consultation]:
    return (
        await Consultation.objects()
        .where(Consultation.retain_until.is_not_null() & (Consultation.retain_until < on))
        .order_by(Consultation.id)
    )


async def _purge_consultation(consultation: Consultation, actor_id: int | None) -> int:
    rows = await Survey.select(Survey.id).where(Survey.consultation == consultation.id)
    survey_ids = [row["id"] for row in rows]
    if not survey_ids:
        return 0
    deleted = 0
    while True:
        async with write_transaction():
            batch = await delete_responses(Response.survey.is_in(survey_ids), BATCH)
        deleted += len(batch)
        if len(batch) < BATCH:
            break
    async with write_transaction():
        await ResumeDraft.delete().where(ResumeDraft.survey.is_in(survey_ids))
        await _forget_theme_texts(survey_ids)
        if deleted:
            await audit.add(
                actor_id,
                CONSULTATION_ACTION,
                "consultation",
                consultation.id,
                f"{deleted} {_responses(deleted)}, retained until {consultation.retain_until}",
            )
    return deleted


async def _forget_theme_texts(survey_ids: Sequence[int]) -> None:
    """Suggested themes are drawn from answers, and examples quote them: both go."""
    await Theme.delete().where(
        Theme.survey.is_in(list(survey_ids)) & (Theme.status == ThemeStatus.suggested.value)
    )
    await Theme.update({Theme.examples: []}).where(Theme.survey.is_in(list(survey_ids)))


async def purge(actor_id: int | None = None, on: date | None = None) -> PurgeReport:
    """Delete every response past its consultation's retention date, with all that
    was drawn from it, and expired drafts; audited.

    What remains of a purged consultation: itself, its surveys and questions, the
    accepted themes (labels, keywords), the findings and the audit trail; no
    respondent's words, and results that count nothing (they were only ever shown
    with small groups suppressed, analysis/disclosure.py)."""
    on = on or today()
    purged = []
    for consultation in await _past_retention(on):
        count = await _purge_consultation(consultation, actor_id)
        if count:
            purged.append(
                Purged(consultation.id, consultation.title, consultation.retain_until, count)
            )
    report = PurgeReport(tuple(purged), await drafts.purge_expired())
    async with write_transaction():
        await audit.add(actor_id, PURGE_ACTION, "retention", 0, report.summary())
    return report


async def due(on: date | None = None, now: datetime | None = None) -> bool:
    """Whether anything waits to be purged: a response past retention or an expired
    draft (two indexed reads; nothing is written)."""
    on = on or today()
    now = now or datetime.now(UTC)
    past = await Response.exists().where(
        Response.survey.consultation.retain_until.is_not_null()
        & (Response.survey.consultation.retain_until < on)
    )
    return past or await ResumeDraft.exists().where(ResumeDraft.expires_at <= now)


__all__ = [
    "BATCH",
    "CONSULTATION_ACTION",
    "PURGE_ACTION",
    "PurgeReport",
    "Purged",
    "delete_responses",
    "due",
    "parse_retention",
    "purge",
    "set_retention",
    "today",
]

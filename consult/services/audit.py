"""The audit trail: who signed in, changed a role, exported, read an original text
or purged what; and the admin's paged view of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from consult.database import write_transaction
from consult.tables import AuditEvent

# Rows on one page of the admin's view.
PAGE_SIZE = 50


async def add(
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    detail: str = "",
    is_export: bool = False,
) -> int:
    """Write one event inside the caller's write transaction (so that it is kept if
    and only if what it records is); its id."""
    rows = await AuditEvent.insert(
        AuditEvent(
            actor=actor_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=detail[:200],
            at=datetime.now(UTC),
            is_export=is_export,
        )
    ).returning(AuditEvent.id)
    return int(rows[0]["id"])


async def record(
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    detail: str = "",
    is_export: bool = False,
) -> None:
    """Write one event in a transaction of its own."""
    async with write_transaction():
        await add(actor_id, action, object_type, object_id, detail, is_export)


@dataclass(frozen=True)
class Event:
    """One row of the admin's view; `actor` is a username ("" for the system or the
    command line, or a user since removed)."""

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: int
    detail: str
    is_export: bool


@dataclass(frozen=True)
class EventPage:
    """Newest first; `older` is the id to page on from (None on the last page)."""

    events: tuple[Event, ...]
    older: int | None


async def actions() -> list[str]:
    """Every action the trail holds, for the filter."""
    rows = await AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return [row["action"] for row in rows]


async def page(action: str | None = None, before: int | None = None) -> EventPage:
    """A page of events, newest first, of one action if given, older than the event
    `before` if given (keyset paging: a page costs the same however deep it is)."""
    query = AuditEvent.select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.actor.username,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.detail,
        AuditEvent.is_export,
    )
    if action:
        query = query.where(AuditEvent.action == action)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    rows = await query.order_by(AuditEvent.id, ascending=False).limit(PAGE_SIZE + 1)
    events = tuple(
        Event(
            id=row["id"],
            at=row["at"],
            actor=row["actor.username"] or "",
            action=row["action"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            detail=row["detail"],
            is_export=bool(row["is_export"]),
        )
        for row in rows[:PAGE_SIZE]
    )
    older = events[-1].id if len(rows) > PAGE_SIZE else None
    return EventPage(events, older)


__all__ = ["PAGE_SIZE", "Event", "EventPage", "actions", "add", "page", "record"]

"""Reading hosted sessions: by id, by join code, for a staff member (the
object-level check), their completed counts, and what a form may choose from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from consult import i18n, join_codes
from consult.services.hosted_sessions._model import (
    HostedSessionView,
    JoinCheck,
    JoinRefusal,
    SessionNotJoinable,
)
from consult.services.reach import reach_of
from consult.services.staff import StaffMember
from consult.settings import get_settings
from consult.tables import (
    Consultation,
    ConsultationStatus,
    HostedSession,
    Organisation,
    Role,
    SessionGroup,
)
from surveys.tables import Response, ResponseStatus, Survey

# Reading


def _on_city_clock(moment: datetime | None) -> datetime | None:
    """A stored time as staff typed it: on the city's clock (CONSULT_TIMEZONE)."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite may hand back a naive UTC time
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(get_settings().zone)


def _is_planner(member: StaffMember) -> bool:
    return member.role in (Role.admin, Role.planner)


def _select() -> Any:
    return HostedSession.select(
        HostedSession.id,
        HostedSession.consultation.id,
        HostedSession.consultation.slug,
        HostedSession.consultation.title,
        HostedSession.consultation.status,
        HostedSession.organisation.id,
        HostedSession.organisation.name,
        HostedSession.title,
        HostedSession.code,
        HostedSession.mode,
        HostedSession.locale,
        HostedSession.starts_at,
        HostedSession.closes_at,
        HostedSession.place,
    )


async def _views(rows: list[dict[str, Any]]) -> tuple[HostedSessionView, ...]:
    if not rows:
        return ()
    ids = [row["id"] for row in rows]
    groups: dict[int, list[str]] = {}
    for group in (
        await SessionGroup.select(SessionGroup.session, SessionGroup.name)
        .where(SessionGroup.session.is_in(ids))
        .order_by(SessionGroup.id)
    ):
        groups.setdefault(group["session"], []).append(group["name"])
    consultation_ids = sorted({row["consultation.id"] for row in rows})
    surveys: dict[int, int] = {}
    for survey in (
        await Survey.select(Survey.id, Survey.consultation)
        .where(Survey.consultation.is_in(consultation_ids) & Survey.retired.eq(False))
        .order_by(Survey.id)
    ):
        surveys.setdefault(survey["consultation"], survey["id"])
    return tuple(
        HostedSessionView(
            id=row["id"],
            consultation_id=row["consultation.id"],
            consultation_slug=row["consultation.slug"],
            consultation_title=row["consultation.title"],
            consultation_status=row["consultation.status"],
            organisation_id=row["organisation.id"],
            organisation_name=row["organisation.name"],
            title=row["title"],
            code=row["code"],
            mode=row["mode"],
            locale=row["locale"],
            starts_at=_on_city_clock(row["starts_at"]),
            closes_at=_on_city_clock(row["closes_at"]),
            place=row["place"],
            groups=tuple(groups.get(row["id"], ())),
            survey_id=surveys.get(row["consultation.id"]),
        )
        for row in rows
    )


async def session_by_id(session_id: int) -> HostedSessionView | None:
    """Any session by its id, with no check of who asks (use session_for_member)."""
    found = await _views(await _select().where(HostedSession.id == session_id).limit(1))
    return found[0] if found else None


async def check_code(typed: str) -> JoinCheck:
    """What a typed code leads to, whatever the session's state."""
    code = join_codes.normalise(typed)
    if code is None:
        return JoinCheck(None, JoinRefusal.unknown)
    found = await _views(await _select().where(HostedSession.code == code).limit(1))
    if not found:
        return JoinCheck(None, JoinRefusal.unknown)
    session = found[0]
    if session.consultation_status == ConsultationStatus.draft.value:
        return JoinCheck(session, JoinRefusal.not_open)
    if session.ended():
        return JoinCheck(session, JoinRefusal.ended)
    return JoinCheck(session, None)


async def session_by_code(code: str) -> HostedSessionView | None:
    """The session a resident may join with `code` (any case, spaces and dashes).

    None when no session has the code; raises SessionNotJoinable (with its reason)
    when the session exists but its consultation is not open or it has ended, so
    the join page can say "this session has ended" rather than "wrong code".
    """
    checked = await check_code(code)
    if checked.session is None:
        return None
    if checked.refusal is not None:
        raise SessionNotJoinable(checked.refusal, checked.session)
    return checked.session


def may_see(member: StaffMember, organisation_id: int) -> bool:
    """A planner or admin sees every organisation's sessions; a facilitator their own."""
    if _is_planner(member):
        return True
    return (
        member.role == Role.facilitator
        and member.organisation_id is not None
        and member.organisation_id == organisation_id
    )


async def session_for_member(member: StaffMember, session_id: int) -> HostedSessionView | None:
    """The session, if `member` may see it (the object-level check of every session
    page): a facilitator only gets their own organisation's; None otherwise, so a
    page answers 404 and does not tell another organisation's sessions apart from
    sessions that do not exist."""
    session = await session_by_id(session_id)
    if session is None or not may_see(member, session.organisation_id):
        return None
    return session


async def sessions_for_member(member: StaffMember) -> tuple[HostedSessionView, ...]:
    """The sessions `member` may see, the latest first: a planner's city's (by the
    consultation's city), a facilitator's organisation's, every one for an admin."""
    query = _select()
    if not _is_planner(member):
        if member.organisation_id is None:
            return ()
        query = query.where(HostedSession.organisation == member.organisation_id)
    else:
        reach = await reach_of(member)
        if reach.nothing:
            return ()
        query = reach.narrow(query, HostedSession.consultation.city)
    rows = await query.order_by(HostedSession.starts_at, ascending=False).order_by(
        HostedSession.id, ascending=False
    )
    return await _views(rows)


async def completed_count(session_id: int) -> int:
    """Complete responses that came through the session (one COUNT on an index)."""
    return await Response.count().where(
        (Response.hosted_session == session_id) & (Response.status == ResponseStatus.complete.value)
    )


async def completed_counts(session_ids: Iterable[int]) -> dict[int, int]:
    """Complete responses per session, for a list of sessions (one GROUP BY)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = await (
        Response.select(Response.hosted_session, Count(alias="n"))
        .where(
            Response.hosted_session.is_in(ids) & (Response.status == ResponseStatus.complete.value)
        )
        .group_by(Response.hosted_session)
    )
    counts = dict.fromkeys(ids, 0)
    for row in rows:
        counts[row["hosted_session"]] = row["n"]
    return counts


# What a form may choose from


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


async def open_consultations(member: StaffMember) -> tuple[Choice, ...]:
    """The open consultations `member` may host a session of: their city's (a
    facilitator's organisation's city), every city's for an admin."""
    reach = await reach_of(member)
    if reach.nothing:
        return ()
    query = Consultation.select(Consultation.id, Consultation.title).where(
        Consultation.status == ConsultationStatus.open.value
    )
    rows = await reach.narrow(query, Consultation.city).order_by(Consultation.title)
    return tuple(Choice(row["id"], row["title"]) for row in rows)


async def organisations_for(member: StaffMember) -> tuple[Choice, ...]:
    """The organisations `member` may host a session for: a facilitator's own, a
    planner's city's, every one for an admin."""
    query = Organisation.select(Organisation.id, Organisation.name)
    if not _is_planner(member):
        if member.organisation_id is None:
            return ()
        query = query.where(Organisation.id == member.organisation_id)
    else:
        reach = await reach_of(member)
        if reach.nothing:
            return ()
        query = reach.narrow(query, Organisation.city)
    rows = await query.order_by(Organisation.name)
    return tuple(Choice(row["id"], row["name"]) for row in rows)


def locales() -> tuple[str, ...]:
    """The languages a session can be held in: those the app has."""
    return i18n.available_locales()

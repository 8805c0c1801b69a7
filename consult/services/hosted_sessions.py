"""Sessions organisations host: finding one by its join code, the object-level check
of who may see one, the completed count, and making and changing them."""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from piccolo.query.functions.aggregate import Count

from consult import i18n, join_codes
from consult.database import write_transaction
from consult.i18n import N_
from consult.services.staff import StaffMember
from consult.tables import (
    Consultation,
    ConsultationStatus,
    HostedSession,
    Organisation,
    Role,
    SessionGroup,
    SessionMode,
)
from surveys.tables import Response, ResponseStatus, Survey

TITLE_MAX = 200
PLACE_MAX = 200
GROUP_MAX = 100
GROUPS_MAX = 20
# Attempts at a code nobody has yet (a collision at 45.8 bits is already rare).
_CODE_ATTEMPTS = 8

# Field -> what is wrong with it (marked for translation; shown where the field is).
SESSION_MESSAGES = {
    "consultation": N_("Choose an open consultation."),
    "organisation": N_("Choose the organisation hosting the session."),
    "title": N_("Enter a title of 1 to %(limit)s characters."),
    "date": N_("Enter the date of the session, like 2026-03-14."),
    "time": N_("Enter the time the session starts, like 17:30."),
    "closes": N_("Enter when the code stops working as a date and time after the start."),
    "place": N_("Enter a place of up to %(limit)s characters."),
    "mode": N_("Choose how people will answer."),
    "locale": N_("Choose a language."),
    "groups": N_("Enter up to 20 groups, each of up to 100 characters."),
}
SESSION_LIMITS = {"title": TITLE_MAX, "place": PLACE_MAX}
MODE_LABELS = {
    SessionMode.own_phones.value: N_("On their own phones"),
    SessionMode.kiosk.value: N_("On a shared tablet (kiosk)"),
    SessionMode.assisted.value: N_("With a helper"),
    SessionMode.paper.value: N_("On paper"),
}


@dataclass(frozen=True)
class HostedSessionView:
    """A hosted session as every page shows it."""

    id: int
    consultation_id: int
    consultation_slug: str
    consultation_title: str
    consultation_status: str
    organisation_id: int
    organisation_name: str
    title: str
    code: str
    mode: str
    locale: str
    starts_at: datetime | None
    closes_at: datetime | None
    place: str
    groups: tuple[str, ...]
    # The consultation's survey in use (the first not retired), None when it has none.
    survey_id: int | None

    @property
    def display_code(self) -> str:
        return join_codes.display(self.code)

    def ended(self, now: datetime | None = None) -> bool:
        """Nobody may join any more: the consultation is no longer open or the
        session's own closing time has passed."""
        if self.consultation_status != ConsultationStatus.open.value:
            return True
        return self.closes_at is not None and self.closes_at <= (now or datetime.now(UTC))


class JoinRefusal(enum.StrEnum):
    """Why a code lets nobody join."""

    unknown = "unknown"  # no session has the code (or it cannot be a code)
    not_open = "not_open"  # the consultation has not opened (a draft)
    ended = "ended"  # the consultation closed, or the session's closing time passed


class SessionNotJoinable(Exception):
    """The code is a session's, but nobody may join it now (`reason` says why)."""

    def __init__(self, reason: JoinRefusal, session: HostedSessionView) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.session = session


@dataclass(frozen=True)
class JoinCheck:
    """What a typed code leads to: a session to join, or why not."""

    session: HostedSessionView | None
    refusal: JoinRefusal | None


@dataclass(frozen=True)
class SessionInput:
    """A session as a facilitator or planner describes it (already parsed)."""

    consultation_id: int | None
    organisation_id: int | None
    title: str
    starts_at: datetime | None
    place: str
    mode: str
    locale: str
    groups: tuple[str, ...] = ()
    closes_at: datetime | None = None


class SessionInvalid(ValueError):
    """The input's refused fields: field name -> a SESSION_MESSAGES key."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


# Reading


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
            starts_at=row["starts_at"],
            closes_at=row["closes_at"],
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
    """The sessions `member` may see, the latest first."""
    query = _select()
    if not _is_planner(member):
        if member.organisation_id is None:
            return ()
        query = query.where(HostedSession.organisation == member.organisation_id)
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


async def open_consultations() -> tuple[Choice, ...]:
    rows = (
        await Consultation.select(Consultation.id, Consultation.title)
        .where(Consultation.status == ConsultationStatus.open.value)
        .order_by(Consultation.title)
    )
    return tuple(Choice(row["id"], row["title"]) for row in rows)


async def organisations_for(member: StaffMember) -> tuple[Choice, ...]:
    """The organisations `member` may host a session for."""
    query = Organisation.select(Organisation.id, Organisation.name)
    if not _is_planner(member):
        if member.organisation_id is None:
            return ()
        query = query.where(Organisation.id == member.organisation_id)
    rows = await query.order_by(Organisation.name)
    return tuple(Choice(row["id"], row["name"]) for row in rows)


def locales() -> tuple[str, ...]:
    """The languages a session can be held in: those the app has."""
    return i18n.available_locales()


# Parsing and checking


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _time(value: str) -> time | None:
    value = value.strip().replace(".", ":")
    if len(value) not in (4, 5) or ":" not in value:
        return None
    try:
        return time.fromisoformat(value.zfill(5))
    except ValueError:
        return None


def _at(day: date, at: time) -> datetime:
    # Times are kept as typed, the city's wall clock, and shown back the same way.
    return datetime.combine(day, at, tzinfo=UTC)


def split_groups(text: str) -> tuple[str, ...]:
    """Groups typed one a line or separated by commas, each once, in order."""
    parts = (part.strip() for line in text.splitlines() for part in line.split(","))
    return tuple(dict.fromkeys(part for part in parts if part))


def parse_form(values: Mapping[str, str]) -> tuple[SessionInput, dict[str, str]]:
    """A session's form values (strings) as an input, and the fields that cannot be
    read (field -> SESSION_MESSAGES key). Rules that need the database are checked
    by `create` and `update`."""
    errors: dict[str, str] = {}
    day = _date(values.get("date", ""))
    if day is None:
        errors["date"] = "date"
    at = _time(values.get("time", ""))
    if at is None:
        errors["time"] = "time"
    closes_at = None
    closes_day, closes_time = values.get("closes_date", ""), values.get("closes_time", "")
    if closes_day.strip() or closes_time.strip():
        parsed_day, parsed_time = _date(closes_day), _time(closes_time or "23:59")
        if parsed_day is None or parsed_time is None:
            errors["closes"] = "closes"
        else:
            closes_at = _at(parsed_day, parsed_time)
    starts_at = _at(day, at) if day and at else None
    if starts_at and closes_at and closes_at <= starts_at:
        errors["closes"] = "closes"
    data = SessionInput(
        consultation_id=_int_or_none(values.get("consultation", "")),
        organisation_id=_int_or_none(values.get("organisation", "")),
        title=values.get("title", "").strip(),
        starts_at=starts_at,
        place=values.get("place", "").strip(),
        mode=values.get("mode", "").strip(),
        locale=values.get("locale", "").strip(),
        groups=split_groups(values.get("groups", "")),
        closes_at=closes_at,
    )
    return data, errors


def _static_errors(data: SessionInput, current: HostedSessionView | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title or len(data.title) > TITLE_MAX:
        errors["title"] = "title"
    if len(data.place) > PLACE_MAX:
        errors["place"] = "place"
    if data.mode not in MODE_LABELS:
        errors["mode"] = "mode"
    # A session may keep a language the app has no catalogue of yet (the demo's).
    if data.locale not in locales() and not (current and data.locale == current.locale):
        errors["locale"] = "locale"
    if len(data.groups) > GROUPS_MAX or any(len(group) > GROUP_MAX for group in data.groups):
        errors["groups"] = "groups"
    return errors


async def _check(
    member: StaffMember,
    data: SessionInput,
    errors: Mapping[str, str],
    *,
    current: HostedSessionView | None = None,
) -> int:
    """Every rule of a session: raises SessionInvalid, or returns the organisation id.

    A facilitator's organisation is always their own (whatever the form said); a
    planner chooses one. The consultation must be open, except that a session may
    keep the consultation it has.
    """
    found = {**errors, **_static_errors(data, current)}
    if _is_planner(member):
        organisation_id = data.organisation_id
        if organisation_id is None or not await Organisation.exists().where(
            Organisation.id == organisation_id
        ):
            found["organisation"] = "organisation"
    else:
        organisation_id = member.organisation_id
        if organisation_id is None or (
            data.organisation_id is not None and data.organisation_id != organisation_id
        ):
            found["organisation"] = "organisation"
    kept = current is not None and data.consultation_id == current.consultation_id
    if data.consultation_id is None or (
        not kept
        and not await Consultation.exists().where(
            (Consultation.id == data.consultation_id)
            & (Consultation.status == ConsultationStatus.open.value)
        )
    ):
        found["consultation"] = "consultation"
    if found:
        raise SessionInvalid(found)
    assert organisation_id is not None
    return organisation_id


def _is_unique_violation(error: BaseException) -> bool:
    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error).upper()
    return type(error).__name__ == "UniqueViolationError"


async def _unused_code() -> str:
    for _ in range(_CODE_ATTEMPTS):
        code = join_codes.new_code()
        if not await HostedSession.exists().where(HostedSession.code == code):
            return code
    raise RuntimeError("no unused join code found")  # pragma: no cover - 2^-45 per try


async def create(
    member: StaffMember, data: SessionInput, errors: Mapping[str, str] | None = None
) -> int:
    """Make a session with a new unique code and its groups, in one transaction.

    `errors` are those parse_form found; every field's problem is raised together.
    """
    organisation_id = await _check(member, data, errors or {})
    for attempt in range(_CODE_ATTEMPTS):
        try:
            async with write_transaction():
                rows = await HostedSession.insert(
                    HostedSession(
                        consultation=data.consultation_id,
                        organisation=organisation_id,
                        title=data.title,
                        code=await _unused_code(),
                        mode=data.mode,
                        locale=data.locale,
                        starts_at=data.starts_at,
                        closes_at=data.closes_at,
                        place=data.place,
                        created_by=member.user_id,
                        created_at=datetime.now(UTC),
                    )
                )
                session_id = rows[0]["id"]
                if data.groups:
                    await SessionGroup.insert(
                        *[SessionGroup(session=session_id, name=name) for name in data.groups]
                    )
            return session_id
        except Exception as error:
            # Another process took the same code between the check and the insert.
            if not _is_unique_violation(error) or attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def update(
    member: StaffMember,
    session: HostedSessionView,
    data: SessionInput,
    errors: Mapping[str, str] | None = None,
) -> None:
    """Change a session (its code stays), replacing its groups, in one transaction.

    `session` must come from session_for_member: the caller has checked it.
    """
    if not may_see(member, session.organisation_id):
        raise PermissionError("not this member's session")
    organisation_id = await _check(member, data, errors or {}, current=session)
    async with write_transaction():
        await HostedSession.update(
            {
                HostedSession.consultation: data.consultation_id,
                HostedSession.organisation: organisation_id,
                HostedSession.title: data.title,
                HostedSession.mode: data.mode,
                HostedSession.locale: data.locale,
                HostedSession.starts_at: data.starts_at,
                HostedSession.closes_at: data.closes_at,
                HostedSession.place: data.place,
            }
        ).where(HostedSession.id == session.id)
        await SessionGroup.delete().where(SessionGroup.session == session.id)
        if data.groups:
            await SessionGroup.insert(
                *[SessionGroup(session=session.id, name=name) for name in data.groups]
            )


def form_values(session: HostedSessionView) -> dict[str, str]:
    """A session as its form's values (strings), to edit it."""
    return {
        "consultation": str(session.consultation_id),
        "organisation": str(session.organisation_id),
        "title": session.title,
        "date": session.starts_at.date().isoformat() if session.starts_at else "",
        "time": session.starts_at.strftime("%H:%M") if session.starts_at else "",
        "closes_date": session.closes_at.date().isoformat() if session.closes_at else "",
        "closes_time": session.closes_at.strftime("%H:%M") if session.closes_at else "",
        "place": session.place,
        "mode": session.mode,
        "locale": session.locale,
        "groups": "\n".join(session.groups),
    }


__all__ = [
    "GROUPS_MAX",
    "GROUP_MAX",
    "MODE_LABELS",
    "PLACE_MAX",
    "SESSION_LIMITS",
    "SESSION_MESSAGES",
    "TITLE_MAX",
    "Choice",
    "HostedSessionView",
    "JoinCheck",
    "JoinRefusal",
    "SessionInput",
    "SessionInvalid",
    "SessionNotJoinable",
    "check_code",
    "completed_count",
    "completed_counts",
    "create",
    "form_values",
    "locales",
    "may_see",
    "open_consultations",
    "organisations_for",
    "parse_form",
    "session_by_code",
    "session_by_id",
    "session_for_member",
    "sessions_for_member",
    "split_groups",
    "update",
]

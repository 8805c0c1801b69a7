"""Making and changing hosted sessions: a form's values read, every rule checked,
one transaction each, and a new unique join code."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from consult import join_codes
from consult.database import write_transaction
from consult.services.hosted_sessions._model import (
    GROUP_MAX,
    GROUPS_MAX,
    MODE_LABELS,
    PLACE_MAX,
    TITLE_MAX,
    HostedSessionView,
    SessionInput,
    SessionInvalid,
)
from consult.services.hosted_sessions._read import _is_planner, locales, may_see
from consult.services.reach import Reach, reach_of
from consult.services.staff import StaffMember
from consult.settings import get_settings
from consult.tables import (
    Consultation,
    ConsultationStatus,
    HostedSession,
    Organisation,
    SessionGroup,
)
from consult.text_input import whole_number

# Attempts at a code nobody has yet (a collision at 45.8 bits is already rare).
_CODE_ATTEMPTS = 8

# Parsing and checking


def _int_or_none(value: str) -> int | None:
    return whole_number(value)  # plain digits, 0 to the largest id (consult.text_input)


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
    """A time typed on the city's clock (CONSULT_TIMEZONE), as an aware datetime: it is
    stored in UTC and read back on the city's clock (_read), so a session in Helsinki
    ends when Helsinki's clock says so."""
    return datetime.combine(day, at, tzinfo=get_settings().zone)


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


async def _exists_within(reach: Reach, condition: Any, city_column: Any) -> bool:
    """Whether a row meets `condition` and is of a city `reach` covers."""
    if reach.nothing:
        return False
    table = city_column._meta.table
    if not reach.every_city:
        condition = condition & (city_column == reach.city)
    return await table.exists().where(condition)


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
    reach = await reach_of(member)
    if _is_planner(member):
        organisation_id = data.organisation_id
        # A planner's city's organisations only (another city's is not found either).
        if organisation_id is None or not await _exists_within(
            reach, Organisation.id == organisation_id, Organisation.city
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
        and not await _exists_within(
            reach,
            (Consultation.id == data.consultation_id)
            & (Consultation.status == ConsultationStatus.open.value),
            Consultation.city,
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

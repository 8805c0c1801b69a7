"""What the hosted-session service speaks in: its views, inputs, refusals and words."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from consult import join_codes
from consult.i18n import N_
from consult.tables import ConsultationStatus, SessionMode

TITLE_MAX = 200
PLACE_MAX = 200
GROUP_MAX = 100
GROUPS_MAX = 20

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

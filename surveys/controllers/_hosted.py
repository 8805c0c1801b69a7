"""A respondent's hosted session: the one joined by its code, or the kiosk (a shared
tablet) this browser was made for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request

from consult.tables import Consultation
from surveys import kiosk as kiosk_service
from surveys.tables import Channel

# The session joined by its code (with its consultation, so that it is never
# carried into another one), in the respondent's encrypted, HttpOnly session cookie.
JOINED_KEY = "joined"
# A browser a facilitator made a kiosk (a shared tablet) for one of their sessions:
# the session, its consultation, the facilitator's user id (only their password
# leaves kiosk mode), the survey's start and the session's language. It outlives
# every respondent on it.
KIOSK_KEY = "kiosk"


def join_session(
    request: Request[Any, Any, Any], session_id: int, consultation_id: int, channel: Channel
) -> None:
    """Remember the session this respondent joined by its code (or QR link)."""
    request.session[JOINED_KEY] = {
        "session": session_id,
        "consultation": consultation_id,
        "channel": channel.value,
    }


@dataclass(frozen=True)
class KioskState:
    """What the session cookie holds of a kiosk (see KIOSK_KEY)."""

    session_id: int
    consultation_id: int
    user_id: int
    start_url: str
    # The session's language, which each new person at the tablet starts in
    # ("" for a kiosk started before kiosks remembered it).
    locale: str = ""


def kiosk_state(request: Request[Any, Any, Any]) -> KioskState | None:
    raw = request.session.get(KIOSK_KEY)
    if not isinstance(raw, dict):
        return None
    try:
        return KioskState(
            int(raw["session"]),
            int(raw["consultation"]),
            int(raw["user"]),
            str(raw["start"]),
            str(raw.get("locale") or ""),
        )
    except (KeyError, TypeError, ValueError):
        return None


def start_kiosk(request: Request[Any, Any, Any], state: KioskState) -> None:
    """Make this browser a kiosk: everything else in its session goes, the staff
    member's sign-in first, so that nobody at the tablet can walk into /staff."""
    request.clear_session()
    request.set_session(
        {
            KIOSK_KEY: {
                "session": state.session_id,
                "consultation": state.consultation_id,
                "user": state.user_id,
                "start": state.start_url,
                "locale": state.locale,
            }
        }
    )


@dataclass(frozen=True)
class KioskPage:
    """A kiosk's controls on a respondent page, and their timings (seconds)."""

    start_url: str
    idle_seconds: int
    warning_seconds: int
    thanks_seconds: int
    clear_url: str = kiosk_service.CLEAR_PATH
    exit_url: str = kiosk_service.EXIT_PATH


def kiosk_page(request: Request[Any, Any, Any], consultation: Consultation) -> KioskPage | None:
    """The kiosk's controls when this browser is a kiosk for `consultation`."""
    state = kiosk_state(request)
    if state is None or state.consultation_id != consultation.id:
        return None
    timings = kiosk_service.timings()
    return KioskPage(state.start_url, timings.idle, timings.warning, timings.thanks)


def hosted_session_of(
    request: Request[Any, Any, Any], consultation: Consultation
) -> tuple[int | None, Channel]:
    """The session a response to `consultation` came through and its channel: the
    kiosk's (channel kiosk), else the session joined by its code, else none (web).
    A session joined for another consultation is not carried into this one."""
    state = kiosk_state(request)
    if state is not None and state.consultation_id == consultation.id:
        return state.session_id, Channel.kiosk
    joined = request.session.get(JOINED_KEY)
    if isinstance(joined, dict) and joined.get("consultation") == consultation.id:
        session_id = joined.get("session")
        try:
            channel = Channel(joined.get("channel"))
        except ValueError:
            channel = Channel.web
        if isinstance(session_id, int):
            return session_id, channel
    return None, Channel.web

"""What the session pages share: the session named in the address, checked against
the member signed in; its join address; the words for modes and languages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.exceptions import NotFoundException

from consult import i18n
from consult.services import hosted_sessions
from consult.services.hosted_sessions import MODE_LABELS, HostedSessionView
from consult.services.staff import StaffMember
from consult.settings import get_settings
from consult.web import translator

SESSIONS_URL = "/staff/sessions"


def session_url(session_id: int) -> str:
    return f"{SESSIONS_URL}/{session_id}"


def join_url(code: str) -> str:
    """The address a QR code and a link lead to: the session's own join page."""
    return f"{get_settings().public_url.rstrip('/')}/j/{code}"


def join_host() -> str:
    """The site as a person types it ("consult.reykjavik.is"), for "go to … /join"."""
    parts = urlsplit(get_settings().public_url)
    return (parts.netloc + parts.path).rstrip("/")


async def member_session(member: StaffMember, session_id: int) -> HostedSessionView:
    """The session, if this member may see it; 404 otherwise (another organisation's
    session is not told apart from one that does not exist)."""
    session = await hosted_sessions.session_for_member(member, session_id)
    if session is None:
        raise NotFoundException()
    return session


def labels(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The words of every session page, in the viewer's language."""
    _ = translator(request).gettext
    return {
        "mode_labels": {key: _(value) for key, value in MODE_LABELS.items()},
        "locale_labels": {
            locale: i18n.language_name(locale) for locale in hosted_sessions.locales()
        },
    }

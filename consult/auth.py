"""Staff sign-in state and the guards that check a role on every staff route.

A staff session (in the encrypted session cookie) names the user, the user's
session generation when it was issued, a random session id made at sign-in, and
when it was issued and last seen. It stops working when the generation in the
database moves on (signing out ends every copy of the cookie, and so does a new
password or role from `consult createuser`), when it is older than
CONSULT_STAFF_SESSION_HOURS, or when it was not used for CONSULT_STAFF_IDLE_MINUTES.
"Last seen" is kept in the cookie and moved on at most once a minute, so a page
view costs no database write and, mostly, no new cookie.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Coroutine, MutableMapping
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from consult import ownership
from consult.services import audit, totp
from consult.services import staff as staff_service
from consult.services.staff import StaffMember
from consult.settings import get_settings
from consult.tables import Role

SESSION_USER_KEY = "user_id"
_GENERATION = "generation"
_SESSION_ID = "sid"
_ISSUED = "issued"
_SEEN = "seen"
STAFF_KEYS = (SESSION_USER_KEY, _GENERATION, _SESSION_ID, _ISSUED, _SEEN)
# "Last seen" moves on in steps of this many seconds (each step rewrites the cookie).
SEEN_STEP = 60

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


def _now() -> int:
    return int(time.time())


def staff_session(user_id: int, generation: int, now: int) -> dict[str, Any]:
    """A new staff session's contents, with a session id never used before."""
    return {
        SESSION_USER_KEY: user_id,
        _GENERATION: generation,
        _SESSION_ID: secrets.token_urlsafe(16),
        _ISSUED: now,
        _SEEN: now,
    }


def _is_current(session: MutableMapping[str, Any], member: StaffMember, now: int) -> bool:
    """Is this session still the member's: their generation, not too old, not idle?"""
    settings = get_settings()
    issued, seen = session.get(_ISSUED), session.get(_SEEN)
    return (
        session.get(_GENERATION) == member.session_generation
        and isinstance(issued, int)
        and isinstance(seen, int)
        and now - issued <= settings.staff_session_hours * 3600
        and now - seen <= settings.staff_idle_minutes * 60
    )


async def signed_in_member(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffMember | None:
    """The staff member of this session, read fresh (a removed user is out at once),
    if the session is still current; a session that is not is forgotten."""
    if "staff" in connection.state:
        return connection.state.staff
    session = connection.scope.get("session")
    if not isinstance(session, MutableMapping):  # no session middleware, or cleared
        session = {}
    user_id = session.get(SESSION_USER_KEY)
    member = await staff_service.member(user_id) if type(user_id) is int else None
    now = _now()
    if member is not None and not _is_current(session, member, now):
        member = None
    if member is None:
        for key in STAFF_KEYS:
            session.pop(key, None)
    elif now - session[_SEEN] >= SEEN_STEP:
        session[_SEEN] = now
    connection.state.staff = member
    return member


async def start_staff_session(request: Request[Any, Any, Any], user_id: int) -> None:
    """Sign `user_id` in on this browser (they proved who they are): a new session,
    with a new id, replaces whatever the browser had; audited."""
    generation = await staff_service.session_generation(user_id)
    request.clear_session()
    request.set_session(staff_session(user_id, generation, _now()))
    await audit.record(user_id, "sign_in", "user", user_id)


async def end_staff_session(request: Request[Any, Any, Any]) -> None:
    """Sign out: this browser's session and every copy of it stop working."""
    member = await signed_in_member(request)
    if member is not None:
        await staff_service.end_sessions(member.user_id)
    request.clear_session()


def require_role(*roles: Role) -> Guard:
    """A guard that lets through signed-in staff holding one of `roles`."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        member = await signed_in_member(connection)
        if member is None:
            raise NotAuthorizedException("sign in")
        if member.role not in roles:
            raise PermissionDeniedException("role")
        await ownership.check(connection, member)

    return guard


any_staff = require_role(Role.admin, Role.planner, Role.facilitator)
planners = require_role(Role.admin, Role.planner)
admins = require_role(Role.admin)


def current_member(request: Request[Any, Any, Any]) -> StaffMember:
    """The member a guard has already checked (a dependency for handlers)."""
    member = request.state.get("staff")
    if member is None:  # a handler without a guard asked for a member
        raise NotAuthorizedException("sign in")
    return member


# A controller's `dependencies`: its handlers may ask for `member`, the signed-in
# staff member its guard checked.
MEMBER = {"member": Provide(current_member, sync_to_thread=False)}


# The second step of signing in (a code, when the second factor is on): who typed
# the right password, when, and where they were going. No user id under
# SESSION_USER_KEY: until the code is right, nobody is signed in.
_PENDING = "sign_in_pending"
# How long the code step waits after the password.
SECOND_STEP_SECONDS = 5 * 60
SECOND_STEP_URL = "/staff/login/code"


def begin_second_step(request: Request[Any, Any, Any], user_id: int, target: str) -> None:
    """Remember that `user_id` typed the right password and must now type a code."""
    request.clear_session()
    request.set_session({_PENDING: {"user": user_id, "at": _now(), "next": target}})


async def sign_in_or_ask_code(request: Request[Any, Any, Any], user_id: int, target: str) -> str:
    """After the right password: sign in, or, for a member with a second factor,
    start the code step. Where to go next."""
    if await totp.is_on(user_id):
        begin_second_step(request, user_id, target)
        return SECOND_STEP_URL
    await start_staff_session(request, user_id)
    return target


def second_step(request: Request[Any, Any, Any]) -> tuple[int, str] | None:
    """The user waiting to type a code and where they go next; None if nobody is
    (or the password was typed too long ago)."""
    pending = request.session.get(_PENDING) if isinstance(request.session, dict) else None
    if not isinstance(pending, dict) or type(pending.get("user")) is not int:
        return None
    at = pending.get("at")
    if not isinstance(at, int) or _now() - at > SECOND_STEP_SECONDS:
        return None
    return pending["user"], str(pending.get("next") or "/staff")

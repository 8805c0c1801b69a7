"""Staff sign-in state and the guards that check a role on every staff route."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from consult import ownership
from consult.services import staff as staff_service
from consult.services.staff import StaffMember
from consult.tables import Role

SESSION_USER_KEY = "user_id"

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Coroutine[Any, Any, None]]


async def signed_in_member(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffMember | None:
    """The staff member of this session, read fresh (a removed user is out at once)."""
    if "staff" in connection.state:
        return connection.state.staff
    session = connection.scope.get("session") or {}
    user_id = session.get(SESSION_USER_KEY)
    member = await staff_service.member(int(user_id)) if isinstance(user_id, int) else None
    connection.state.staff = member
    return member


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


def current_member(request: Request[Any, Any, Any]) -> StaffMember:
    """The member a guard has already checked (a dependency for handlers)."""
    member = request.state.get("staff")
    if member is None:  # a handler without a guard asked for a member
        raise NotAuthorizedException("sign in")
    return member


# A controller's `dependencies`: its handlers may ask for `member`, the signed-in
# staff member its guard checked.
MEMBER = {"member": Provide(current_member, sync_to_thread=False)}

"""Which objects a staff member may reach: a planner their own city's, a
facilitator their own organisation's, an admin every one.

Called by every role guard (consult.auth.require_role) once the role is right, with
the route's path parameters, so that an object is checked by its owner and not
only by the route.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from consult.services.staff import StaffMember


async def check(connection: ASGIConnection[Any, Any, Any, Any], member: StaffMember) -> None:
    """Raise NotFoundException unless `member` may reach every object the path names."""
    del connection, member  # filled in by the access rules

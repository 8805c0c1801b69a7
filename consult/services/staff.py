"""Staff accounts: signing in, roles, creating users."""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.apps.user.tables import BaseUser

from consult.database import write_transaction
from consult.tables import Role, Staff


@dataclass(frozen=True)
class StaffMember:
    """Who is signed in, and what they may do."""

    user_id: int
    username: str
    role: Role
    organisation_id: int | None
    # A planner's city ("" for an admin, who sees every city).
    city: str = ""


async def authenticate(username: str, password: str) -> int | None:
    """The user id for a correct username and password, else None."""
    return await BaseUser.login(username=username, password=password)


async def member(user_id: int) -> StaffMember | None:
    row = (
        await Staff.select(
            Staff.user.id,
            Staff.user.username,
            Staff.user.active,
            Staff.role,
            Staff.organisation,
            Staff.city,
        )
        .where(Staff.user == user_id)
        .first()
    )
    if row is None or not row["user.active"]:
        return None
    return StaffMember(
        user_id=row["user.id"],
        username=row["user.username"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
        city=row["city"],
    )


async def create_user(
    username: str,
    password: str,
    role: Role,
    organisation_id: int | None = None,
    city: str = "",
) -> int:
    """Create a staff user (or give an existing one a new password and role)."""
    existing = await BaseUser.objects().where(BaseUser.username == username).first()
    if existing is None:
        # Piccolo's user table wants a unique email; staff sign in by username, so a
        # reserved-domain placeholder keeps the column unique without asking for one.
        user = await BaseUser.create_user(
            username=username,
            password=password,
            email=f"{username}@staff.consult.invalid",
            active=True,
        )
    else:
        user = existing
        await BaseUser.update_password(user=user.id, password=password)
    async with write_transaction():
        await Staff.delete().where(Staff.user == user.id)
        await Staff.insert(
            Staff(user=user.id, role=role.value, organisation=organisation_id, city=city)
        )
    return user.id

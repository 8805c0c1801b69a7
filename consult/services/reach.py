"""Which city's objects a staff member works on: the one rule behind every list a
member sees and every object a form of theirs may name.

An admin reaches every city; a planner their own city's team; a facilitator the
city of their organisation (for choosing a consultation to host a session of).
Anyone else, and a planner with no city, reaches nothing: a missing city fails
closed, never open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consult.services.staff import StaffMember
from consult.tables import Organisation, Role


@dataclass(frozen=True)
class Reach:
    """The cities a member works on: every one, one, or none."""

    every_city: bool
    city: str = ""

    @property
    def nothing(self) -> bool:
        return not self.every_city and not self.city

    def allows(self, city: str | None) -> bool:
        """Whether an object of `city` is within reach."""
        if self.every_city:
            return True
        return bool(self.city) and city == self.city

    def narrow(self, query: Any, city_column: Any) -> Any:
        """`query` limited to this reach by `city_column` (call only when not `nothing`,
        which no WHERE clause can say)."""
        return query if self.every_city else query.where(city_column == self.city)


EVERY_CITY = Reach(every_city=True)
NO_CITY = Reach(every_city=False)


async def organisation_city(organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    row = (
        await Organisation.select(Organisation.city)
        .where(Organisation.id == organisation_id)
        .first()
    )
    return row["city"] if row else ""


async def reach_of(member: StaffMember) -> Reach:
    """The cities `member` works on."""
    if member.role == Role.admin:
        return EVERY_CITY
    if member.role == Role.planner:
        return Reach(every_city=False, city=member.city)
    if member.role == Role.facilitator:
        return Reach(every_city=False, city=await organisation_city(member.organisation_id))
    return NO_CITY

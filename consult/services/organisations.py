"""The organisation registry: organisations taking part, the neighbourhoods they work
in and the groups of people they reach (OrganisationTag rows), and their facilitators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from consult.database import write_transaction
from consult.i18n import N_
from consult.services import audit
from consult.services.reach import Reach
from consult.tables import Organisation, OrganisationKind, OrganisationTag, Role, Staff, TagKind

NAME_MAX = 200
CITY_MAX = 100
CONTACT_MAX = 200
TAG_MAX = 100
TAGS_MAX = 30  # per kind: a registry entry, not a directory
TAG_SEPARATORS = re.compile(r"[,\n\r;]+")

MESSAGES = {
    "name": N_("Enter the organisation's name, up to %(limit)s characters."),
    "kind": N_("Choose what kind of organisation it is."),
    "city": N_("Enter the city, up to %(limit)s characters."),
    "own_city": N_("Enter your own city team's city: you work on its organisations only."),
    "contact": N_("Enter a contact of up to %(limit)s characters, or leave it empty."),
    "neighbourhoods": N_(
        "Enter up to %(count)s neighbourhoods of up to %(limit)s characters each, "
        "separated by commas or new lines."
    ),
    "groups": N_(
        "Enter up to %(count)s groups of up to %(limit)s characters each, "
        "separated by commas or new lines."
    ),
}
LIMITS = {
    "name": NAME_MAX,
    "city": CITY_MAX,
    "contact": CONTACT_MAX,
    "neighbourhoods": TAG_MAX,
    "groups": TAG_MAX,
}


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str
    city: str
    contact: str = ""
    neighbourhoods: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as the registry shows it."""

    id: int
    name: str
    kind: str
    city: str
    contact: str
    neighbourhoods: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    facilitators: tuple[str, ...] = field(default=())


def one_line(text: str) -> str:
    """Trimmed, with every run of white space one space."""
    return " ".join(text.split())


def parse_tags(text: str) -> list[str]:
    """Names separated by commas, semicolons or new lines: trimmed, empty ones
    dropped, and a name repeated in another case kept once (its first spelling)."""
    seen: set[str] = set()
    found = []
    for part in TAG_SEPARATORS.split(text):
        name = one_line(part)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            found.append(name)
    return found


def check(
    values: dict[str, str], reach: Reach | None = None
) -> tuple[OrganisationInput | None, dict[str, str]]:
    """The organisation a form describes, or the fields in error (name -> message key).
    With `reach`, its city must be one the member works on (a planner's own)."""
    name, city, contact = (one_line(values.get(k, "")) for k in ("name", "city", "contact"))
    kind = values.get("kind", "")
    tags = {k: parse_tags(values.get(k, "")) for k in ("neighbourhoods", "groups")}
    errors: dict[str, str] = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = "name"
    if kind not in {k.value for k in OrganisationKind}:
        errors["kind"] = "kind"
    if not city or len(city) > CITY_MAX:
        errors["city"] = "city"
    elif reach is not None and not reach.allows(city):
        errors["city"] = "own_city"
    if len(contact) > CONTACT_MAX:
        errors["contact"] = "contact"
    for key, names in tags.items():
        if len(names) > TAGS_MAX or any(len(n) > TAG_MAX for n in names):
            errors[key] = key
    if errors:
        return None, errors
    return (
        OrganisationInput(
            name=name,
            kind=kind,
            city=city,
            contact=contact,
            neighbourhoods=tuple(tags["neighbourhoods"]),
            groups=tuple(tags["groups"]),
        ),
        {},
    )


def _tag_rows(organisation_id: int, data: OrganisationInput) -> list[OrganisationTag]:
    return [
        *(
            OrganisationTag(organisation=organisation_id, kind=TagKind.neighbourhood.value, name=n)
            for n in data.neighbourhoods
        ),
        *(
            OrganisationTag(organisation=organisation_id, kind=TagKind.group.value, name=n)
            for n in data.groups
        ),
    ]


async def create(data: OrganisationInput, actor_id: int | None) -> int:
    """Register an organisation with its tags, in one transaction; audited."""
    async with write_transaction():
        rows = await Organisation.insert(
            Organisation(name=data.name, kind=data.kind, city=data.city, contact=data.contact)
        )
        organisation_id = int(rows[0]["id"])
        tags = _tag_rows(organisation_id, data)
        if tags:
            await OrganisationTag.insert(*tags)
    await audit.record(actor_id, "create_organisation", "organisation", organisation_id, data.name)
    return organisation_id


async def update(organisation_id: int, data: OrganisationInput, actor_id: int | None) -> bool:
    """Change an organisation and replace its tags; False when there is none. Audited."""
    async with write_transaction():
        if not await Organisation.exists().where(Organisation.id == organisation_id):
            return False
        await Organisation.update(
            {
                Organisation.name: data.name,
                Organisation.kind: data.kind,
                Organisation.city: data.city,
                Organisation.contact: data.contact,
            }
        ).where(Organisation.id == organisation_id)
        await OrganisationTag.delete().where(OrganisationTag.organisation == organisation_id)
        tags = _tag_rows(organisation_id, data)
        if tags:
            await OrganisationTag.insert(*tags)
    await audit.record(actor_id, "update_organisation", "organisation", organisation_id, data.name)
    return True


async def _views(
    organisation_id: int | None = None, reach: Reach | None = None
) -> list[OrganisationView]:
    """Organisations (one, or all of the cities `reach` covers, by city and name) with
    their tags and facilitators: three queries, whatever the size of the registry."""
    if reach is not None and reach.nothing:
        return []
    query = Organisation.select().order_by(Organisation.city).order_by(Organisation.name)
    tags_query = OrganisationTag.select().order_by(OrganisationTag.id)
    staff_query = (
        Staff.select(Staff.organisation, Staff.user.username.as_alias("username"))
        .where((Staff.role == Role.facilitator.value) & Staff.organisation.is_not_null())
        .order_by(Staff.user.username)
    )
    if organisation_id is not None:
        query = query.where(Organisation.id == organisation_id)
        tags_query = tags_query.where(OrganisationTag.organisation == organisation_id)
        staff_query = staff_query.where(Staff.organisation == organisation_id)
    if reach is not None:
        query = reach.narrow(query, Organisation.city)
        tags_query = reach.narrow(tags_query, OrganisationTag.organisation.city)
        staff_query = reach.narrow(staff_query, Staff.organisation.city)
    tags: dict[tuple[int, str], list[str]] = {}
    for row in await tags_query:
        tags.setdefault((row["organisation"], row["kind"]), []).append(row["name"])
    facilitators: dict[int, list[str]] = {}
    for row in await staff_query:
        facilitators.setdefault(row["organisation"], []).append(row["username"])
    return [
        OrganisationView(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            city=row["city"],
            contact=row["contact"] or "",
            neighbourhoods=tuple(tags.get((row["id"], TagKind.neighbourhood.value), ())),
            groups=tuple(tags.get((row["id"], TagKind.group.value), ())),
            facilitators=tuple(facilitators.get(row["id"], ())),
        )
        for row in await query
    ]


async def list_all() -> list[OrganisationView]:
    return await _views()


async def list_within(reach: Reach) -> list[OrganisationView]:
    """The organisations of the cities `reach` covers."""
    return await _views(reach=reach)


async def by_id(organisation_id: int) -> OrganisationView | None:
    found = await _views(organisation_id)
    return found[0] if found else None


def form_values(view: OrganisationView) -> dict[str, str]:
    """An organisation as its edit form shows it (tags one per line)."""
    return {
        "name": view.name,
        "kind": view.kind,
        "city": view.city,
        "contact": view.contact,
        "neighbourhoods": "\n".join(view.neighbourhoods),
        "groups": "\n".join(view.groups),
    }

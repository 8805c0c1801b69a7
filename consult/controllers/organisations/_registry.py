"""The organisation registry (web layer, planners): the list, a new organisation, an
organisation's page with its edit form, and inviting a facilitator (the link shown
once, on the reply to the POST that made it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from analysis.strategy_words import KIND_LABELS
from consult.auth import MEMBER, planners
from consult.services import invites, organisations
from consult.services.invites import VALID_FOR
from consult.services.organisations import LIMITS, MESSAGES, TAGS_MAX, OrganisationView
from consult.services.reach import reach_of
from consult.services.staff import StaffMember
from consult.settings import get_settings
from consult.web import ObjectId, form_text, translator

URL = "/staff/organisations"
FIELDS = ("name", "kind", "city", "contact", "neighbourhoods", "groups")
# A serial id: a larger number is refused before it reaches (and overflows) a query.
OrganisationId = ObjectId


def _words(request: Request[Any, Any, Any], errors: dict[str, str]) -> dict[str, Any]:
    _ = translator(request).gettext
    return {
        "kind_labels": {key: _(value) for key, value in KIND_LABELS.items()},
        "errors": {
            field: _(MESSAGES[key]) % {"limit": LIMITS.get(field, 0), "count": TAGS_MAX}
            for field, key in errors.items()
        },
        "limits": LIMITS,
    }


def _form(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    errors: dict[str, str],
    organisation: OrganisationView | None = None,
) -> Template:
    return Template(
        "organisations/form.html",
        context={**_words(request, errors), "values": values, "organisation": organisation},
        status_code=422 if errors else 200,
    )


async def _organisation_or_404(organisation_id: int) -> OrganisationView:
    found = await organisations.by_id(organisation_id)
    if found is None:
        raise NotFoundException()
    return found


async def _values(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {name: form_text(form, name) for name in FIELDS}


class OrganisationsController(Controller):
    path = URL
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="organisations")
    async def index(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template:
        return Template(
            "organisations/list.html",
            context={
                **_words(request, {}),
                "organisations": await organisations.list_within(await reach_of(member)),
                "done": request.query_params.get("done", ""),
            },
        )

    @get("/new", name="new_organisation")
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return _form(request, {"kind": "", "city": ""}, {})

    @post("/", name="create_organisation")
    async def create(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        values = await _values(request)
        data, errors = organisations.check(values, await reach_of(member))
        if data is None:
            return _form(request, values, errors)
        organisation_id = await organisations.create(data, member.user_id)
        return Redirect(f"{URL}/{organisation_id}?done=created", status_code=303)

    @get("/{organisation_id:int}", name="organisation")
    async def show(
        self, request: Request[Any, Any, Any], organisation_id: OrganisationId
    ) -> Template:
        organisation = await _organisation_or_404(organisation_id)
        return _page(request, organisation, done=request.query_params.get("done", ""))

    @get("/{organisation_id:int}/edit", name="edit_organisation")
    async def edit(
        self, request: Request[Any, Any, Any], organisation_id: OrganisationId
    ) -> Template:
        organisation = await _organisation_or_404(organisation_id)
        return _form(request, organisations.form_values(organisation), {}, organisation)

    @post("/{organisation_id:int}", name="update_organisation")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organisation_id: OrganisationId,
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        organisation = await _organisation_or_404(organisation_id)
        values = await _values(request)
        data, errors = organisations.check(values, await reach_of(member))
        if data is None:
            return _form(request, values, errors, organisation)
        if not await organisations.update(organisation_id, data, member.user_id):
            raise NotFoundException()
        return Redirect(f"{URL}/{organisation_id}?done=saved", status_code=303)

    @post("/{organisation_id:int}/invites", name="create_invite")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        organisation_id: OrganisationId,
        member: NamedDependency[StaffMember],
    ) -> Template:
        """Make an invitation and show its link on this reply only: the database keeps
        only its hash, and the page is sent with no-store."""
        organisation = await _organisation_or_404(organisation_id)
        secret = await invites.create_invite(organisation.id, member.user_id)
        base = get_settings().public_url.rstrip("/")
        return _page(request, organisation, link=f"{base}/invite/{secret}")


def _page(
    request: Request[Any, Any, Any],
    organisation: OrganisationView,
    *,
    done: str = "",
    link: str = "",
) -> Template:
    return Template(
        "organisations/organisation.html",
        context={
            **_words(request, {}),
            "organisation": organisation,
            "done": done,
            "link": link,
            "valid_days": VALID_FOR.days,
        },
    )

"""API tokens (web layer): the list, making one (its secret shown once, on the page
that answers the form) and revoking one. A planner's tokens read their own city's
consultations and are listed to that city's planners; an admin's read every city."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services import api_tokens
from consult.services.api_tokens import NAME_MAX, TokenNameInvalid
from consult.services.reach import reach_of
from consult.services.staff import StaffMember
from consult.tables import Role
from consult.web import ObjectId, form_text, translator

TOKENS_URL = "/staff/api-tokens"
NAME_MESSAGE = N_("Enter a name of 1 to %(limit)s characters, such as “Power BI dashboard”.")
# A serial id: a larger number is refused before it reaches (and overflows) a query.
TokenId = ObjectId


def _token_city(member: StaffMember) -> str:
    """The city a new token of `member` reads: a planner's own ("" for an admin's,
    which reads every city). A planner with no city team makes none, since "" would
    read every city."""
    if member.role == Role.admin:
        return ""
    if not member.city:
        raise PermissionDeniedException("a planner without a city team")
    return member.city


async def _page(
    request: Request[Any, Any, Any],
    member: StaffMember,
    *,
    secret: str | None = None,
    created: str | None = None,
    name: str = "",
    error: str | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "api/tokens.html",
        context={
            "tokens": await api_tokens.list_tokens(await reach_of(member)),
            "secret": secret,
            "created": created,
            "name": name,
            "error": error,
            "done": done,
            "limit": NAME_MAX,
        },
        status_code=status_code,
    )


class ApiTokenController(Controller):
    path = TOKENS_URL
    guards = [planners]
    include_in_schema = False
    dependencies = MEMBER

    @get("/", name="api_tokens")
    async def tokens(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        done: FromQuery[str | None] = None,
    ) -> Template:
        return await _page(request, member, done="revoked" if done == "revoked" else None)

    @post("/", name="create_api_token")
    async def create(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template:
        """Make a token and show its secret on this page only: nothing else ever
        shows it again, and the page is sent with no-store."""
        form = await request.form()
        name = form_text(form, "name")
        try:
            secret = await api_tokens.create_token(name, member.user_id, _token_city(member))
        except TokenNameInvalid:
            _ = translator(request).gettext
            return await _page(
                request,
                member,
                name=name,
                error=_(NAME_MESSAGE) % {"limit": NAME_MAX},
                status_code=422,
            )
        return await _page(
            request, member, secret=secret, created=" ".join(name.split()), status_code=200
        )

    @post("/{token_id:int}/revoke", name="revoke_api_token")
    async def revoke(self, token_id: TokenId, member: NamedDependency[StaffMember]) -> Redirect:
        if not await api_tokens.revoke(token_id, member.user_id):
            raise NotFoundException()
        return Redirect(f"{TOKENS_URL}?done=revoked", status_code=303)

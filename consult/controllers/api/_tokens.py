"""API tokens for admins (web layer): the list, making one (its secret shown once,
on the page that answers the form) and revoking one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from consult.auth import MEMBER, require_role
from consult.i18n import N_
from consult.services import api_tokens
from consult.services.api_tokens import NAME_MAX, TokenNameInvalid
from consult.services.staff import StaffMember
from consult.tables import Role
from consult.web import ObjectId, form_text, translator

TOKENS_URL = "/staff/api-tokens"
NAME_MESSAGE = N_("Enter a name of 1 to %(limit)s characters, such as “Power BI dashboard”.")
admins = require_role(Role.admin)
# A serial id: a larger number is refused before it reaches (and overflows) a query.
TokenId = ObjectId


async def _page(
    request: Request[Any, Any, Any],
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
            "tokens": await api_tokens.list_tokens(),
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
    guards = [admins]
    include_in_schema = False
    dependencies = MEMBER

    @get("/", name="api_tokens")
    async def tokens(self, request: Request[Any, Any, Any], done: str | None = None) -> Template:
        return await _page(request, done="revoked" if done == "revoked" else None)

    @post("/", name="create_api_token")
    async def create(self, request: Request[Any, Any, Any], member: StaffMember) -> Template:
        """Make a token and show its secret on this page only: nothing else ever
        shows it again, and the page is sent with no-store."""
        form = await request.form()
        name = form_text(form, "name")
        try:
            secret = await api_tokens.create_token(name, member.user_id)
        except TokenNameInvalid:
            _ = translator(request).gettext
            return await _page(
                request,
                name=name,
                error=_(NAME_MESSAGE) % {"limit": NAME_MAX},
                status_code=422,
            )
        return await _page(request, secret=secret, created=" ".join(name.split()), status_code=200)

    @post("/{token_id:int}/revoke", name="revoke_api_token")
    async def revoke(self, token_id: TokenId, member: StaffMember) -> Redirect:
        if not await api_tokens.revoke(token_id, member.user_id):
            raise NotFoundException()
        return Redirect(f"{TOKENS_URL}?done=revoked", status_code=303)

"""Accepting an invitation (web layer, public): the form to choose a username and a
password, then the new facilitator is signed in. A used or expired invitation says
so plainly; one that never existed is a 404."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.auth import start_staff_session
from consult.i18n import N_
from consult.services import invites
from consult.services.invites import (
    MESSAGES,
    PASSWORD_MAX,
    PASSWORD_MIN,
    AcceptRefused,
    InviteClosed,
    InviteState,
    InviteView,
)
from consult.web import form_text, translator

CLOSED_MESSAGES = {
    InviteState.used: N_("This invitation has already been used"),
    InviteState.expired: N_("This invitation has expired; ask the city for a new one"),
}


def _closed(request: Request[Any, Any, Any], state: InviteState) -> Template:
    if state is InviteState.unknown:
        raise NotFoundException()
    _ = translator(request).gettext
    return Template(
        "organisations/invite_closed.html",
        context={"message": _(CLOSED_MESSAGES[state])},
        status_code=410,
    )


def _form(
    request: Request[Any, Any, Any],
    invite: InviteView,
    secret: str,
    username: str = "",
    errors: dict[str, str] | None = None,
) -> Template:
    _ = translator(request).gettext
    return Template(
        "organisations/invite.html",
        context={
            "invite": invite,
            "action": f"/invite/{secret}",
            "username": username,
            "password_min": PASSWORD_MIN,
            "errors": {
                field: _(MESSAGES[key]) % {"min": PASSWORD_MIN, "max": PASSWORD_MAX}
                for field, key in (errors or {}).items()
            },
        },
        status_code=422 if errors else 200,
    )


class AcceptInviteController(Controller):
    path = "/invite"

    @get("/{secret:str}", name="invite")
    async def show(self, request: Request[Any, Any, Any], secret: FromPath[str]) -> Template:
        invite = await invites.find(secret)
        if invite is None or invite.state is not InviteState.valid:
            return _closed(request, invite.state if invite else InviteState.unknown)
        return _form(request, invite, secret)

    @post("/{secret:str}", name="accept_invite")
    async def accept(
        self, request: Request[Any, Any, Any], secret: FromPath[str]
    ) -> Template | Redirect:
        form = await request.form()
        username = form_text(form, "username")
        # A password is taken as typed: spaces may be part of it.
        password = str(form.get("password") or "")
        confirm = str(form.get("confirm") or "")
        try:
            user_id = await invites.accept(secret, username, password, confirm)
        except InviteClosed as closed:
            return _closed(request, closed.state)
        except AcceptRefused as refused:
            invite = await invites.find(secret)
            if invite is None:
                raise NotFoundException() from None
            return _form(request, invite, secret, username, refused.errors)
        await start_staff_session(request, user_id)
        return Redirect("/staff", status_code=303)

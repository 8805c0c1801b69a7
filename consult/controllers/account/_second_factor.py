"""A signed-in admin's or planner's second factor (web layer): turning TOTP on,
by scanning a QR code (or typing the secret) and confirming with a current code,
and off, with a current code.

Until it is confirmed, the new secret lives only in this browser's encrypted
session cookie: nothing is written on GET, and a secret nobody confirmed is never
stored.
"""

from __future__ import annotations

from typing import Any

import segno
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from markupsafe import Markup, escape

from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services import totp
from consult.services.staff import StaffMember
from consult.web import form_text, translator

ACCOUNT_URL = "/staff/account"
SETUP_URL = f"{ACCOUNT_URL}/second-factor"
_SETUP_KEY = "totp_setup"
WRONG_CODE = N_("Enter the 6-digit code your authenticator app shows now.")


def _qr_svg(uri: str, label: str) -> Markup:
    """The otpauth:// address as an inline SVG QR code, an image named `label`;
    sized by attributes, as the Content-Security-Policy forbids inline styles."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff")
    if not svg.startswith("<svg ") or "style" in svg:  # segno changed its output
        raise ValueError("unexpected SVG from segno")
    attributes = f'<svg role="img" aria-label="{escape(label)}" focusable="false" '
    return Markup(attributes + svg[len("<svg ") :])  # noqa: S704 - segno's own output


def _pending_secret(request: Request[Any, Any, Any]) -> str:
    """The secret being set up in this browser (made now if there is none yet)."""
    secret = request.session.get(_SETUP_KEY)
    if not isinstance(secret, str) or not secret:
        secret = totp.new_secret()
        request.session[_SETUP_KEY] = secret
    return secret


def _setup_page(
    request: Request[Any, Any, Any], member: StaffMember, error: str | None = None
) -> Template:
    secret = _pending_secret(request)
    _ = translator(request).gettext
    return Template(
        "account/second_factor.html",
        context={
            # Groups of four, as authenticator apps show a key to type.
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": _qr_svg(
                totp.otpauth_uri(secret, member.username),
                _("QR code to add your account to an authenticator app"),
            ),
            "error": error,
        },
        status_code=422 if error else 200,
    )


async def _account_page(member: StaffMember, error: str | None = None) -> Template:
    return Template(
        "account/account.html",
        context={"member": member, "totp_on": await totp.is_on(member.user_id), "error": error},
        status_code=422 if error else 200,
    )


class AccountController(Controller):
    """The signed-in member's own account: the second factor."""

    path = ACCOUNT_URL
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="account")
    async def show(self, member: NamedDependency[StaffMember]) -> Template:
        return await _account_page(member)

    @get("/second-factor", name="second_factor_setup")
    async def setup(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        if await totp.is_on(member.user_id):
            return Redirect(ACCOUNT_URL, status_code=303)
        return _setup_page(request, member)

    @post("/second-factor", name="second_factor_on")
    async def turn_on(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        """On, once the person's app makes the right code for the secret shown."""
        if await totp.is_on(member.user_id):
            return Redirect(ACCOUNT_URL, status_code=303)
        form = await request.form()
        secret = _pending_secret(request)
        if not await totp.turn_on(member.user_id, secret, form_text(form, "code")):
            return _setup_page(request, member, WRONG_CODE)
        request.session.pop(_SETUP_KEY, None)
        return Redirect(ACCOUNT_URL, status_code=303)

    @post("/second-factor/off", name="second_factor_off")
    async def turn_off(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        """Off, with a current code: a session left open is not enough."""
        form = await request.form()
        if not await totp.turn_off(member.user_id, form_text(form, "code")):
            return await _account_page(member, WRONG_CODE)
        return Redirect(ACCOUNT_URL, status_code=303)

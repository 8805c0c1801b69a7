"""Withdrawing a response (web layer): taking a code after submitting, and using
it later at /withdraw (enter the code, confirm, deleted).

The code is shown on the page that answers "Take a withdrawal code", sent with
no-store, and never again: only its hash is kept, so it is not put in the session
to survive a redirect. A kiosk never offers a code: the next person at a shared
tablet must find nothing of the last one's.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from consult.i18n import N_
from consult.services import withdrawal
from consult.web import client_address, form_text
from surveys.controllers._respondent import kiosk_state

WITHDRAW_URL = "/withdraw"
TYPED_MAX = 60
EMPTY = N_("Enter your withdrawal code, like ACDE-FGHJ-KMNP-QRTU-VWXY.")
MALFORMED = N_(
    "A withdrawal code has 20 letters and numbers, like ACDE-FGHJ-KMNP-QRTU-VWXY."
    " Check it and type it again."
)
UNKNOWN = N_(
    "No response has this code. Check it and type it again. A response already"
    " withdrawn, or deleted at the end of its consultation, has no code any more."
)
TOO_MANY = N_("Too many codes tried. Wait a few minutes and try again.")


def _form(
    typed: str = "",
    error: str | None = None,
    status_code: int = 200,
    retry_after: int | None = None,
) -> Template:
    return Template(
        "privacy/withdraw.html",
        context={"code": typed[:TYPED_MAX], "error": error},
        status_code=status_code,
        headers={"Retry-After": str(retry_after)} if retry_after else None,
    )


async def _checked(request: Request[Any, Any, Any], typed: str) -> str | Template:
    """The code typed, counted against the address; or the form again, saying why not."""
    if not typed.strip():
        return _form(typed, EMPTY, 422)
    address = client_address(request)
    retry_after = await withdrawal.count_try(address)
    if retry_after is not None:
        return _form(typed, TOO_MANY, 429, retry_after)
    code = withdrawal.normalise(typed)
    if code is None:
        return _form(typed, MALFORMED, 422)
    if await withdrawal.find(code) is None:
        return _form(typed, UNKNOWN, 422)
    await withdrawal.give_back_try(address)
    return code


class WithdrawalController(Controller):
    """/withdraw/code (after submitting), /withdraw (enter, confirm), /withdraw/done."""

    path = WITHDRAW_URL

    @post("/code", name="take_withdrawal_code")
    async def take_code(self, request: Request[Any, Any, Any]) -> Template:
        """A code for the response this browser just sent, shown on this page only."""
        key = request.session.get(withdrawal.SESSION_KEY)
        code = None
        if isinstance(key, str) and kiosk_state(request) is None:
            code = await withdrawal.issue(key)
        # One code per response sent: the button does not come back.
        request.session.pop(withdrawal.SESSION_KEY, None)
        if code is None:
            return Template("privacy/no_code.html", status_code=409)
        return Template("privacy/code.html", context={"code": withdrawal.display(code)})

    @get("/", name="withdraw")
    async def form(self) -> Template:
        return _form()

    @post("/", name="withdraw_check")
    async def check(self, request: Request[Any, Any, Any]) -> Template:
        typed = form_text(await request.form(), "code")[:200]
        checked = await _checked(request, typed)
        if isinstance(checked, Template):
            return checked
        found = await withdrawal.find(checked)
        return Template(
            "privacy/confirm.html",
            context={"code": withdrawal.display(checked), "response": found},
        )

    @post("/confirm", name="withdraw_confirm")
    async def confirm(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        typed = form_text(await request.form(), "code")[:200]
        checked = await _checked(request, typed)
        if isinstance(checked, Template):
            return checked
        if not await withdrawal.withdraw(checked):
            # Withdrawn by another tab a moment ago, or deleted by the purge.
            return _form(typed, UNKNOWN, 422)
        return Redirect(f"{WITHDRAW_URL}/done", status_code=303)

    @get("/done", name="withdrawn")
    async def done(self) -> Template:
        return Template("privacy/withdrawn.html")

"""The shared tablet (kiosk): a facilitator starts it, residents answer one after
another, and only the facilitator's password ends it.

Starting kiosk mode replaces this browser's whole session with the kiosk's (the
facilitator is signed out here, so nobody at the tablet reaches /staff): the
session it is for, its consultation, the facilitator's user id and where each
person starts, in the encrypted, HttpOnly session cookie. Each person's answers
are cleared server-side when they send them, when they press "Finish and clear",
or when the idle warning runs out; the tablet then speaks the session's language
again (a person may have chosen another) and forgets a wish for easy read.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.auth import MEMBER, any_staff, sign_in_or_ask_code
from consult.i18n import N_
from consult.services import hosted_sessions
from consult.services.hosted_sessions import HostedSessionView
from consult.services.staff import StaffMember
from consult.tables import SessionMode
from consult.web import preference_cookie
from surveys import kiosk
from surveys.controllers._reading import EASY_COOKIE, language_cookie
from surveys.controllers._respondent import (
    KioskState,
    clear_respondent,
    draft_codes,
    kiosk_state,
    start_kiosk,
)
from surveys.controllers.join._join import start_url

WRONG_PASSWORD = N_("Enter the password of the person who started kiosk mode.")
TOO_MANY_PASSWORDS = N_("Too many wrong passwords. Wait a few minutes and try again.")
NOT_A_KIOSK_SESSION = N_("Only a session on a shared tablet can use kiosk mode.")


async def _kiosk_session(member: StaffMember, session_id: int) -> HostedSessionView:
    """The session, if this member may see it (another organisation's is not found)."""
    session = await hosted_sessions.session_for_member(member, session_id)
    if session is None:
        raise NotFoundException()
    return session


class KioskStartController(Controller):
    """Starting kiosk mode from a session's page (staff)."""

    path = "/staff/sessions/{session_id:int}/kiosk"
    guards = [any_staff]
    dependencies = MEMBER

    @get("/", name="kiosk_start_form")
    async def confirm(
        self, member: NamedDependency[StaffMember], session_id: FromPath[int]
    ) -> Template:
        session = await _kiosk_session(member, session_id)
        return Template(
            "join/kiosk_start.html",
            context={"session": session, "is_kiosk": session.mode == SessionMode.kiosk.value},
            status_code=200 if session.mode == SessionMode.kiosk.value else 409,
        )

    @post("/", name="kiosk_start")
    async def start(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        session_id: FromPath[int],
    ) -> Redirect:
        session = await _kiosk_session(member, session_id)
        if session.mode != SessionMode.kiosk.value:
            raise HTTPException(status_code=409, detail=NOT_A_KIOSK_SESSION)
        target = start_url(session)
        start_kiosk(
            request,
            KioskState(
                session_id=session.id,
                consultation_id=session.consultation_id,
                user_id=member.user_id,
                start_url=target,
                locale=session.locale,
            ),
        )
        return Redirect(target, status_code=303, cookies=_next_person(session.locale))


def _next_person(locale: str) -> list[Cookie]:
    """The cookies each new person at the tablet starts with: the session's
    language, no easy read (someone else chose it)."""
    cookies = [preference_cookie(EASY_COOKIE, "")]
    language = language_cookie(locale)
    if language is not None:
        cookies.append(language)
    return cookies


def _exit_page(
    state: KioskState, error: str | None = None, status_code: int = 200, **headers: str
) -> Template:
    return Template(
        "join/kiosk_exit.html",
        context={"error": error, "start_url": state.start_url},
        status_code=status_code,
        headers=headers or None,
    )


class KioskController(Controller):
    """On the kiosk: clearing the current person's answers, and leaving kiosk mode."""

    path = "/kiosk"

    @post("/clear", name="kiosk_clear")
    async def clear(self, request: Request[Any, Any, Any]) -> Redirect:
        """ "Finish and clear", "Start again" and the idle timeout: the person's draft
        is deleted and their session forgotten; the kiosk shows its start again."""
        await kiosk.discard_drafts(draft_codes(request))
        clear_respondent(request)
        state = kiosk_state(request)
        if state is None:
            return Redirect("/", status_code=303)
        return Redirect(state.start_url, status_code=303, cookies=_next_person(state.locale))

    @get("/exit", name="kiosk_exit_form")
    async def exit_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        state = kiosk_state(request)
        if state is None:
            return Redirect("/staff", status_code=303)
        return _exit_page(state)

    @post("/exit", name="kiosk_exit")
    async def exit(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        state = kiosk_state(request)
        if state is None:
            return Redirect("/staff", status_code=303)
        form = await request.form()
        password = form.get("password")
        checked = await kiosk.check_exit_password(
            state.user_id, password if isinstance(password, str) else ""
        )
        if checked.retry_after is not None:
            return _exit_page(
                state, TOO_MANY_PASSWORDS, 429, **{"Retry-After": str(checked.retry_after)}
            )
        if not checked.ok:
            return _exit_page(state, WRONG_PASSWORD, 422)
        await kiosk.discard_drafts(draft_codes(request))
        # The facilitator proved who they are: they are signed in again, here (after
        # their code, if they have a second factor).
        return Redirect(
            await sign_in_or_ask_code(request, state.user_id, "/staff"), status_code=303
        )

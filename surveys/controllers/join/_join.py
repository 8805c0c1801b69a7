"""Joining a hosted session: the code typed from the poster, or its QR link.

A joined session is remembered in the respondent's session cookie with its
consultation and channel, and the response records it when it is sent
(surveys/controllers/respond.py). Every code tried is counted against the client's
address before it is looked at (surveys/kiosk.py); a real code is given back.
Joining also sets the `lang` cookie to the session's language, unless this
browser chose a language already, so that an Arabic poster leads to an Arabic
survey.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup

from consult import i18n
from consult.i18n import N_
from consult.services import consultations, hosted_sessions
from consult.services.hosted_sessions import HostedSessionView, JoinRefusal
from consult.web import client_address, form_text, locale_of
from surveys import kiosk
from surveys.controllers._reading import language_cookie, title_in
from surveys.controllers._respondent import join_session

TYPED_MAX = 40
UNKNOWN = N_(
    "No session has this code. Check the code on the poster and type it again, like ACD-EFG-HJKM."
)
EMPTY = N_("Enter the code on the poster, like ACD-EFG-HJKM.")
ENDED = N_("This session has ended, so its code no longer works.")
NOT_OPEN = N_("This session has not started yet. Try again when it starts.")
TOO_MANY = N_("Too many codes tried. Wait a few minutes and try again.")


def join_page(
    typed: str = "",
    error: str | None = None,
    status_code: int = 200,
    ended: HostedSessionView | None = None,
    retry_after: int | None = None,
    ended_title: tuple[str, Markup] | None = None,
) -> Template:
    """The form; after an ended session's code, a way into its consultation, named
    by its title in the page's language (`ended_title`: the title and its marks)."""
    return Template(
        "join/join.html",
        context={
            "code": typed[:TYPED_MAX],
            "error": error,
            "ended": ended,
            "ended_title": ended_title,
        },
        status_code=status_code,
        headers={"Retry-After": str(retry_after)} if retry_after else None,
    )


def start_url(session: HostedSessionView) -> str:
    """Where a person who joined starts: the survey in use, else the consultation."""
    base = f"/c/{session.consultation_slug}"
    return f"{base}/surveys/{session.survey_id}" if session.survey_id else base


async def _join(request: Request[Any, Any, Any], typed: str) -> Template | Redirect:
    if not typed.strip():
        return join_page(typed, EMPTY, 422)
    address = client_address(request)
    throttled = await kiosk.count_code_try(address)
    if throttled is not None:
        return join_page(typed, TOO_MANY, 429, retry_after=throttled.retry_after)
    checked = await hosted_sessions.check_code(typed)
    if checked.session is None:
        return join_page(typed, UNKNOWN, 422)
    await kiosk.give_back_code_try(address)
    if checked.refusal is JoinRefusal.ended:
        consultation = await consultations.by_id(checked.session.consultation_id)
        title = await title_in(consultation, locale_of(request)) if consultation else None
        return join_page(typed, ENDED, 410, ended=checked.session, ended_title=title)
    if checked.refusal is not None:
        return join_page(typed, NOT_OPEN, 422)
    session = checked.session
    join_session(request, session.id, session.consultation_id, kiosk.joined_channel(session.mode))
    cookie = None if i18n.LANG_COOKIE in request.cookies else language_cookie(session.locale)
    return Redirect(start_url(session), status_code=303, cookies=[cookie] if cookie else None)


class JoinController(Controller):
    """`/join` (type the code) and `/j/{code}` (the poster's QR link)."""

    @get("/join", name="join")
    async def form(self) -> Template:
        return join_page()

    @post("/join", name="join_post")
    async def join(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        return await _join(request, form_text(form, "code")[:200])

    @get("/j/{code:str}", name="join_link")
    async def link(
        self, request: Request[Any, Any, Any], code: FromPath[str]
    ) -> Template | Redirect:
        """The QR code's address. A GET that changes only this browser's own session
        (which session its response will name), as scanning a poster must."""
        return await _join(request, code[:200])

"""Facilitators' sessions (web layer): the list, a new session, a session's page
with its join address and edit form. Every action is a plain form: 303 to a page
that says what was done, or 422 with the form as it was sent and an error summary."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.auth import MEMBER, any_staff
from consult.controllers.sessions._common import (
    SESSIONS_URL,
    join_url,
    labels,
    member_session,
    session_url,
)
from consult.services import hosted_sessions
from consult.services.hosted_sessions import (
    SESSION_LIMITS,
    SESSION_MESSAGES,
    HostedSessionView,
    SessionInvalid,
)
from consult.services.staff import StaffMember
from consult.tables import Role, SessionMode
from consult.web import form_text, translator

FIELDS = ("consultation", "organisation", "title", "date", "time", "closes_date")
FIELDS += ("closes_time", "place", "mode", "locale", "groups")
DONE_MESSAGES = {"created", "saved"}


def _messages(request: Request[Any, Any, Any], errors: dict[str, str]) -> dict[str, str]:
    _ = translator(request).gettext
    return {
        name: _(SESSION_MESSAGES[key]) % {"limit": SESSION_LIMITS.get(name, 0)}
        for name, key in errors.items()
    }


async def _form_context(
    request: Request[Any, Any, Any],
    member: StaffMember,
    values: dict[str, str],
    errors: dict[str, str],
    session: HostedSessionView | None = None,
) -> dict[str, Any]:
    consultations = list(await hosted_sessions.open_consultations(member))
    if session is not None and all(c.id != session.consultation_id for c in consultations):
        # A session keeps its consultation after that closes.
        consultations.insert(
            0, hosted_sessions.Choice(session.consultation_id, session.consultation_title)
        )
    locales = list(hosted_sessions.locales())
    if session is not None and session.locale not in locales:
        locales.append(session.locale)
    return {
        **labels(request),
        "values": values,
        "errors": _messages(request, errors),
        "consultations": consultations,
        "organisations": await hosted_sessions.organisations_for(member),
        "chooses_organisation": member.role in (Role.admin, Role.planner),
        "locales": locales,
        "modes": [mode.value for mode in SessionMode],
    }


def _new_values(request: Request[Any, Any, Any], member: StaffMember) -> dict[str, str]:
    values = dict.fromkeys(FIELDS, "")
    values["mode"] = SessionMode.own_phones.value
    values["locale"] = "en"
    if member.organisation_id is not None:
        values["organisation"] = str(member.organisation_id)
    return values


def _sent_values(form: Any) -> dict[str, str]:
    values = {name: form_text(form, name) for name in FIELDS}
    raw_groups = form.get("groups")
    values["groups"] = raw_groups if isinstance(raw_groups, str) else ""
    return values


async def _session_page(
    request: Request[Any, Any, Any],
    member: StaffMember,
    session: HostedSessionView,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    done = request.query_params.get("done", "")
    return Template(
        "sessions/session.html",
        context={
            **await _form_context(
                request,
                member,
                values or hosted_sessions.form_values(session),
                errors or {},
                session,
            ),
            "session": session,
            "join_url": join_url(session.code),
            "completed": await hosted_sessions.completed_count(session.id),
            "done": done if done in DONE_MESSAGES else "",
        },
        status_code=status_code,
    )


class SessionsController(Controller):
    """The sessions a member may see: an organisation's own for a facilitator,
    every organisation's for planners and admins."""

    path = SESSIONS_URL
    guards = [any_staff]
    dependencies = MEMBER

    @get("/", name="sessions")
    async def list_sessions(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template:
        sessions = await hosted_sessions.sessions_for_member(member)
        return Template(
            "sessions/list.html",
            context={
                **labels(request),
                "sessions": sessions,
                "counts": await hosted_sessions.completed_counts(s.id for s in sessions),
                "is_planner": member.role in (Role.admin, Role.planner),
            },
        )

    @get("/new", name="session_new")
    async def new_form(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template:
        return Template(
            "sessions/new.html",
            context=await _form_context(request, member, _new_values(request, member), {}),
        )

    @post("/new", name="session_create")
    async def create(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        values = _sent_values(await request.form())
        data, errors = hosted_sessions.parse_form(values)
        try:
            session_id = await hosted_sessions.create(member, data, errors)
        except SessionInvalid as invalid:
            return Template(
                "sessions/new.html",
                context=await _form_context(request, member, values, invalid.errors),
                status_code=422,
            )
        return Redirect(f"{session_url(session_id)}?done=created", status_code=303)

    @get("/{session_id:int}", name="session")
    async def show(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        session_id: FromPath[int],
    ) -> Template:
        return await _session_page(request, member, await member_session(member, session_id))

    @post("/{session_id:int}", name="session_update")
    async def update(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        session_id: FromPath[int],
    ) -> Template | Redirect:
        session = await member_session(member, session_id)
        values = _sent_values(await request.form())
        data, errors = hosted_sessions.parse_form(values)
        try:
            await hosted_sessions.update(member, session, data, errors)
        except SessionInvalid as invalid:
            return await _session_page(
                request, member, session, values=values, errors=invalid.errors, status_code=422
            )
        return Redirect(f"{session_url(session.id)}?done=saved", status_code=303)

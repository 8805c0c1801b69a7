"""Safeguarding flags to follow up, and an answer's original text for admins.

A follow-up is a note of what was done, audited; nothing is deleted (testimony of
hate is evidence). Every other page shows redacted text only: the original is on
an admin-only page, shown in answer to a POST ("Show original"), and each view of
it is audited."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import text_insights
from analysis.text_pages._common import (
    NOTE_MAX,
    back,
    int_or_none,
    survey_and_consultation,
    text_url,
)
from consult.auth import MEMBER, admins, planners
from consult.i18n import N_
from consult.services import audit
from consult.services.staff import StaffMember
from consult.tables import Role
from consult.web import form_text


async def _page(
    request: Request[Any, Any, Any],
    survey_id: int,
    member: StaffMember,
    *,
    form_flag: int | None = None,
    error: str = "",
    note: str = "",
    status_code: int = 200,
) -> Template:
    spec, consultation = await survey_and_consultation(survey_id)
    include_done = request.query_params.get("all") == "1"
    after = int_or_none(request.query_params.get("after"))
    flags, next_after = await text_insights.flag_page(spec.id, include_done, after)
    done = int_or_none(request.query_params.get("done"))
    return Template(
        "analysis/safeguarding.html",
        context={
            "consultation": consultation,
            "survey": spec,
            "flags": flags,
            "include_done": include_done,
            "after": after,
            "next_after": next_after,
            "done_flag": await text_insights.flag(spec.id, done) if done else None,
            "form_flag": form_flag,
            "error": error,
            "note": note,
            "note_max": NOTE_MAX,
            "is_admin": member.role == Role.admin,
            "current": "safeguarding",
        },
        status_code=status_code,
    )


class SafeguardingController(Controller):
    path = "/staff/surveys/{survey_id:int}/text/safeguarding"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="text_safeguarding")
    async def flags(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template:
        return await _page(request, survey_id, member)

    @post("/{flag_id:int}", name="text_follow_up")
    async def follow_up(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        flag_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        if await text_insights.flag(spec.id, flag_id) is None:
            raise NotFoundException()
        form = await request.form()
        note = form_text(form, "note")
        if not note or len(note) > NOTE_MAX:
            return await _page(
                request,
                spec.id,
                member,
                form_flag=flag_id,
                error=N_("Write what was done to follow this up, in up to %(limit)s characters."),
                note=note,
                status_code=422,
            )
        await text_insights.follow_up(spec.id, flag_id, note, member.user_id)
        await audit.record(member.user_id, "safeguarding_follow_up", "safeguarding_flag", flag_id)
        return back(text_url(spec.id, "safeguarding"), done=flag_id)


class OriginalTextController(Controller):
    path = "/staff/text-answers"
    guards = [admins]
    dependencies = MEMBER

    @post("/{text_answer_id:int}/original", name="text_original")
    async def original(
        self, text_answer_id: FromPath[int], member: NamedDependency[StaffMember]
    ) -> Template:
        """The original, personal data included: a POST ("Show original"), because
        each view writes its audit row and no GET writes. The page is no-store."""
        found = await text_insights.original_text(text_answer_id)
        if found is None:
            raise NotFoundException()
        spec, consultation = await survey_and_consultation(found.survey_id)
        await audit.record(member.user_id, "view_original_text", "text_answer", text_answer_id)
        return Template(
            "analysis/original.html",
            context={"consultation": consultation, "survey": spec, "answer": found},
        )

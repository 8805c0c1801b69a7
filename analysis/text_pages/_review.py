"""Reviewing a theme's codes, answer by answer: "Yes, this theme" or "No, not this
theme". A plain form goes back to the page (303) with the decision said at the
top; with htmx only that answer's row is swapped and focus stays on the button
pressed (the new row has the same ids), which now shows as pressed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import text_insights
from analysis.tables import ThemeStatus
from analysis.text_insights import Decision
from analysis.text_pages._common import (
    back,
    int_or_none,
    survey_and_consultation,
    text_url,
    wants_partial,
)
from consult.auth import MEMBER, planners
from consult.services.staff import StaffMember
from consult.tables import Role
from consult.web import form_text


class ReviewController(Controller):
    path = "/staff/surveys/{survey_id:int}/text/themes/{theme_id:int}/review"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="text_review")
    async def review(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        theme_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template:
        spec, consultation = await survey_and_consultation(survey_id)
        theme = await text_insights.theme_card(spec.id, theme_id, ThemeStatus.accepted)
        if theme is None:
            raise NotFoundException()
        after = int_or_none(request.query_params.get("after"))
        rows, next_after = await text_insights.review_page(theme.id, after)
        done = int_or_none(request.query_params.get("done"))
        return Template(
            "analysis/review.html",
            context={
                "consultation": consultation,
                "survey": spec,
                "theme": theme,
                "rows": rows,
                "after": after,
                "next_after": next_after,
                "done_row": await text_insights.review_row(theme.id, done) if done else None,
                "is_admin": member.role == Role.admin,
                "current": "codebook",
            },
        )

    @post("/{coding_id:int}", name="text_review_decide")
    async def decide(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        theme_id: FromPath[int],
        coding_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        theme = await text_insights.theme_card(spec.id, theme_id, ThemeStatus.accepted)
        form = await request.form()
        try:
            decision = Decision(form_text(form, "decision"))
        except ValueError:
            raise NotFoundException() from None
        row = (
            await text_insights.decide(theme.id, coding_id, decision, member.user_id)
            if theme
            else None
        )
        if theme is None or row is None:
            raise NotFoundException()
        if wants_partial(request):
            return Template(
                "analysis/_review_row.html",
                context={
                    "survey": spec,
                    "theme": theme,
                    "row": row,
                    "after": int_or_none(form.get("after")),
                    "is_admin": member.role == Role.admin,
                },
            )
        return back(
            text_url(spec.id, f"themes/{theme.id}/review"),
            after=int_or_none(form.get("after")),
            done=row.coding_id,
        )

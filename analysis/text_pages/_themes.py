"""Suggested themes: accept, rename, merge into an accepted theme, or discard,
and suggest again. Each is a plain form (POST -> 303 -> the page says what was
done); with htmx, only the theme's block is swapped, and focus stays with it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import codebooks, text_insights
from analysis.tables import ThemeStatus
from analysis.text_insights import ThemeCard
from analysis.text_pages._common import (
    LABEL_MAX,
    back,
    int_or_none,
    survey_and_consultation,
    text_url,
    wants_partial,
)
from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services.staff import StaffMember
from consult.web import form_text

ACTIONS = ("accept", "rename", "merge", "discard")


async def _page(
    request: Request[Any, Any, Any],
    survey_id: int,
    *,
    errors: dict[int, dict[str, str]] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    spec, consultation = await survey_and_consultation(survey_id)
    done = request.query_params.get("done", "")
    theme = int_or_none(request.query_params.get("theme"))
    done_card = await text_insights.theme_card(spec.id, theme) if theme else None
    return Template(
        "analysis/themes.html",
        context={
            "consultation": consultation,
            "survey": spec,
            "cards": await text_insights.suggested_cards(spec.id),
            "accepted": await text_insights.accepted_cards(spec.id),
            "done": done,
            "done_card": done_card,
            "found": int_or_none(request.query_params.get("found")),
            "errors": errors or {},
            "typed": typed or {},
            "k": consultation.k_threshold,
            "current": "themes",
        },
        status_code=status_code,
    )


def _card_partial(
    survey_id: int,
    card: ThemeCard,
    accepted: tuple[ThemeCard, ...],
    k: int,
    *,
    outcome: str = "",
    into: ThemeCard | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "analysis/_theme_card.html",
        context={
            "survey": {"id": survey_id},
            "card": card,
            "accepted": accepted,
            "k": k,
            "outcome": outcome,
            "into": into,
            "card_errors": errors or {},
            "typed": typed or {},
        },
        status_code=status_code,
    )


class ThemesController(Controller):
    path = "/staff/surveys/{survey_id:int}/text/themes"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="text_themes")
    async def themes(self, request: Request[Any, Any, Any], survey_id: FromPath[int]) -> Template:
        return await _page(request, survey_id)

    @post("/suggest", name="text_suggest")
    async def suggest(self, survey_id: FromPath[int]) -> Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        found = await codebooks.suggest_for_survey(spec.id)
        return back(text_url(spec.id, "themes"), done="suggested", found=found)

    @post("/{theme_id:int}/{action:str}", name="text_theme_action")
    async def act(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        theme_id: FromPath[int],
        action: FromPath[str],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        spec, consultation = await survey_and_consultation(survey_id)
        card = await text_insights.theme_card(spec.id, theme_id, ThemeStatus.suggested)
        if action not in ACTIONS or card is None:
            raise NotFoundException()
        form = await request.form()
        into: ThemeCard | None = None
        if action == "rename":
            label = form_text(form, "label")
            if not label or len(label) > LABEL_MAX:
                errors = {"label": N_("Enter a label of 1 to %(limit)s characters.")}
                if wants_partial(request):
                    return _card_partial(
                        spec.id,
                        card,
                        await text_insights.accepted_cards(spec.id),
                        consultation.k_threshold,
                        errors=errors,
                        typed={"label": label},
                        status_code=422,
                    )
                return await _page(
                    request,
                    spec.id,
                    errors={card.id: errors},
                    typed={"label": label},
                    status_code=422,
                )
            card = await text_insights.rename(spec.id, theme_id, label) or card
        elif action == "merge":
            target = int_or_none(form.get("into"))
            into = await text_insights.merge(spec.id, theme_id, target) if target else None
            if into is None:
                raise NotFoundException()
        elif action == "accept":
            await text_insights.accept(spec.id, theme_id)
        else:
            await text_insights.discard(spec.id, theme_id)
        if wants_partial(request):
            return _card_partial(
                spec.id,
                card,
                await text_insights.accepted_cards(spec.id),
                consultation.k_threshold,
                outcome=action,
                into=into,
            )
        return back(
            text_url(spec.id, "themes"),
            done=action,
            theme=into.id if into else card.id,
        )

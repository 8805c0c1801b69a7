"""Approved quotes (web layer): "Use as a quote" on a reviewed answer, and the
survey's quotes page where each can be shortened or withdrawn. Only redacted text
is shown, and whatever a planner saves is redacted again."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import quotes, text_insights
from analysis.quotes import QUOTE_MAX, QuoteInvalid
from analysis.strategy_pages._common import back, labels, survey_and_consultation
from consult.auth import MEMBER, planners
from consult.services.staff import StaffMember
from consult.web import form_text, translator


def quotes_url(survey_id: int) -> str:
    return f"/staff/surveys/{survey_id}/text/quotes"


def _safe_next(target: str, survey_id: int) -> str:
    """Back to a page of the same survey's text pages, never anywhere else."""
    prefix = f"/staff/surveys/{survey_id}/text"
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return quotes_url(survey_id)


async def _page(
    request: Request[Any, Any, Any],
    survey_id: int,
    *,
    form_quote: int | None = None,
    text: str = "",
    status_code: int = 200,
) -> Template:
    spec, consultation = await survey_and_consultation(survey_id)
    themes = {card.id: card.label for card in await text_insights.accepted_cards(spec.id)}
    _ = translator(request).gettext
    return Template(
        "strategy/quotes.html",
        context={
            **labels(request),
            "consultation": consultation,
            "survey": spec,
            "quotes": await quotes.approved_quotes(spec.id),
            "themes": themes,
            "form_quote": form_quote,
            "text": text,
            "error": (
                _("Enter a quote of 1 to %(limit)s characters.") % {"limit": QUOTE_MAX}
                if form_quote
                else ""
            ),
            "done": request.query_params.get("done", ""),
            "current": "quotes",
        },
        status_code=status_code,
    )


class QuotesController(Controller):
    path = "/staff/surveys/{survey_id:int}/text/quotes"
    guards = [planners]

    @get("/", name="quotes")
    async def show(self, request: Request[Any, Any, Any], survey_id: FromPath[int]) -> Template:
        return await _page(request, survey_id)


class QuoteController(Controller):
    path = "/staff"
    guards = [planners]
    dependencies = MEMBER

    @post("/text-answers/{text_answer_id:int}/quote", name="quote_approve")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        text_answer_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Redirect:
        survey_id = await quotes.survey_of_text_answer(text_answer_id)
        if survey_id is None:
            raise NotFoundException()
        form = await request.form()
        try:
            quote_id = await quotes.approve(text_answer_id, staff_id=member.user_id)
        except (LookupError, QuoteInvalid):
            raise NotFoundException() from None
        target = _safe_next(form_text(form, "next"), survey_id)
        separator = "&" if "?" in target else "?"
        return Redirect(f"{target}{separator}quoted={quote_id}", status_code=303)

    @post("/quotes/{quote_id:int}", name="quote_edit")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        quote_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        survey_id = await quotes.survey_of_quote(quote_id)
        if survey_id is None:
            raise NotFoundException()
        text = form_text(await request.form(), "text")
        try:
            await quotes.edit(quote_id, text, member.user_id)
        except QuoteInvalid:
            return await _page(request, survey_id, form_quote=quote_id, text=text, status_code=422)
        return back(quotes_url(survey_id), done="saved")

    @post("/quotes/{quote_id:int}/delete", name="quote_withdraw")
    async def withdraw(
        self, quote_id: FromPath[int], member: NamedDependency[StaffMember]
    ) -> Redirect:
        survey_id = await quotes.survey_of_quote(quote_id)
        if survey_id is None or not await quotes.withdraw(quote_id, member.user_id):
            raise NotFoundException()
        return back(quotes_url(survey_id), done="withdrawn")

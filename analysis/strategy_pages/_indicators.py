"""Indicators (web layer): each indicator's share with its 95% interval, broken down
by a chosen segment, and the forms that add one (first the question, then its
label and the options that count) and delete one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import crosstabs, indicators
from analysis.indicators import LABEL_MAX, IndicatorError
from analysis.segments import column_label, column_labels, segment_label
from analysis.strategy_pages._common import (
    back,
    int_or_none,
    labels,
    survey_and_consultation,
)
from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.web import form_text, translator

INDICATOR_MESSAGES = {
    "question": N_("Choose a choice or scale question that has no indicator yet."),
    "label": N_("Enter a label of 1 to %(limit)s characters."),
    "options": N_("Choose the answers that count: at least one, and not all of them."),
}


def indicators_url(survey_id: int) -> str:
    return f"/staff/surveys/{survey_id}/indicators"


async def _page(
    request: Request[Any, Any, Any],
    survey_id: int,
    *,
    question_id: int | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    spec, consultation = await survey_and_consultation(survey_id)
    k = consultation.k_threshold
    segment = crosstabs.parse_segment(spec, request.query_params.get("by"))
    results = await indicators.indicator_results(spec, k, [segment] if segment else [])
    taken = {result.question.id for result in results}
    free = [q for q in indicators.indicator_questions(spec) if q.id not in taken]
    chosen = next((q for q in free if q.id == question_id), None)
    _ = translator(request).gettext
    return Template(
        "strategy/indicators.html",
        context={
            **labels(request),
            "consultation": consultation,
            "survey": spec,
            "results": results,
            "k": k,
            "segments": [(s.value, segment_label(request, s)) for s in crosstabs.segments_of(spec)],
            "segment": segment,
            "segment_label": segment_label(request, segment) if segment else "",
            "column_labels": column_labels(request, segment) if segment else {},
            "column_label": column_label,
            "free_questions": free,
            "chosen": chosen,
            "values": values or {"label": "", "options": []},
            "errors": {
                name: _(INDICATOR_MESSAGES[name]) % {"limit": LABEL_MAX} for name in errors or {}
            },
            "done": request.query_params.get("done", ""),
            "current": "indicators",
        },
        status_code=status_code,
    )


class IndicatorsController(Controller):
    path = "/staff/surveys/{survey_id:int}/indicators"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="indicators")
    async def show(self, request: Request[Any, Any, Any], survey_id: FromPath[int]) -> Template:
        """The indicators; with ?question=ID, the form to add one on that question."""
        question = int_or_none(request.query_params.get("question"))
        return await _page(request, survey_id, question_id=question)

    @post("/", name="indicator_create")
    async def create(
        self, request: Request[Any, Any, Any], survey_id: FromPath[int]
    ) -> Template | Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        form = await request.form()
        question_id = int_or_none(form.get("question"))
        values = {
            "label": form_text(form, "label"),
            "options": [o for o in (int_or_none(v) for v in form.getall("options", [])) if o],
        }
        try:
            await indicators.create_indicator(spec, question_id, values["label"], values["options"])
        except IndicatorError as refused:
            return await _page(
                request,
                spec.id,
                question_id=question_id,
                values=values,
                errors={refused.field: refused.reason},
                status_code=422,
            )
        return back(indicators_url(spec.id), done="added")


class IndicatorController(Controller):
    path = "/staff/indicators/{indicator_id:int}"
    guards = [planners]

    @post("/delete", name="indicator_delete")
    async def delete(self, indicator_id: FromPath[int]) -> Redirect:
        survey_id = await indicators.survey_of_indicator(indicator_id)
        if survey_id is None or not await indicators.delete_indicator(indicator_id):
            raise NotFoundException()
        return back(indicators_url(survey_id), done="deleted")

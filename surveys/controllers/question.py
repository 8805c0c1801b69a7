"""Editing one question: its texts, answers, limits, and its display condition."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from consult.auth import planners
from consult.i18n import N_
from consult.tables import Consultation
from consult.text_input import whole_number
from consult.web import form_text
from surveys import builder, services
from surveys.controllers import _builder_forms as forms
from surveys.controllers._lookup import (
    FOCUS_PATTERN as _FOCUS,
)
from surveys.controllers._lookup import (
    LOOKUPS,
    builder_url,
    condition_sources,
)
from surveys.flow import SurveySpec
from surveys.question_types import Operator, QuestionSpec

LOCKED = N_("People have answered this survey, so its questions can no longer change.")


def _edit_url(consultation: Consultation, spec: SurveySpec, question: QuestionSpec) -> str:
    return f"/staff/consultations/{consultation.id}/surveys/{spec.id}/questions/{question.id}"


async def _edit_page(
    consultation: Consultation,
    spec: SurveySpec,
    question: QuestionSpec,
    form: forms.QuestionForm | None = None,
    refusals: list[builder.Refusal] | None = None,
    condition_error: str | None = None,
    status_code: int = 200,
    focus: str = "",
) -> Template:
    keys = await services.question_keys(spec.id)
    locked = await services.has_answers(spec.id)
    return Template(
        "staff/question.html",
        context={
            "consultation": consultation,
            "survey": spec,
            "question": question,
            "locked": locked,
            "values": form.values if form else forms.question_values(question, keys[question.id]),
            "errors": form.errors if form else {},
            "refusals": refusals or [],
            "sources": condition_sources(spec, question),
            "condition_error": condition_error,
            "builder_url": builder_url(consultation, f"question-{question.id}"),
            "edit_url": _edit_url(consultation, spec, question),
            "focus": focus if _FOCUS.match(focus) else "",
        },
        status_code=status_code,
    )


def _option_action(value: str) -> tuple[str, int] | None:
    """`up:12`, `down:12` or `remove:12` from an option's button; None otherwise."""
    action, _, option_id = value.partition(":")
    if action in ("up", "down", "remove") and (number := whole_number(option_id)) is not None:
        return action, number
    return None


class QuestionController(Controller):
    path = (
        "/staff/consultations/{consultation_id:int}"
        "/surveys/{survey_id:int}/questions/{question_id:int}"
    )
    guards = [planners]
    dependencies = LOOKUPS

    @get("/", name="edit_question")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
        question: NamedDependency[QuestionSpec],
    ) -> Template:
        focus = request.query_params.get("focus", "")
        return await _edit_page(consultation, spec, question, focus=focus)

    @post("/", name="save_question")
    async def save(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
        question: NamedDependency[QuestionSpec],
    ) -> Template | Redirect:
        form_data = await request.form()
        checked, edit = forms.question_edit(form_data, question)
        if edit is None:
            return await _edit_page(consultation, spec, question, checked, status_code=422)
        option_action = _option_action(form_text(form_data, "option_action"))
        if option_action is not None and option_action[1] not in {o.id for o in question.options}:
            option_action = None
        try:
            await builder.update_question(question.id, replace(edit, option_action=option_action))
        except builder.QuestionsLocked:
            return await _edit_page(
                consultation,
                spec,
                question,
                checked,
                [
                    builder.Refusal(
                        "",
                        LOCKED,
                        {},
                    )
                ],
                status_code=409,
            )
        except builder.ChangeRefused as refused:
            return await _edit_page(
                consultation, spec, question, checked, refused.refusals, status_code=422
            )
        if option_action is not None:
            # Stay on the form, focus on the answer just moved (or the list).
            action, option_id = option_action
            focus = "options" if action == "remove" else f"option-{action}-{option_id}"
            url = _edit_url(consultation, spec, question)
            return Redirect(f"{url}?focus={focus}#{focus}", status_code=303)
        return Redirect(builder_url(consultation, f"question-{question.id}"), status_code=303)

    @post("/condition", name="question_condition")
    async def condition(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
        question: NamedDependency[QuestionSpec],
    ) -> Template | Redirect:
        form = await request.form()
        try:
            if form_text(form, "remove"):
                await builder.remove_condition(question.id)
            else:
                chosen = {
                    n for v in form.getall("option", []) if (n := whole_number(v)) is not None
                }
                sources = {
                    source.id
                    for source in condition_sources(spec, question)
                    if chosen & {option.id for option in source.options}
                }
                try:
                    operator = Operator(form_text(form, "operator"))
                except ValueError:
                    operator = None
                if operator is None or len(sources) != 1:
                    message = (
                        N_("Choose whether the answer must be, be any of, or not be the answers.")
                        if operator is None
                        else N_("Choose one or more answers of one earlier question.")
                    )
                    return await _edit_page(
                        consultation, spec, question, condition_error=message, status_code=422
                    )
                # One answer ticked is "equals", several "any of": the same test,
                # stored as a shared definition would say it.
                if operator in (Operator.equals, Operator.any_of):
                    operator = Operator.equals if len(chosen) == 1 else Operator.any_of
                await builder.set_condition(
                    question.id,
                    sources.pop(),
                    operator,
                    chosen,
                    whole_page=bool(form.get("whole_page")),
                )
        except builder.QuestionsLocked:
            return await _edit_page(
                consultation,
                spec,
                question,
                condition_error=LOCKED,
                status_code=409,
            )
        except builder.ChangeRefused as refused:
            return await _edit_page(
                consultation, spec, question, refusals=refused.refusals, status_code=422
            )
        return Redirect(builder_url(consultation, f"question-{question.id}"), status_code=303)

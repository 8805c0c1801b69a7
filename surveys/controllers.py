"""Answering a survey (residents) and building one (planners)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from consult.auth import current_member, planners
from consult.services import consultations
from consult.settings import get_settings
from consult.tables import Consultation
from consult.web import form_lists, form_text, locale_of
from surveys import services, submissions
from surveys.flow import SurveySpec, parse_form
from surveys.pages import blank_form_page, form_page, new_idempotency_key
from surveys.question_types import N_, REGISTRY

# A key we issued: URL-safe base64 of 24 random bytes. Anything else gets a new one.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{32}$")


async def _open_survey(slug: str, survey_id: int) -> tuple[Consultation, SurveySpec]:
    ttl = get_settings().definition_cache_seconds
    consultation = await consultations.public_by_slug(slug, ttl)
    spec = await services.cached_spec(survey_id, ttl)
    if consultation is None or spec is None or spec.consultation_id != consultation.id:
        raise NotFoundException()
    return consultation, spec


class RespondController(Controller):
    """The resident's survey: a plain form, POST -> 303 -> thank-you page."""

    path = "/c/{slug:str}"

    @get("/surveys/{survey_id:int}", name="respond")
    async def form(
        self, request: Request[Any, Any, Any], slug: str, survey_id: int
    ) -> Template | Response[str]:
        consultation, spec = await _open_survey(slug, survey_id)
        if not consultation.is_open:
            return Template("surveys/closed.html", context={"consultation": consultation})
        return blank_form_page(request, consultation, spec)

    @post("/surveys/{survey_id:int}", name="submit")
    async def submit(
        self, request: Request[Any, Any, Any], slug: str, survey_id: int
    ) -> Template | Redirect:
        consultation, spec = await _open_survey(slug, survey_id)
        form = await request.form()
        key = form_text(form, "idempotency_key")
        if not _IDEMPOTENCY_KEY.match(key):
            key = new_idempotency_key()
        parsed = parse_form(spec, form_lists(form))
        if not parsed.is_valid:
            return form_page(consultation, spec, key, dict(parsed.values), dict(parsed.errors), 422)
        try:
            await submissions.submit(spec, parsed.answers, key, locale_of(request))
        except submissions.ConsultationNotOpen:
            return Template(
                "surveys/closed.html", context={"consultation": consultation}, status_code=409
            )
        return Redirect(f"/c/{consultation.slug}/thanks", status_code=303)

    @get("/thanks", name="thanks")
    async def thanks(self, slug: str) -> Template:
        consultation = await consultations.public_by_slug(
            slug, get_settings().definition_cache_seconds
        )
        if consultation is None:
            raise NotFoundException()
        return Template("surveys/thanks.html", context={"consultation": consultation})


async def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = await consultations.by_id(consultation_id)
    if consultation is None:
        raise NotFoundException()
    return consultation


async def _builder_page(
    consultation: Consultation,
    form_errors: dict[str, str] | None = None,
    form_values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    surveys = await services.surveys_of(consultation.id)
    specs = [await services.load_spec(survey.id) for survey in surveys]
    answered = await services.answered_survey_ids(consultation.id)
    locked = {survey.id: survey.id in answered for survey in surveys}
    return Template(
        "staff/consultation.html",
        context={
            "consultation": consultation,
            "surveys": specs,
            "locked": locked,
            "question_types": REGISTRY,
            "form_errors": form_errors or {},
            "form_values": form_values or {},
        },
        status_code=status_code,
    )


class SurveyBuilderController(Controller):
    """A planner's view of one consultation: its surveys and their questions."""

    path = "/staff/consultations/{consultation_id:int}"
    guards = [planners]
    dependencies = {"member": Provide(current_member, sync_to_thread=False)}

    @get("/", name="staff_consultation")
    async def detail(self, consultation_id: int) -> Template:
        return await _builder_page(await _consultation_or_404(consultation_id))

    @post("/surveys", name="create_survey")
    async def create_survey(
        self, request: Request[Any, Any, Any], consultation_id: int
    ) -> Template | Redirect:
        consultation = await _consultation_or_404(consultation_id)
        form = await request.form()
        title = form_text(form, "title")
        if not title or len(title) > 200:
            return await _builder_page(
                consultation,
                {"title": N_("Enter a survey title of up to 200 characters.")},
                {"title": title},
                422,
            )
        await services.create_survey(
            consultation.id, title, form_text(form, "intro"), form_text(form, "consent_text")
        )
        return Redirect(f"/staff/consultations/{consultation.id}", status_code=303)

    @post("/surveys/{survey_id:int}/questions", name="add_question")
    async def add_question(
        self, request: Request[Any, Any, Any], consultation_id: int, survey_id: int
    ) -> Template | Redirect:
        consultation = await _consultation_or_404(consultation_id)
        survey = await services.by_id(survey_id)
        if survey is None or survey.consultation != consultation.id:
            raise NotFoundException()
        form = await request.form()
        values = {
            "survey_id": survey_id,
            "type": form_text(form, "type"),
            "text": form_text(form, "text"),
            "help": form_text(form, "help"),
            "options": form_text(form, "options"),
            "required": bool(form.get("required")),
            "prefer_not_to_say": bool(form.get("prefer_not_to_say")),
        }
        errors = _question_errors(values)
        if errors:
            return await _builder_page(consultation, errors, values, 422)
        options = [
            services.NewOption(label=line.strip())
            for line in values["options"].splitlines()
            if line.strip()
        ]
        kind = REGISTRY[values["type"]]
        if kind.has_options and values["prefer_not_to_say"]:
            options.append(services.NewOption(label="Prefer not to say", is_prefer_not_to_say=True))
        try:
            await services.add_question(
                survey_id,
                values["type"],
                values["text"],
                values["help"],
                values["required"],
                options if kind.has_options else [],
            )
        except services.QuestionsLocked:
            return await _builder_page(
                consultation,
                {"text": N_("Questions cannot change once people have answered.")},
                values,
                409,
            )
        return Redirect(
            f"/staff/consultations/{consultation.id}#survey-{survey_id}", status_code=303
        )


def _question_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["type"] not in REGISTRY:
        errors["type"] = N_("Choose a question type.")
    if not values["text"] or len(values["text"]) > 1000:
        errors["text"] = N_("Enter the question, up to 1,000 characters.")
    if values["type"] in REGISTRY and REGISTRY[values["type"]].has_options:
        labels = [line.strip() for line in values["options"].splitlines() if line.strip()]
        if len(labels) < 2:
            errors["options"] = N_("Enter at least two answers, one on each line.")
        elif any(len(label) > 300 for label in labels):
            errors["options"] = N_("Each answer must be 300 characters or fewer.")
    return errors

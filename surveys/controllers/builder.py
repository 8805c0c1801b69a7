"""The planner's builder: surveys of a consultation, their questions and options.

Every action is a plain form (POST -> 303 back to the builder), so it all works
without JavaScript; htmx swaps the main content in place and keeps focus where the
planner was. Every route checks that the survey belongs to the consultation and the
question to the survey named in the address, not only the planner's role.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Response, Template

from consult.auth import current_member, planners
from consult.i18n import N_
from consult.services import audit, consultations, purge
from consult.services.staff import StaffMember
from consult.tables import Consultation
from consult.web import form_text, translator
from surveys import builder, instruments, languages, services
from surveys.controllers import _builder_forms as forms
from surveys.controllers._lookup import (
    FOCUS_PATTERN,
    LOOKUPS,
    back_to_builder,
)
from surveys.definition import (
    InvalidDefinition,
    Problem,
    read_definition,
    write_definition,
)
from surveys.flow import SurveySpec
from surveys.question_types import REGISTRY, QuestionSpec

SURVEY_TITLE_MAX = 200
SURVEY_TEXT_MAX = 5000


async def consultation_page(
    consultation: Consultation,
    request: Request[Any, Any, Any],
    *,
    form_id: str = "",
    form: forms.QuestionForm | None = None,
    refusals: list[builder.Refusal] | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Template:
    """The consultation's page (the builder), with the form `form_id` names filled
    as `form` says (its values and errors) when one was refused."""
    surveys = await services.surveys_of(consultation.id)
    specs = [spec for survey in surveys if (spec := await services.load_spec(survey.id))]
    answered = await services.answered_survey_ids(consultation.id)
    retired = {survey.id for survey in surveys if survey.retired}
    live = [spec for spec in specs if spec.id not in retired]
    stored = await languages.stored_texts(consultation)
    focus = request.query_params.get("focus", "")
    return Template(
        "staff/consultation.html",
        context={
            "consultation": consultation,
            "surveys": specs,
            "retired": retired,
            # Languages: the form's values, and how far each language is.
            "language_values": {
                "main_locale": consultation.default_locale,
                "others": languages.other_locales(consultation),
                "reporting_locale": consultation.reporting_locale,
            },
            "main_locked": bool(answered),
            "coverage": await languages.coverage(consultation, live, stored),
            # Questions hard to read in any language it is written or translated in.
            "hard_to_read": languages.hard_questions(
                consultation, live, stored, translator(request).gettext
            ),
            "locked": {spec.id: spec.id in answered for spec in specs},
            "question_types": REGISTRY,
            "templates": instruments.templates(),
            "bank": instruments.question_bank().questions,
            "form_id": form_id,
            "form_values": form.values if form else {},
            "form_errors": form.errors if form else {},
            "refusals": refusals or [],
            "problems": problems or [],
            "focus": focus if FOCUS_PATTERN.match(focus) else "",
        },
        status_code=status_code,
    )


def _locked_refusal() -> list[builder.Refusal]:
    return [
        builder.Refusal(
            "",
            N_(
                "People have answered this survey, so its questions can no longer change. "
                "Create a new version to change them."
            ),
            {},
        )
    ]


class SurveyBuilderController(Controller):
    """A planner's view of one consultation: its surveys and their questions."""

    path = "/staff/consultations/{consultation_id:int}"
    guards = [planners]
    dependencies = {"member": Provide(current_member, sync_to_thread=False), **LOOKUPS}

    @get("/", name="staff_consultation")
    async def detail(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template:
        return await consultation_page(consultation, request)

    @post("/safety", name="consultation_safety")
    async def safety(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        form = await request.form()
        exit_url = form_text(form, "exit_url")
        if not re.match(r"^https?://[^\s/?#]+\.[^\s]*$", exit_url) or len(exit_url) > 300:
            values = forms.QuestionForm(
                {"exit_url": exit_url, "sensitive": bool(form.get("sensitive"))}
            )
            values.errors["exit_url"] = N_(
                "Enter the full address of a neutral website, like https://www.bbc.co.uk/weather."
            )
            return await consultation_page(
                consultation, request, form_id="safety", form=values, status_code=422
            )
        await consultations.set_safety(consultation, bool(form.get("sensitive")), exit_url)
        return back_to_builder(consultation, "safety")

    @post("/retention", name="consultation_retention")
    async def retention(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        """The day after which `consult purge` deletes the responses (empty: never)."""
        typed = form_text(await request.form(), "retain_until")
        retain_until = purge.parse_retention(typed) if typed else None
        if typed and retain_until is None:
            values = forms.QuestionForm({"retain_until": typed})
            values.errors["retain_until"] = N_("Enter a date like 2027-11-30, or leave it empty.")
            return await consultation_page(
                consultation, request, form_id="retention", form=values, status_code=422
            )
        await purge.set_retention(consultation, retain_until)
        return back_to_builder(consultation, "retention")

    @post("/surveys", name="create_survey")
    async def create_survey(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        form = await request.form()
        title = form_text(form, "title")
        if not title or len(title) > SURVEY_TITLE_MAX:
            values = forms.QuestionForm({"title": title})
            values.errors["title"] = N_("Enter a survey title of up to 200 characters.")
            return await consultation_page(
                consultation, request, form_id="new-survey", form=values, status_code=422
            )
        survey = await builder.create_survey(
            consultation.id,
            title,
            form_text(form, "intro")[:SURVEY_TEXT_MAX],
            form_text(form, "consent_text")[:SURVEY_TEXT_MAX],
        )
        return back_to_builder(consultation, f"survey-{survey.id}")

    @post("/surveys/template", name="survey_from_template")
    async def from_template(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        form = await request.form()
        definition = instruments.template(form_text(form, "template"))
        if definition is None:
            values = forms.QuestionForm({})
            values.errors["template"] = N_("Choose a template.")
            return await consultation_page(
                consultation, request, form_id="template", form=values, status_code=422
            )
        survey_id = await builder.import_definition(consultation.id, definition)
        return back_to_builder(consultation, f"survey-{survey_id}")

    @post("/surveys/import", name="import_survey")
    async def import_survey(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        form = await request.form()
        upload = form.get("definition")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        try:
            if not data:
                raise InvalidDefinition(
                    [Problem("", N_("Choose a survey definition file (.json)."))]
                )
            definition = read_definition(data)
        except InvalidDefinition as invalid:
            return await consultation_page(
                consultation, request, form_id="import", problems=invalid.problems, status_code=422
            )
        survey_id = await builder.import_definition(consultation.id, definition)
        return back_to_builder(consultation, f"survey-{survey_id}")

    @get("/surveys/{survey_id:int}/definition.json", name="export_definition")
    async def export_definition(
        self,
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
        member: NamedDependency[StaffMember],
    ) -> Response[bytes]:
        body = write_definition(await builder.export_definition(spec.id))
        await audit.record(member.user_id, "export_definition", "survey", spec.id)
        return Response(
            body,
            media_type="application/json",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="survey-{spec.id}-v{spec.version}.json"'
                )
            },
        )

    @get("/surveys/{survey_id:int}/preview", name="preview_survey")
    async def preview(
        self, consultation: NamedDependency[Consultation], spec: NamedDependency[SurveySpec]
    ) -> Template:
        return Template(
            "staff/preview.html", context={"consultation": consultation, "survey": spec}
        )

    @post("/surveys/{survey_id:int}/settings", name="survey_settings")
    async def settings(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
    ) -> Template | Redirect:
        form = await request.form()
        values = {name: form_text(form, name) for name in ("title", "intro", "consent_text")}
        layout = form_text(form, "layout")
        checked = forms.QuestionForm({**values, "layout": layout, "survey_id": spec.id})
        if not values["title"] or len(values["title"]) > SURVEY_TITLE_MAX:
            checked.errors["title"] = N_("Enter a survey title of up to 200 characters.")
        for name in ("intro", "consent_text"):
            if len(values[name]) > SURVEY_TEXT_MAX:
                checked.errors[name] = N_("Enter up to 5,000 characters.")
        if not checked.is_valid:
            return await consultation_page(
                consultation, request, form_id=f"settings-{spec.id}", form=checked, status_code=422
            )
        try:
            await builder.update_survey(
                spec.id,
                values["title"],
                values["intro"],
                values["consent_text"],
                layout != "grouped",
            )
        except builder.ChangeRefused as refused:
            return await consultation_page(
                consultation,
                request,
                form_id=f"settings-{spec.id}",
                form=checked,
                refusals=refused.refusals,
                status_code=422,
            )
        return back_to_builder(consultation, f"survey-{spec.id}")

    @post("/surveys/{survey_id:int}/version", name="new_version")
    async def version(
        self, consultation: NamedDependency[Consultation], spec: NamedDependency[SurveySpec]
    ) -> Redirect:
        try:
            new_id = await builder.new_version(spec.id)
        except builder.AlreadyReplaced as replaced:
            # A second press of the button: the planner meant the version made by the first.
            return back_to_builder(consultation, f"survey-{replaced.newest_id}")
        return back_to_builder(consultation, f"survey-{new_id}")

    @post("/surveys/{survey_id:int}/questions", name="add_question")
    async def add_question(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
    ) -> Template | Redirect:
        checked, data = forms.new_question(await request.form())
        form_id = f"add-{spec.id}"
        if data is None:
            return await consultation_page(
                consultation, request, form_id=form_id, form=checked, status_code=422
            )
        try:
            question_id = await builder.add_question(spec.id, data)
        except builder.QuestionsLocked:
            return await consultation_page(
                consultation,
                request,
                form_id=form_id,
                form=checked,
                refusals=_locked_refusal(),
                status_code=409,
            )
        except builder.ChangeRefused as refused:
            return await consultation_page(
                consultation,
                request,
                form_id=form_id,
                form=checked,
                refusals=refused.refusals,
                status_code=422,
            )
        return back_to_builder(consultation, f"question-{question_id}")

    @post("/surveys/{survey_id:int}/bank", name="add_from_bank")
    async def add_from_bank(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
    ) -> Template | Redirect:
        form = await request.form()
        wanted = {str(value) for value in form.getall("key", [])}
        chosen = [q for q in instruments.question_bank().questions if q.key in wanted]
        if not chosen:
            values = forms.QuestionForm({})
            values.errors["key"] = N_("Choose at least one question to add.")
            return await consultation_page(
                consultation, request, form_id=f"bank-{spec.id}", form=values, status_code=422
            )
        try:
            await builder.add_definition_questions(spec.id, chosen)
        except (builder.QuestionsLocked, builder.ChangeRefused) as error:
            # ChangeRefused: past a survey's most questions, say.
            return await self._refused(request, consultation, error)
        return back_to_builder(consultation, f"survey-{spec.id}")

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        consultation: Consultation,
        error: builder.QuestionsLocked | builder.ChangeRefused,
    ) -> Template:
        if isinstance(error, builder.QuestionsLocked):
            return await consultation_page(
                consultation, request, refusals=_locked_refusal(), status_code=409
            )
        return await consultation_page(
            consultation, request, refusals=error.refusals, status_code=422
        )

    @post("/surveys/{survey_id:int}/questions/{question_id:int}/move", name="move_question")
    async def move(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        question: NamedDependency[QuestionSpec],
    ) -> Template | Redirect:
        direction = form_text(await request.form(), "direction")
        if direction not in ("up", "down"):
            raise NotFoundException()
        try:
            await builder.move_question(question.id, -1 if direction == "up" else 1)
        except (builder.QuestionsLocked, builder.ChangeRefused) as error:
            return await self._refused(request, consultation, error)
        return back_to_builder(consultation, f"move-{direction}-{question.id}")

    @post(
        "/surveys/{survey_id:int}/questions/{question_id:int}/duplicate",
        name="duplicate_question",
    )
    async def duplicate(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        question: NamedDependency[QuestionSpec],
    ) -> Template | Redirect:
        try:
            copy_id = await builder.duplicate_question(question.id)
        except (builder.QuestionsLocked, builder.ChangeRefused) as error:
            return await self._refused(request, consultation, error)
        return back_to_builder(consultation, f"question-{copy_id}")

    @post("/surveys/{survey_id:int}/questions/{question_id:int}/delete", name="delete_question")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        spec: NamedDependency[SurveySpec],
        question: NamedDependency[QuestionSpec],
    ) -> Template | Redirect:
        try:
            await builder.delete_question(question.id)
        except (builder.QuestionsLocked, builder.ChangeRefused) as error:
            return await self._refused(request, consultation, error)
        return back_to_builder(consultation, f"survey-{spec.id}")

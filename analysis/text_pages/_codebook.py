"""The codebook: accepted themes to edit, export and import as JSON, and the
button that re-codes every answer from the codebook and the reviewed codes."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from analysis import codebooks, coding, text_insights
from analysis.codebook import (
    MAX_DESCRIPTION_CHARS,
    MAX_KEYWORD_CHARS,
    MAX_KEYWORDS,
    CodebookError,
)
from analysis.tables import ThemeStatus
from analysis.text_pages._common import (
    LABEL_MAX,
    back,
    int_or_none,
    survey_and_consultation,
    text_url,
)
from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services import audit
from consult.services.staff import StaffMember
from consult.web import form_text, translator

_KEYWORD_SPLIT = re.compile(r"[\n,;]+")


def parse_keywords(text: str) -> list[str]:
    """Keywords typed one a line (or separated by commas), each once."""
    seen: set[str] = set()
    found = []
    for keyword in (part.strip() for part in _KEYWORD_SPLIT.split(text)):
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            found.append(keyword)
    return found


def _theme_errors(label: str, description: str, keywords: list[str]) -> dict[str, str]:
    errors = {}
    if not label or len(label) > LABEL_MAX:
        errors["label"] = N_("Enter a label of 1 to %(limit)s characters.")
    if len(description) > MAX_DESCRIPTION_CHARS:
        errors["description"] = N_("Enter a description of up to %(limit)s characters.")
    if len(keywords) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD_CHARS for k in keywords):
        errors["keywords"] = N_("Enter up to %(most)s keywords of up to %(limit)s characters each.")
    return errors


async def _page(
    request: Request[Any, Any, Any],
    survey_id: int,
    *,
    form_theme: int | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    import_error: str = "",
    status_code: int = 200,
) -> Template:
    spec, consultation = await survey_and_consultation(survey_id)
    done = request.query_params.get("done", "")
    theme = int_or_none(request.query_params.get("theme"))
    return Template(
        "analysis/codebook.html",
        context={
            "consultation": consultation,
            "survey": spec,
            "themes": await text_insights.accepted_cards(spec.id),
            "done": done,
            "done_card": await text_insights.theme_card(spec.id, theme) if theme else None,
            "count": int_or_none(request.query_params.get("count")),
            "form_theme": form_theme,
            "errors": errors or {},
            "values": values or {},
            "import_error": import_error,
            "limits": {
                "label": LABEL_MAX,
                "description": MAX_DESCRIPTION_CHARS,
                "keyword": MAX_KEYWORD_CHARS,
                "keywords": MAX_KEYWORDS,
            },
            "current": "codebook",
        },
        status_code=status_code,
    )


class CodebookController(Controller):
    path = "/staff/surveys/{survey_id:int}/text/codebook"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="text_codebook")
    async def codebook(self, request: Request[Any, Any, Any], survey_id: FromPath[int]) -> Template:
        return await _page(request, survey_id)

    @get("/export.json", name="text_codebook_export")
    async def export(
        self, survey_id: FromPath[int], member: NamedDependency[StaffMember]
    ) -> Response[str]:
        spec, consultation = await survey_and_consultation(survey_id)
        body = await codebooks.export_codebook(spec.id)
        await audit.record(member.user_id, "export_codebook", "survey", spec.id, is_export=True)
        return Response(
            body,
            media_type="application/json",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="{consultation.slug}-codebook-{spec.id}.json"'
                )
            },
        )

    @post("/import", name="text_codebook_import")
    async def import_file(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        form = await request.form()
        upload = form.get("codebook")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
        gettext = translator(request).gettext
        if not data:
            message = gettext("Choose a codebook file (.json).")
        else:
            try:
                imported = await codebooks.import_codebook(spec.id, data)
            except CodebookError as error:
                message = error.render(gettext)
            else:
                await audit.record(member.user_id, "import_codebook", "survey", spec.id)
                return back(
                    text_url(spec.id, "codebook"), done="imported", count=len(imported.themes)
                )
        return await _page(request, spec.id, import_error=message, status_code=422)

    @post("/recode", name="text_recode")
    async def recode(self, survey_id: FromPath[int]) -> Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        given = await coding.recode_survey(spec.id)
        return back(text_url(spec.id, "codebook"), done="recoded", count=given)

    @post("/{theme_id:int}", name="text_theme_edit")
    async def edit(
        self, request: Request[Any, Any, Any], survey_id: FromPath[int], theme_id: FromPath[int]
    ) -> Template | Redirect:
        spec, _ = await survey_and_consultation(survey_id)
        if await text_insights.theme_card(spec.id, theme_id, ThemeStatus.accepted) is None:
            raise NotFoundException()
        form = await request.form()
        values = {name: form_text(form, name) for name in ("label", "description", "keywords")}
        keywords = parse_keywords(values["keywords"])
        errors = _theme_errors(values["label"], values["description"], keywords)
        if errors:
            return await _page(
                request,
                spec.id,
                form_theme=theme_id,
                errors=errors,
                values=values,
                status_code=422,
            )
        await text_insights.update_theme(
            spec.id, theme_id, values["label"], values["description"], keywords
        )
        return back(text_url(spec.id, "codebook"), done="saved", theme=theme_id)

"""A consultation's languages (a form on its page) and the side-by-side editor of
its texts in one language (web layer).

Both are plain forms (POST -> 303 back, 422 with every value kept), for the
consultation's city's planners and admins: the `planners` guard checks the role
and the consultation's city (consult.ownership).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.auth import current_member, planners
from consult.services.staff import StaffMember
from consult.tables import Consultation
from consult.web import translator
from surveys import languages, translations
from surveys.controllers import _builder_forms
from surveys.controllers._lookup import LOOKUPS, back_to_builder
from surveys.controllers.builder import consultation_page
from surveys.controllers.translate import _editor, _forms
from surveys.flow import SurveySpec


def editor_url(consultation: Consultation, locale: str) -> str:
    return f"/staff/consultations/{consultation.id}/translations/{locale}"


def _locale_or_404(consultation: Consultation, locale: str) -> str:
    if locale not in languages.content_locales(consultation):
        raise NotFoundException()
    return locale


async def _editor_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    specs: list[SurveySpec],
    locale: str,
    *,
    missing_only: bool,
    values: dict[str, str],
    too_long: dict[str, int] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Template:
    texts = translations.source_texts(consultation, specs)
    stored = await translations.texts_of(consultation.id, locale)
    is_main = locale == consultation.default_locale
    missing = {text.field for text in translations.missing(texts, stored)} if not is_main else set()
    # Nothing is missing in the main language: its page has no filter.
    missing_only = missing_only and not is_main
    return Template(
        "translations/editor.html",
        context={
            "consultation": consultation,
            "locale": locale,
            "main_locale": consultation.default_locale,
            "is_main": is_main,
            "sections": _editor.sections(
                consultation, specs, locale, missing if missing_only else None
            ),
            "values": {**stored, **values},
            "missing": missing,
            "missing_only": missing_only,
            "texts_count": len(texts),
            "too_long": too_long or {},
            "done": done,
            "dom_id": _editor.dom_id,
            "action": editor_url(consultation, locale),
            # Readability flags: each box's text in its language, each source text
            # in the main language (field -> notes).
            "notes": languages.text_notes(
                {field: text for field, text in {**stored, **values}.items() if text},
                locale,
                translator(request).gettext,
            ),
            "source_notes": languages.text_notes(
                {text.field: text.text for text in texts},
                consultation.default_locale,
                translator(request).gettext,
            ),
        },
        status_code=status_code,
    )


class TranslationController(Controller):
    path = "/staff/consultations/{consultation_id:int}"
    guards = [planners]
    dependencies = {
        "member": Provide(current_member, sync_to_thread=False),
        "consultation": LOOKUPS["consultation"],
    }

    @post("/languages", name="consultation_languages")
    async def set_languages(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        checked = _forms.read_languages(await request.form(), consultation)
        if checked.choice is not None:
            try:
                await languages.set_languages(consultation, checked.choice, member.user_id)
            except languages.MainLanguageLocked:
                checked.errors["main_locale"] = _forms.MAIN_LOCKED
            else:
                return back_to_builder(consultation, "languages")
        form = _builder_forms.QuestionForm(checked.values, checked.errors)
        return await consultation_page(
            consultation, request, form_id="languages", form=form, status_code=422
        )

    @get("/translations/{locale:str}", name="translations")
    async def editor(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        locale: FromPath[str],
    ) -> Template:
        locale = _locale_or_404(consultation, locale)
        return await _editor_page(
            request,
            consultation,
            await languages.live_specs(consultation.id),
            locale,
            missing_only=request.query_params.get("missing") == "1",
            values={},
            done="saved" if request.query_params.get("done") == "saved" else "",
        )

    @post("/translations/{locale:str}", name="save_translations")
    async def save(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        locale: FromPath[str],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        locale = _locale_or_404(consultation, locale)
        specs = await languages.live_specs(consultation.id)
        texts = translations.source_texts(consultation, specs)
        form = await request.form()
        missing_only = form.get("missing") == "1"
        checked = _forms.read_texts(form, languages.editable(consultation, texts, locale))
        if checked.too_long:
            return await _editor_page(
                request,
                consultation,
                specs,
                locale,
                missing_only=missing_only,
                values=checked.values,
                too_long=checked.too_long,
                status_code=422,
            )
        stored = await translations.texts_of(consultation.id, locale)
        changed = {
            field: text for field, text in checked.values.items() if text != stored.get(field, "")
        }
        if changed:
            await languages.save_translations(consultation.id, locale, changed, member.user_id)
        query = "?done=saved" + ("&missing=1" if missing_only else "")
        return Redirect(editor_url(consultation, locale) + query, status_code=303)

"""Leaving and coming back: continue with a resume code, and the quick exit."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.i18n import N_
from consult.services import consultations
from consult.sessions import cookie_name
from consult.settings import get_settings
from consult.tables import DEFAULT_EXIT_URL, Consultation
from consult.web import form_text
from surveys import drafts, services
from surveys.controllers._respondent import (
    RESPONDENT_LOOKUPS,
    give_consent,
    keep_draft,
    respondent_page,
)
from surveys.controllers.respond import page_url
from surveys.flow import Journey
from surveys.resume_codes import normalise_code

# Cookies, storage and the page cache of this site, wiped by the browser itself.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


class LeaveController(Controller):
    path = "/c/{slug:str}"
    dependencies = {"consultation": RESPONDENT_LOOKUPS["consultation"]}

    @get("/resume", name="resume")
    async def resume_form(self, consultation: NamedDependency[Consultation]) -> Template:
        return respondent_page("surveys/resume.html", consultation, code="", error=None)

    @post("/resume", name="resume_post")
    async def resume(
        self, request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
    ) -> Template | Redirect:
        form = await request.form()
        typed = form_text(form, "code")
        code = normalise_code(typed)
        error = None
        draft = None
        if code is None:
            error = N_("Enter your code: 16 letters and numbers, like 7KQF-3MXA-9PRT-2WHN.")
        else:
            draft = await drafts.load(code)
            survey = await services.load_spec(draft.survey_id) if draft else None
            if draft is None or survey is None or survey.consultation_id != consultation.id:
                error = N_(
                    "No saved answers match this code. Check it and try again: a code "
                    "works for 30 days after you saved."
                )
        if error is not None or draft is None or code is None:
            return respondent_page(
                "surveys/resume.html", consultation, 422, code=typed[:40], error=error
            )
        survey = await services.load_spec(draft.survey_id)
        assert survey is not None
        keep_draft(request, survey, draft)
        if draft.consent_version is not None:
            give_consent(request, survey.id, draft.consent_version)
        target = Journey(survey, draft.values).next_incomplete(draft.seen)
        return Redirect(page_url(consultation, survey, target), status_code=303)

    @get("/exit", name="quick_exit", opt={"exclude_from_csrf": True}, cache=False)
    async def quick_exit(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        """Leave at once for a neutral site, taking nothing of this one along.

        The session cookie holds the only copy of the draft's code, so clearing it
        makes the draft unreadable (it is deleted when it expires). A GET, so the
        exit is a plain link that works in every state of every page; it changes
        nothing stored, and it must never be refused (no CSRF check, no error page).
        """
        try:
            consultation = await consultations.public_by_slug(
                slug, get_settings().definition_cache_seconds
            )
        except Exception:  # the exit works even when the database does not
            consultation = None
        target = (
            consultation.exit_url if consultation and consultation.exit_url else DEFAULT_EXIT_URL
        )
        request.clear_session()
        response = Redirect(target, status_code=303)
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        response.headers["Cache-Control"] = "no-store"
        # Set expired with the attributes it was set with: a browser ignores a
        # __Host- cookie (https) that arrives without Secure, even to delete it.
        settings = get_settings()
        response.set_cookie(
            cookie_name("consult_csrf", settings),
            "",
            max_age=0,
            expires=0,
            path="/",
            secure=settings.secure_cookies,
            httponly=True,
            samesite="lax",
        )
        return response

"""The respondent's journey: landing -> consent -> pages -> check answers -> sent.

Every step is a plain form or link (POST -> 303 -> GET), so it all works without
JavaScript; htmx only swaps the main content in place. Answers given so far live
in a sealed draft (surveys/drafts.py) whose code is in the session cookie.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from consult.services import withdrawal
from consult.tables import Consultation
from consult.web import client_address, form_lists, form_text, locale_of
from surveys import abuse, drafts, services, submissions
from surveys.controllers._journey_pages import (
    RETURN_TO_CHECK,
    check_template,
    page_template,
    page_url,
    survey_url,
    unanswered_page,
)
from surveys.controllers._reading import Reading, start_fields
from surveys.controllers._respondent import (
    RESPONDENT_LOOKUPS,
    KioskPage,
    browser_id,
    clear_respondent,
    closed_page,
    consent_of,
    draft_code,
    draft_state,
    forget_survey,
    give_consent,
    has_consented,
    hosted_session_of,
    keep_draft,
    kiosk_page,
    mark_code_to_show,
    mark_started,
    respondent_page,
    started_at,
    take_code_to_show,
)
from surveys.flow import Journey, SurveySpec, Values, kept_values
from surveys.resume_codes import format_code, new_code
from surveys.translations import CONSULTATION_TEXTS, field_name

# A key we issued: URL-safe base64 of 24 random bytes. Anything else gets a new one.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{32}$")
# Importable from here as before (surveys/controllers/leave.py).
__all__ = ["RespondController", "page_url", "survey_url"]


def new_idempotency_key() -> str:
    """A key for one rendered "Check your answers": sending it twice stores once."""
    return secrets.token_urlsafe(24)


async def _draft(request: Request[Any, Any, Any], survey: SurveySpec) -> drafts.Draft | None:
    code = draft_code(request, survey.id)
    return await drafts.load(code, survey.id) if code else None


def _signals(
    request: Request[Any, Any, Any],
    form: Any,
    survey: SurveySpec,
    journey: Journey,
    hosted_session: int | None,
    kiosk: KioskPage | None,
) -> abuse.Signals:
    """What this submission tells of who sent it, for surveys.abuse to judge."""
    started = started_at(request, survey.id)
    flags = abuse.form_flags(
        form_text(form, abuse.HONEYPOT_FIELD),
        started,
        time.time(),
        len(journey.shown_pages),
        # A draft resumed with a code began elsewhere: saving it was time taken.
        resumed=started is None and draft_code(request, survey.id) is not None,
    )
    return abuse.Signals(
        flags,
        client_address(request),
        browser_id(request),
        shared=hosted_session is not None,
        kiosk=kiosk is not None,
    )


class RespondController(Controller):
    """The resident's survey, from the landing page to the thank-you page."""

    path = "/c/{slug:str}"
    dependencies = RESPONDENT_LOOKUPS

    @get("/", name="consultation")
    async def landing(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        reading: NamedDependency[Reading],
    ) -> Template | Redirect:
        kiosk = kiosk_page(request, consultation)
        if kiosk is not None:
            # A kiosk stays in its survey: each person starts there.
            return Redirect(kiosk.start_url, status_code=303)
        surveys = await services.surveys_of(consultation.id, include_retired=False)
        listed = reading.survey_titles(surveys)
        return respondent_page(
            "public/consultation.html",
            consultation,
            reading=reading,
            # A survey's title shows when there are several to choose from.
            shows=[field_name("consultation", None, attr) for attr in CONSULTATION_TEXTS]
            + ([survey.field for survey in listed] if len(listed) > 1 else []),
            fallbacks=[survey.field for survey in listed if survey.fallback],
            surveys=listed,
        )

    @get("/surveys/{survey_id:int}", name="respond")
    async def start(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
    ) -> Template:
        kiosk = kiosk_page(request, consultation)
        if not consultation.is_open:
            return closed_page(consultation, kiosk=kiosk, reading=reading)
        easy = [field_name("survey", survey.id, attr) for attr in ("intro", "consent_text")]
        return respondent_page(
            "surveys/start.html",
            consultation,
            kiosk=kiosk,
            reading=reading,
            shows=start_fields(survey),
            easy=reading.easy_link(easy, survey_url(consultation, survey)),
            survey=survey,
        )

    @post("/surveys/{survey_id:int}/start", name="begin")
    async def begin(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
    ) -> Template | Redirect:
        if not consultation.is_open:
            return closed_page(consultation, 409, reading=reading)
        if survey.needs_consent:
            form = await request.form()
            if form_text(form, "consent_version") != str(survey.consent_version):
                # The consent text changed while the page was open: read it again.
                return Redirect(survey_url(consultation, survey), status_code=303)
            give_consent(request, survey.id, survey.consent_version)
        mark_started(request, survey.id)
        journey = Journey(survey, {})
        first = journey.shown_pages[0] if journey.shown_pages else None
        return Redirect(page_url(consultation, survey, first), status_code=303)

    @get("/surveys/{survey_id:int}/pages/{number:int}", name="page")
    async def page(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
        number: FromPath[int],
    ) -> Template | Response[str] | Redirect:
        page = survey.page(number)
        if page is None:
            raise NotFoundException()
        if not consultation.is_open:
            return closed_page(consultation, reading=reading)
        if not has_consented(request, survey):
            return Redirect(survey_url(consultation, survey), status_code=303)
        state = draft_state(request, survey.id)
        if state is not None and page.number in state.filled:
            draft = await drafts.load(state.code, survey.id)
            values: Values = draft.values if draft else {}
        else:
            # Nothing entered on this page: the session knows enough to show it.
            values = state.condition_values if state else {}
        journey = Journey(survey, values)
        if not journey.is_shown(page):
            # Earlier answers hide this page: go on to the next one shown.
            nxt = journey.next_page(page.number)
            return Redirect(page_url(consultation, survey, nxt), status_code=303)
        return_to = RETURN_TO_CHECK if request.query_params.get("return") == RETURN_TO_CHECK else ""
        kiosk = kiosk_page(request, consultation)
        if kiosk is None and not any(kept_values(question, values) for question in page.questions):
            return unanswered_page(request, consultation, survey, journey, page, return_to, reading)
        # A kiosk's page (its controls, two forms) is rendered whole, never the
        # worker's shared copy, which is an ordinary visitor's page.
        return page_template(
            consultation, survey, journey, page, values, reading, return_to=return_to, kiosk=kiosk
        )

    @post("/surveys/{survey_id:int}/pages/{number:int}", name="page_post")
    async def page_post(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
        number: FromPath[int],
    ) -> Template | Redirect:
        page = survey.page(number)
        if page is None:
            raise NotFoundException()
        if not consultation.is_open:
            return closed_page(consultation, 409, reading=reading)
        if not has_consented(request, survey):
            return Redirect(survey_url(consultation, survey), status_code=303)
        form = await request.form()
        posted = form_lists(form)
        return_to = RETURN_TO_CHECK if form_text(form, "return") == RETURN_TO_CHECK else ""
        saving = form_text(form, "action") == "save"
        code = draft_code(request, survey.id)
        draft = await drafts.load(code, survey.id) if code else None
        journey = Journey(survey, draft.values if draft else {})
        parsed = journey.parse_page(page, posted)
        if not saving and not parsed.is_valid:
            return page_template(
                consultation,
                survey,
                journey,
                page,
                parsed.values,
                reading,
                dict(parsed.errors),
                return_to,
                422,
                kiosk=kiosk_page(request, consultation),
            )
        code = code if draft is not None and code else new_code()
        draft = await drafts.write_page(
            drafts.PageWrite(
                code=code,
                survey_id=survey.id,
                page=page,
                posted=posted,
                continued=parsed.is_valid and not saving,
                consent_version=consent_of(request, survey),
                save_for_later=saving,
            )
        )
        keep_draft(request, survey, draft)
        if saving:
            mark_code_to_show(request, survey.id)
            return Redirect(survey_url(consultation, survey, "/saved"), status_code=303)
        journey = Journey(survey, draft.values)
        if return_to == RETURN_TO_CHECK:
            target = journey.next_incomplete(draft.seen)
        else:
            target = journey.next_page(page.number)
        return Redirect(page_url(consultation, survey, target), status_code=303)

    @get("/surveys/{survey_id:int}/check", name="check")
    async def check(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
    ) -> Template | Redirect:
        if not consultation.is_open:
            return closed_page(consultation, reading=reading)
        draft = await _draft(request, survey)
        if draft is None or not has_consented(request, survey):
            return Redirect(survey_url(consultation, survey), status_code=303)
        journey = Journey(survey, draft.values)
        incomplete = journey.next_incomplete(draft.seen)
        if incomplete is not None:
            return Redirect(page_url(consultation, survey, incomplete), status_code=303)
        return check_template(
            consultation,
            survey,
            journey,
            journey.parse_all(),
            consent_of(request, survey),
            new_idempotency_key(),
            reading,
            kiosk=kiosk_page(request, consultation),
        )

    @post("/surveys/{survey_id:int}/submit", name="submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
    ) -> Template | Redirect:
        form = await request.form()
        key = form_text(form, "idempotency_key")
        if not _IDEMPOTENCY_KEY.match(key):
            key = new_idempotency_key()
        consent = form_text(form, "consent_version")
        if survey.needs_consent and consent != str(survey.consent_version):
            return Redirect(survey_url(consultation, survey), status_code=303)
        # What "Check your answers" showed is what is stored: the form carries it.
        journey = Journey(survey, form_lists(form))
        parsed = journey.parse_all()
        consent_version = survey.consent_version if survey.needs_consent else None
        kiosk = kiosk_page(request, consultation)
        if not parsed.is_valid:
            return check_template(
                consultation, survey, journey, parsed, consent_version, key, reading, 422, kiosk
            )
        # The session it came through: the kiosk's, or the one joined by its code.
        hosted_session, channel = hosted_session_of(request, consultation)
        try:
            await submissions.submit(
                survey,
                parsed.answers,
                key,
                locale_of(request),
                channel=channel,
                consent_version=consent_version,
                draft_code=draft_code(request, survey.id),
                hosted_session=hosted_session,
                signals=_signals(request, form, survey, journey, hosted_session, kiosk),
            )
        except submissions.ConsultationNotOpen:
            return closed_page(consultation, 409, kiosk, reading)
        except submissions.Refused as refused:
            # Nothing was stored and the draft is kept: the same form, sent again
            # after the wait, stores these answers once.
            return check_template(
                consultation,
                survey,
                journey,
                parsed,
                consent_version,
                key,
                reading,
                429,
                kiosk,
                retry_after=refused.retry_after,
            )
        if kiosk is not None:
            # The next person starts with nothing of this one's (their draft went
            # in the submission's own transaction).
            clear_respondent(request)
        else:
            forget_survey(request, survey.id)
            # Which response this browser sent, should its respondent take a
            # withdrawal code on the thank-you page (never on a kiosk).
            request.session[withdrawal.SESSION_KEY] = key
        return Redirect(f"/c/{consultation.slug}/thanks", status_code=303)

    @get("/surveys/{survey_id:int}/saved", name="saved")
    async def saved(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        survey: NamedDependency[SurveySpec],
        reading: NamedDependency[Reading],
    ) -> Template:
        code = take_code_to_show(request, survey.id)
        expires = drafts.SAVED_FOR + datetime.now(UTC)
        return respondent_page(
            "surveys/saved.html",
            consultation,
            reading=reading,
            survey=survey,
            code=format_code(code) if code else None,
            expires=expires.date(),
        )

    @get("/thanks", name="thanks")
    async def thanks(
        self,
        request: Request[Any, Any, Any],
        consultation: NamedDependency[Consultation],
        reading: NamedDependency[Reading],
    ) -> Template:
        kiosk = kiosk_page(request, consultation)
        withdrawable = kiosk is None and withdrawal.SESSION_KEY in request.session
        return respondent_page(
            "surveys/thanks.html",
            consultation,
            kiosk=kiosk,
            reading=reading,
            shows=[field_name("consultation", None, "data_use")],
            withdrawable=withdrawable,
        )

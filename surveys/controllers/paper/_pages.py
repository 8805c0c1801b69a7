"""The printable paper survey and the paper data-entry screen (web layer).

Every route finds its session through `session_for_member`, the object-level check:
a facilitator reaches only their own organisation's sessions, and another's answer
404 as if they did not exist.

The printed survey is in the session's language (or the one `?lang=` names), its
texts translated as online (surveys/controllers/_reading.py); the entry screen
shows them in the page's language, for whoever types the answers in. What is
stored of an answer is an option's id either way.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from consult import i18n
from consult.auth import any_staff, current_member, planners
from consult.i18n import N_
from consult.services import consultations
from consult.services.hosted_sessions import HostedSessionView, session_for_member
from consult.tables import Consultation
from consult.web import ObjectId, form_lists, form_text, locale_of
from surveys import paper, services, submissions
from surveys.controllers._reading import Reading, in_language, question_fields, reading_in
from surveys.flow import ParsedForm, SurveySpec
from surveys.translations import CONSULTATION_TEXTS, field_name

# A serial id: a larger number is refused before it reaches (and overflows) a query.
# A key this screen issued (as "Check your answers" does): 24 random bytes, URL-safe.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{32}$")
# The session cookie's note of the questionnaire just saved, shown once.
_SAVED = "paper_saved"

CLOSED = N_("This consultation is closed, so no more questionnaires can be entered.")
WRONG_MODE = N_(
    "Paper questionnaires are entered for sessions held on paper or with a helper. "
    "People answer this session on their own phones or on a shared tablet."
)
NO_SURVEY = N_("This consultation has no survey to answer yet.")
SURVEY_TEXTS = ("title", "intro", "consent_text")


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def _print_in(request: Request[Any, Any, Any], locale: str) -> None:
    """Serve this page in `locale` (the session's language), whatever the browser
    asks for, unless `?lang=` names another: web.locale_of keeps the request's
    language in the scope's state, so every word of the page, its `lang` included,
    follows."""
    if request.query_params.get("lang") in i18n.available_locales():
        return
    if locale in i18n.available_locales():
        request.scope.setdefault("state", {})["locale"] = locale


async def _reading(request: Request[Any, Any, Any], consultation: Consultation) -> Reading:
    # A staff page: the translations as stored now, not a respondent page's copy.
    return await reading_in(consultation, locale_of(request), ttl=0)


def _shows(survey: SurveySpec, printed: bool) -> list[str]:
    """The texts of the survey and its consultation the printed survey shows (all
    of them), or the entry screen (the consultation's title and the questions)."""
    names = [field_name("consultation", None, "title")]
    if printed:
        names += [field_name("consultation", None, attr) for attr in CONSULTATION_TEXTS]
        names += [field_name("survey", survey.id, attr) for attr in SURVEY_TEXTS]
    for question in survey.questions:
        names.extend(
            name for name in question_fields(question) if printed or not name.endswith(".help")
        )
    return names


async def _session(request: Request[Any, Any, Any], session_id: int) -> HostedSessionView:
    found = await session_for_member(current_member(request), session_id)
    if found is None:
        raise NotFoundException()
    return found


async def _consultation(consultation_id: int) -> Consultation:
    found = await consultations.by_id(consultation_id)
    if found is None:
        raise NotFoundException()
    return found


async def _survey(survey_id: int | None) -> SurveySpec | None:
    return await services.load_spec(survey_id) if survey_id is not None else None


async def _paper_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    survey: SurveySpec,
    session: HostedSessionView | None,
) -> Template:
    reading = await _reading(request, consultation)
    survey = in_language(survey, reading)
    marks = reading.marks(survey)
    return Template(
        "paper/survey.html",
        context={
            "consultation": consultation,
            "shown": reading.consultation,
            "marks": marks,
            "translation_note": marks.any(_shows(survey, printed=True)),
            "survey": survey,
            "session": session,
            "skips": paper.skip_instructions(survey),
            "entry_of": paper.entry_of,
        },
    )


class PaperController(Controller):
    path = "/staff"
    include_in_schema = False

    @get("/sessions/{session_id:int}/paper-survey", name="paper_survey", guards=[any_staff])
    async def session_paper(
        self, request: Request[Any, Any, Any], session_id: ObjectId
    ) -> Template:
        """The survey to print for a session, in the session's language."""
        session = await _session(request, session_id)
        survey = await _survey(session.survey_id)
        if survey is None:
            raise NotFoundException()
        _print_in(request, session.locale)
        return await _paper_page(
            request, await _consultation(session.consultation_id), survey, session
        )

    @get("/surveys/{survey_id:int}/paper", name="survey_paper", guards=[planners])
    async def survey_paper(self, request: Request[Any, Any, Any], survey_id: ObjectId) -> Template:
        """Any survey to print, for a planner (no session's code on it), in the
        page's language (`?lang=` prints another)."""
        survey = await services.load_spec(survey_id)
        if survey is None:
            raise NotFoundException()
        return await _paper_page(request, await _consultation(survey.consultation_id), survey, None)

    @get("/sessions/{session_id:int}/paper", name="paper_entry", guards=[any_staff])
    async def entry(self, request: Request[Any, Any, Any], session_id: ObjectId) -> Template:
        """An empty entry form (after a save, with its confirmation)."""
        session = await _session(request, session_id)
        saved = request.session.get(_SAVED)
        number = None
        if isinstance(saved, dict) and saved.get("session") == session.id:
            request.session.pop(_SAVED, None)
            number = saved.get("number")
        return await _entry_page(request, session, saved_number=number)

    @post("/sessions/{session_id:int}/paper", name="paper_entry_post", guards=[any_staff])
    async def enter(
        self, request: Request[Any, Any, Any], session_id: ObjectId
    ) -> Template | Redirect:
        """Check a typed-in questionnaire as the online survey would and store it once."""
        session = await _session(request, session_id)
        form = await request.form()
        key = form_text(form, "idempotency_key")
        if not _IDEMPOTENCY_KEY.match(key):
            key = _new_key()
        channel = paper.ENTRY_CHANNELS.get(str(session.mode))
        consultation = await _consultation(session.consultation_id)
        survey = await _survey(session.survey_id)
        if channel is None or survey is None or not consultation.is_open:
            return await _entry_page(request, session, status_code=409)
        # In the page's language, as its error messages quote answers' labels.
        survey = in_language(survey, await _reading(request, consultation))
        parsed = paper.parse_entry(survey, form_lists(form))
        if not parsed.is_valid:
            return await _entry_page(request, session, parsed=parsed, key=key, status_code=422)
        try:
            await submissions.submit(
                survey,
                parsed.answers,
                key,
                session.locale,
                channel=channel,
                # The printed questionnaire carries the consent text; handing it in agrees.
                consent_version=survey.consent_version if survey.needs_consent else None,
                hosted_session=session.id,
            )
        except submissions.ConsultationNotOpen:
            return await _entry_page(request, session, status_code=409)
        number = await paper.entered_count(session.id, channel)
        request.session[_SAVED] = {"session": session.id, "number": number}
        return Redirect(f"/staff/sessions/{session.id}/paper", status_code=303)


async def _entry_page(
    request: Request[Any, Any, Any],
    session: HostedSessionView,
    parsed: ParsedForm | None = None,
    key: str | None = None,
    saved_number: int | None = None,
    status_code: int = 200,
) -> Template:
    """The entry screen, or the reason no questionnaire can be entered now."""
    consultation = await _consultation(session.consultation_id)
    reading = await _reading(request, consultation)
    survey = await _survey(session.survey_id)
    if survey is not None:
        survey = in_language(survey, reading)
    marks = reading.marks(survey)
    channel = paper.ENTRY_CHANNELS.get(str(session.mode))
    refusal = (
        WRONG_MODE
        if channel is None
        else NO_SURVEY
        if survey is None
        else CLOSED
        if not consultation.is_open
        else None
    )
    return Template(
        "paper/entry.html",
        context={
            "session": session,
            "consultation": consultation,
            "shown": reading.consultation,
            "marks": marks,
            "translation_note": survey is not None
            and refusal is None
            and marks.any(_shows(survey, printed=False)),
            "survey": survey,
            "refusal": refusal,
            "entered": await paper.entered_count(session.id, channel) if channel else 0,
            "saved_number": saved_number,
            "values": parsed.values if parsed else {},
            "errors": parsed.errors if parsed else {},
            "idempotency_key": key or _new_key(),
            "skips": paper.skip_instructions(survey) if survey else {},
            "entry_of": paper.entry_of,
            "option_number": paper.option_number,
        },
        status_code=status_code,
    )

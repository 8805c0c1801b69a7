"""What every respondent route shares: finding the survey, the session, the page."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from consult.services import consultations
from consult.settings import get_settings
from consult.tables import Consultation
from surveys import services
from surveys.controllers._hosted import (
    KIOSK_KEY,
    KioskPage,
    KioskState,
    hosted_session_of,
    join_session,
    kiosk_page,
    kiosk_state,
    start_kiosk,
)
from surveys.controllers._reading import EasyLink, Marks, Reading, in_language, reading_of
from surveys.drafts import Draft
from surveys.flow import SurveySpec, kept_values
from surveys.translations import CONSULTATION_TEXTS, field_name

# The respondent's part of the session cookie (encrypted, HttpOnly): which consent
# version they agreed to and which draft code is theirs, per survey, and the hosted
# session they joined by its code (surveys/controllers/_hosted.py). Nothing else of
# theirs is kept in the browser.
_CONSENT = "consent"
_DRAFTS = "drafts"
_SHOW_CODE = "show_code"
# When the respondent began each survey (seconds since the epoch), so that a survey
# sent faster than a person reads is held for review (surveys.abuse); and a random
# id for this browser, hashed with the survey to notice a second response from it.
# Both live in the session the resident already has: no cookie of their own.
_STARTED = "started"
_BROWSER = "browser"

# Kept importable from here, where every respondent route looks for them.
__all__ = [
    "KioskPage",
    "KioskState",
    "hosted_session_of",
    "join_session",
    "kiosk_page",
    "kiosk_state",
    "start_kiosk",
]


def _ttl() -> float:
    return get_settings().definition_cache_seconds


async def public_consultation(slug: FromPath[str]) -> Consultation:
    """A consultation residents may see; a draft is not found, as if it did not exist."""
    consultation = await consultations.public_by_slug(slug, _ttl())
    if consultation is None or not consultation.is_public:
        raise NotFoundException()
    return consultation


async def survey_in(consultation: Consultation, survey_id: int) -> SurveySpec:
    spec = await services.cached_spec(survey_id, _ttl())
    if spec is None or spec.consultation_id != consultation.id:
        raise NotFoundException()
    return spec


async def _provide_reading(
    request: Request[Any, Any, Any], consultation: NamedDependency[Consultation]
) -> Reading:
    return await reading_of(request, consultation)


async def _provide_survey(
    consultation: NamedDependency[Consultation],
    survey_id: FromPath[int],
    reading: NamedDependency[Reading],
) -> SurveySpec:
    # In the page's language: what is stored of an answer is still the option's id.
    return in_language(await survey_in(consultation, survey_id), reading)


# A handler names `consultation` (from the slug: open or closed, never a draft),
# `reading` (the language and easy read its page is in) or `survey` (of that
# consultation, in that language) and gets it, or the visitor gets a 404.
RESPONDENT_LOOKUPS = {
    "consultation": Provide(public_consultation),
    "reading": Provide(_provide_reading),
    "survey": Provide(_provide_survey),
}


def respondent_page(
    name: str,
    consultation: Consultation,
    status_code: int = 200,
    kiosk: KioskPage | None = None,
    reading: Reading | None = None,
    shows: Iterable[str] = (),
    easy: EasyLink | None = None,
    fallbacks: Iterable[str] = (),
    **context: Any,
) -> Template:
    """A respondent's page; a sensitive consultation's pages carry the quick exit,
    and a kiosk's pages the kiosk's controls (`kiosk`, from kiosk_page()).

    With `reading`, the consultation's texts (`shown`) are in the page's language,
    and `marks` marks those of them, and of the context's `survey`, shown in the
    main language, and `fallbacks` too (texts the handler picked itself); a note
    says so when one of `shows` (the fields on the page) is.
    """
    quick_exit = f"/c/{consultation.slug}/exit" if consultation.is_sensitive else None
    if reading is None:
        shown = {attr: getattr(consultation, attr) for attr in CONSULTATION_TEXTS}
        marks = Marks(consultation.default_locale, consultation.default_locale)
    else:
        shown = dict(reading.consultation)
        marks = reading.marks(context.get("survey"), fallbacks)
    return Template(
        name,
        context={
            "consultation": consultation,
            "quick_exit": quick_exit,
            "kiosk": kiosk,
            "shown": shown,
            "marks": marks,
            "translation_note": marks.any(shows),
            "easy": easy,
            **context,
        },
        status_code=status_code,
    )


def closed_page(
    consultation: Consultation,
    status_code: int = 200,
    kiosk: KioskPage | None = None,
    reading: Reading | None = None,
) -> Template:
    return respondent_page(
        "surveys/closed.html",
        consultation,
        status_code,
        kiosk=kiosk,
        reading=reading,
        shows=[field_name("consultation", None, "title")],
    )


def _part(request: Request[Any, Any, Any], name: str) -> dict[str, Any]:
    session = request.session
    part = session.get(name)
    if not isinstance(part, dict):
        part = session[name] = {}
    return part


def consent_of(request: Request[Any, Any, Any], survey: SurveySpec) -> int | None:
    version = _part(request, _CONSENT).get(str(survey.id))
    return version if isinstance(version, int) else None


def has_consented(request: Request[Any, Any, Any], survey: SurveySpec) -> bool:
    return not survey.needs_consent or consent_of(request, survey) == survey.consent_version


def give_consent(request: Request[Any, Any, Any], survey_id: int, version: int) -> None:
    _part(request, _CONSENT)[str(survey_id)] = version


@dataclass(frozen=True)
class DraftState:
    """What the session knows of a draft, so that a page nobody has answered yet
    needs no database read: the code, which pages hold answers, and the answers
    that display conditions look at. The answers themselves stay in the draft."""

    code: str
    filled: frozenset[int]
    condition_values: dict[str, tuple[str, ...]]


def draft_state(request: Request[Any, Any, Any], survey_id: int) -> DraftState | None:
    state = _part(request, _DRAFTS).get(str(survey_id))
    if not isinstance(state, dict) or not isinstance(state.get("code"), str):
        return None
    values = state.get("conditions") or {}
    return DraftState(
        code=state["code"],
        filled=frozenset(int(n) for n in state.get("filled") or ()),
        condition_values={str(k): tuple(str(v) for v in vs) for k, vs in values.items()},
    )


def draft_code(request: Request[Any, Any, Any], survey_id: int) -> str | None:
    state = draft_state(request, survey_id)
    return state.code if state else None


def keep_draft(request: Request[Any, Any, Any], survey: SurveySpec, draft: Draft) -> None:
    """Remember a draft in the session, with what navigation needs of it."""
    sources = {q.condition.source_question_id for q in survey.questions if q.condition}
    conditions = {
        q.field_name: list(draft.values[q.field_name])
        for q in survey.questions
        if q.id in sources and q.field_name in draft.values
    }
    filled = [
        page.number
        for page in survey.pages
        if any(kept_values(question, draft.values) for question in page.questions)
    ]
    _part(request, _DRAFTS)[str(survey.id)] = {
        "code": draft.code,
        "filled": filled,
        "conditions": conditions,
    }


def forget_survey(request: Request[Any, Any, Any], survey_id: int) -> None:
    """Drop the draft code, consent and start time of a survey from the session."""
    for name in (_DRAFTS, _CONSENT, _STARTED):
        _part(request, name).pop(str(survey_id), None)


def mark_started(request: Request[Any, Any, Any], survey_id: int) -> None:
    """Remember when the respondent began this survey (and give the browser its id)."""
    _part(request, _STARTED)[str(survey_id)] = int(time.time())
    browser_id(request)


def started_at(request: Request[Any, Any, Any], survey_id: int) -> float | None:
    started = _part(request, _STARTED).get(str(survey_id))
    return float(started) if isinstance(started, int) else None


def browser_id(request: Request[Any, Any, Any]) -> str:
    """This browser's random id, made the first time it is asked for."""
    known = request.session.get(_BROWSER)
    if isinstance(known, str) and known:
        return known
    made = request.session[_BROWSER] = secrets.token_urlsafe(16)
    return made


def mark_code_to_show(request: Request[Any, Any, Any], survey_id: int) -> None:
    request.session[_SHOW_CODE] = survey_id


def take_code_to_show(request: Request[Any, Any, Any], survey_id: int) -> str | None:
    """The draft code to show once after "save and continue later"; showing it also
    removes it (and the draft) from this browser."""
    if request.session.get(_SHOW_CODE) != survey_id:
        return None
    request.session.pop(_SHOW_CODE, None)
    code = draft_code(request, survey_id)
    forget_survey(request, survey_id)
    return code


def draft_codes(request: Request[Any, Any, Any]) -> list[str]:
    """Every draft code this session holds (one per survey started)."""
    states = _part(request, _DRAFTS).values()
    return [state["code"] for state in states if isinstance(state, dict) and "code" in state]


def clear_respondent(request: Request[Any, Any, Any]) -> None:
    """Forget every respondent's trace in this session (consent, drafts, a code to
    show, a joined session), keeping only the kiosk, if this browser is one."""
    session = request.session
    for name in [name for name in session if name != KIOSK_KEY]:
        del session[name]

"""What every respondent route shares: finding the survey, the session, the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.response import Template

from consult.services import consultations
from consult.settings import get_settings
from consult.tables import Consultation
from surveys import services
from surveys.drafts import Draft
from surveys.flow import SurveySpec, kept_values

# The respondent's part of the session cookie (encrypted, HttpOnly): which consent
# version they agreed to and which draft code is theirs, per survey. Nothing else
# of theirs is kept in the browser.
_CONSENT = "consent"
_DRAFTS = "drafts"
_SHOW_CODE = "show_code"


def _ttl() -> float:
    return get_settings().definition_cache_seconds


async def public_consultation(slug: str) -> Consultation:
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


async def _provide_survey(consultation: Consultation, survey_id: int) -> SurveySpec:
    return await survey_in(consultation, survey_id)


# A handler names `consultation` (from the slug: open or closed, never a draft)
# or `survey` (of that consultation) and gets it, or the visitor gets a 404.
RESPONDENT_LOOKUPS = {
    "consultation": Provide(public_consultation),
    "survey": Provide(_provide_survey),
}


def respondent_page(
    name: str, consultation: Consultation, status_code: int = 200, **context: Any
) -> Template:
    """A respondent's page; a sensitive consultation's pages carry the quick exit."""
    quick_exit = f"/c/{consultation.slug}/exit" if consultation.is_sensitive else None
    return Template(
        name,
        context={"consultation": consultation, "quick_exit": quick_exit, **context},
        status_code=status_code,
    )


def closed_page(consultation: Consultation, status_code: int = 200) -> Template:
    return respondent_page("surveys/closed.html", consultation, status_code)


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
    """Drop the draft code and consent of a survey from the session."""
    for name in (_DRAFTS, _CONSENT):
        _part(request, name).pop(str(survey_id), None)


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

"""The read-only JSON API under /api/v1 (web layer): GET only, a bearer token on
every request, no cookies read or written, `Cache-Control: no-store`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Router, get
from litestar.exceptions import NotFoundException, ValidationException
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from analysis import api_views
from analysis.api_views import (
    ConsultationFindings,
    ConsultationItem,
    ConsultationList,
    ErrorBody,
    SurveyIndicators,
    SurveyResults,
    SurveyThemes,
)
from consult.controllers.api._auth import EXCEPTION_HANDLERS, token_reach, token_required
from consult.web import ObjectId

API_PREFIX = "/api/v1"
# Ids are PostgreSQL `serial` (32-bit): a larger number in a path is refused with a
# 400 before it reaches a query (where it would overflow).
Id = ObjectId
BEARER = "bearer"
_ERRORS = {
    401: ResponseSpec(
        ErrorBody, generate_examples=False, description="No token, or not a live one"
    ),
}
_NOT_FOUND = {
    **_ERRORS,
    404: ResponseSpec(ErrorBody, generate_examples=False, description="No such object, or a draft"),
}


def _found(body: Any) -> Any:
    if body is None:
        raise NotFoundException("Not found")
    return body


class ConsultationsController(Controller):
    path = "/consultations"
    tags = ["consultations"]

    @get("/", responses=_ERRORS)
    async def list_consultations(self, request: Request[Any, Any, Any]) -> ConsultationList:
        """Consultations that are open, closed or archived, with their surveys."""
        return await api_views.consultation_list(token_reach(request))

    @get("/{consultation_id:int}", responses=_NOT_FOUND)
    async def consultation(self, consultation_id: Id) -> ConsultationItem:
        """One consultation with its surveys and their response counts."""
        return _found(await api_views.consultation_detail(consultation_id))

    @get("/{consultation_id:int}/findings", responses=_NOT_FOUND)
    async def findings(self, consultation_id: Id) -> ConsultationFindings:
        """The planners' findings: strategy area, action, owner, timeline, partners, evidence."""
        return _found(await api_views.consultation_findings(consultation_id))


class SurveysController(Controller):
    path = "/surveys/{survey_id:int}"
    tags = ["surveys"]

    @get(
        "/results",
        responses={
            **_NOT_FOUND,
            400: ResponseSpec(
                ErrorBody, generate_examples=False, description="`by` names no segment"
            ),
        },
    )
    async def results(
        self,
        survey_id: Id,
        by: Annotated[
            str | None,
            QueryParameter(
                max_length=80,
                description="Break every other choice question down by this segment "
                "(one of the `segments` values: q<question id>, language or channel).",
            ),
        ] = None,
    ) -> SurveyResults:
        """Every question's counts and percentages; counts below k are null, and so is
        any count that would reveal one."""
        try:
            return _found(await api_views.survey_results(survey_id, by))
        except api_views.UnknownSegment:
            raise ValidationException("`by` names no segment of this survey") from None

    @get("/themes", responses=_NOT_FOUND)
    async def themes(self, survey_id: Id) -> SurveyThemes:
        """Accepted themes of each long-text question with their counts, and the
        approved quotes of themes that are shown."""
        return _found(await api_views.survey_themes(survey_id))

    @get("/indicators", responses=_NOT_FOUND)
    async def indicators(self, survey_id: Id) -> SurveyIndicators:
        """Each indicator's share with its 95% interval."""
        return _found(await api_views.survey_indicators(survey_id))


api_router = Router(
    path=API_PREFIX,
    route_handlers=[ConsultationsController, SurveysController],
    guards=[token_required],
    exception_handlers=EXCEPTION_HANDLERS,
    security=[{BEARER: []}],
    include_in_schema=True,
    # Cache-Control: no-store comes from the app's after_request, as on every page
    # (a header set here as well would be sent twice); errors set it themselves.
    # GET only, and no cookie is set: a forged cross-site request has nothing to change.
    opt={"exclude_from_csrf": True},
)

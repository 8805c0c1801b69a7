"""Results of a survey for planners, with the latest exports of it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from analysis import crosstabs, export_jobs, services
from analysis.segments import column_label, column_labels, segment_label
from consult.auth import MEMBER, planners
from consult.services import consultations
from consult.services.staff import StaffMember
from consult.tables import Consultation, ConsultationStatus, Role
from surveys import abuse
from surveys import services as surveys
from surveys.flow import SurveySpec


async def _survey_and_consultation(survey_id: int) -> tuple[SurveySpec, Consultation]:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise NotFoundException()
    return spec, consultation


class ResultsController(Controller):
    path = "/staff/surveys/{survey_id:int}"
    guards = [planners]
    dependencies = MEMBER

    @get("/results", name="results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        member: NamedDependency[StaffMember],
        by: FromQuery[str | None] = None,
    ) -> Template:
        """One-way results with bar charts; with ?by=SEGMENT, every choice question
        broken down by it. htmx polls the results body while the consultation runs."""
        spec, consultation = await _survey_and_consultation(survey_id)
        results = await services.survey_results(spec, consultation.k_threshold)
        segment = crosstabs.parse_segment(spec, by)
        tables = (
            await crosstabs.cross_tabs(spec, segment, consultation.k_threshold) if segment else ()
        )
        context = {
            "consultation": consultation,
            "survey": spec,
            "results": results,
            "segments": [(s.value, segment_label(request, s)) for s in crosstabs.segments_of(spec)],
            "segment": segment,
            "cross_tabs": tables,
            "column_labels": column_labels(request, segment) if segment else {},
            "column_label": column_label,
            "live": consultation.status == ConsultationStatus.open.value,
        }
        polled = request.headers.get("HX-Target") == "results-body"
        if not polled:
            # A planner sees their own exports; an admin sees everyone's.
            context["exports"] = await export_jobs.latest_exports(
                spec.id, None if member.role == Role.admin else member.user_id
            )
            # Stored but not counted until a planner decides (surveys.abuse).
            context["held"] = await abuse.held_count(spec.id)
        return Template(
            "staff/_results_body.html" if polled else "staff/results.html", context=context
        )

    @get("/export.xlsx", name="export_moved")
    async def export_moved(self, survey_id: FromPath[int]) -> Redirect:
        """The old address of the workbook (bookmarks, old links): exports are now
        asked for with a POST and written in the background, from the results page."""
        return Redirect(f"/staff/surveys/{survey_id}/results#exports", status_code=303)

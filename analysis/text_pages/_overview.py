"""The text overview: each long-text question's analysed answers, languages,
sentiment, accepted themes with quotes, and theme counts by a chosen segment."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from analysis import crosstabs, text_insights
from analysis.segments import column_label, column_labels, segment_label
from analysis.text_pages._common import survey_and_consultation
from consult.auth import MEMBER, planners
from consult.services.staff import StaffMember


class TextOverviewController(Controller):
    path = "/staff/surveys/{survey_id:int}/text"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="text_overview")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        member: NamedDependency[StaffMember],
        by: FromQuery[str | None] = None,
    ) -> Template:
        """Per long-text question: counts, languages, sentiment and themes; with
        ?by=SEGMENT, each question's themes broken down by it."""
        spec, consultation = await survey_and_consultation(survey_id)
        k = consultation.k_threshold
        summaries = await text_insights.text_summary(spec, k)
        segment = crosstabs.parse_segment(spec, by)
        breakdowns = {}
        if segment is not None:
            for summary in summaries:
                breakdowns[summary.question.id] = await text_insights.theme_breakdown(
                    summary.question, spec.id, segment, k
                )
        return Template(
            "analysis/text.html",
            context={
                "consultation": consultation,
                "survey": spec,
                "member": member,
                "summaries": summaries,
                "segments": [
                    (s.value, segment_label(request, s)) for s in crosstabs.segments_of(spec)
                ],
                "segment": segment,
                "breakdowns": breakdowns,
                "column_labels": column_labels(request, segment) if segment else {},
                "column_label": column_label,
                "current": "overview",
            },
        )

"""Results of a survey for planners, and the strategy-input workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.response import Response, Template

from analysis import crosstabs, services
from analysis.segments import column_label, column_labels, segment_label
from analysis.services import SurveyResults
from consult.auth import current_member, planners
from consult.services import audit, consultations
from consult.services.staff import StaffMember
from consult.tables import Consultation, ConsultationStatus
from consult.web import translator
from exports.workbook import (
    OptionLine,
    QuestionBlock,
    WorkbookData,
    WorkbookLabels,
    build_workbook,
)
from surveys import services as surveys
from surveys.flow import SurveySpec

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _survey_and_consultation(survey_id: int) -> tuple[SurveySpec, Consultation]:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise NotFoundException()
    return spec, consultation


def _labels(request: Request[Any, Any, Any], k: int) -> WorkbookLabels:
    _ = translator(request).gettext
    return WorkbookLabels(
        summary_sheet=_("Summary"),
        responses_sheet=_("Responses"),
        consultation=_("Consultation"),
        survey=_("Survey"),
        city=_("City"),
        exported=_("Exported"),
        responses=_("Responses"),
        k_note=_(
            "To protect small groups, counts below %(k)s are not shown, and neither is any "
            "count that would reveal one."
        )
        % {"k": k},
        question=_("Question"),
        answer=_("Answer"),
        count=_("Count"),
        percent=_("Per cent of those who answered"),
        answered=_("Answered"),
        suppressed=_("not shown"),
    )


def _blocks(results: SurveyResults) -> tuple[QuestionBlock, ...]:
    return tuple(
        QuestionBlock(
            position=result.question.position,
            text=result.question.text,
            type_label=result.question.kind.label,
            answered=result.answered,
            options=tuple(
                OptionLine(label=option.label, count=option.count, percent=option.percent)
                for option in result.options
            ),
        )
        for result in results.questions
    )


class ResultsController(Controller):
    path = "/staff/surveys/{survey_id:int}"
    guards = [planners]
    dependencies = {"member": Provide(current_member, sync_to_thread=False)}

    @get("/results", name="results")
    async def results(
        self, request: Request[Any, Any, Any], survey_id: int, by: str | None = None
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
        return Template(
            "staff/_results_body.html" if polled else "staff/results.html", context=context
        )

    @get("/export.xlsx", name="export")
    async def export(
        self, request: Request[Any, Any, Any], survey_id: int, member: StaffMember
    ) -> Response[bytes]:
        spec, consultation = await _survey_and_consultation(survey_id)
        results = await services.survey_results(spec, consultation.k_threshold)
        _ = translator(request).gettext
        rows = [row async for row in services.response_rows(spec)]
        data = WorkbookData(
            consultation_title=consultation.title,
            city=consultation.city,
            survey_title=spec.title,
            exported_at=datetime.now(UTC),
            response_count=results.responses,
            questions=_blocks(results),
            response_header=(
                _("Response"),
                _("Submitted (hour)"),
                _("Channel"),
                _("Language"),
                *services.response_header(spec),
            ),
            response_rows=rows,
        )
        body = build_workbook(data, _labels(request, consultation.k_threshold))
        await audit.record(member.user_id, "export_xlsx", "survey", spec.id, is_export=True)
        filename = f"{consultation.slug}-survey-{spec.id}.xlsx"
        return Response(
            body,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )

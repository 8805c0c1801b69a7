"""Results of a survey for planners, and the strategy-input workbook."""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar import Controller, Request, get
from litestar.background_tasks import BackgroundTask
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.response import File, Template

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
    WorkbookWriter,
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
    ) -> File:
        """The workbook, written from the database a batch of responses at a time
        (in a thread: openpyxl is CPU work) into a temporary file that is deleted
        once sent, so neither memory nor the event loop holds the whole export."""
        spec, consultation = await _survey_and_consultation(survey_id)
        results = await services.survey_results(spec, consultation.k_threshold)
        _ = translator(request).gettext
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
        )
        handle, name = tempfile.mkstemp(prefix="consult-export-", suffix=".xlsx")
        os.close(handle)
        path = Path(name)
        try:
            writer = WorkbookWriter(data, _labels(request, consultation.k_threshold), path)
            async for batch in services.response_batches(spec):
                await asyncio.to_thread(writer.append, batch)
            await asyncio.to_thread(writer.close)
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        await audit.record(member.user_id, "export_xlsx", "survey", spec.id, is_export=True)
        return File(
            path,
            filename=f"{consultation.slug}-survey-{spec.id}.xlsx",
            media_type=XLSX,
            headers={"Cache-Control": "no-store"},
            background=BackgroundTask(path.unlink, missing_ok=True),
        )

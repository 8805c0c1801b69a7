"""The printable summary report (web layer): one page a planner prints for the
council, with print styles (consult/static/print.css) that drop the navigation."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from analysis import report
from analysis.segments import CHANNEL_LABELS
from analysis.strategy_pages._common import labels
from analysis.strategy_pages._indicators import percent
from consult.auth import planners
from consult.web import ObjectId, translator

# A serial id: a larger number is refused before it reaches (and overflows) a query.
SurveyId = ObjectId


class ReportController(Controller):
    path = "/staff/surveys/{survey_id:int}"
    guards = [planners]
    include_in_schema = False

    @get("/report", name="summary_report")
    async def summary(self, request: Request[Any, Any, Any], survey_id: SurveyId) -> Template:
        data = await report.summary_report(survey_id)
        if data is None:
            raise NotFoundException()
        _ = translator(request).gettext
        return Template(
            "report/summary.html",
            context={
                **labels(request),
                "report": data,
                "survey": data.survey,
                "consultation": data.consultation,
                "channel_labels": {key: _(label) for key, label in CHANNEL_LABELS.items()},
                "percent": percent,
            },
        )

"""The printable summary report (web layer): one page a planner prints for the
council, with print styles (consult/static/print.css) that drop the navigation."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from analysis import report
from analysis.reporting_language import language_in
from analysis.segments import CHANNEL_LABELS
from analysis.strategy_pages._common import labels
from consult.auth import planners
from consult.web import ObjectId, locale_of, translator
from surveys.translations import field_name

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
        texts, reader = data.texts, locale_of(request)
        return Template(
            "report/summary.html",
            context={
                **labels(request),
                "report": data,
                "survey": data.survey,
                "consultation": data.consultation,
                "channel_labels": {key: _(label) for key, label in CHANNEL_LABELS.items()},
                "text_language": language_in(texts.locale, reader),
                "main_language": language_in(texts.main_locale, reader),
                "untranslated": texts.untranslated() if texts.translated else 0,
                "text_lang": texts.question_locale,
                # The language of the cover's consultation and survey texts.
                "cover_lang": {
                    attr: texts.locale_of(field)
                    for attr, field in (
                        ("title", field_name("consultation", None, "title")),
                        ("run_by", field_name("consultation", None, "run_by")),
                        ("survey", field_name("survey", data.survey.id, "title")),
                    )
                },
            },
        )

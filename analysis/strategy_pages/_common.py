"""What the strategy pages share: objects named in the address, checked against the
one above them; the words for priorities, statuses and kinds; and redirects."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Redirect

from analysis import findings, indicators, quotes, text_insights
from analysis.crosstabs import CROSSED_TYPES, segments_of
from analysis.segments import segment_label
from analysis.strategy_words import (
    AREA_LABELS,
    EVIDENCE_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
)
from consult.services import consultations
from consult.tables import Consultation
from consult.text_input import whole_number
from consult.web import translator
from surveys import services as surveys
from surveys.flow import SurveySpec


def labels(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The words of every strategy page, translated."""
    _ = translator(request).gettext
    return {
        "priority_labels": {key: _(value) for key, value in PRIORITY_LABELS.items()},
        "status_labels": {key: _(value) for key, value in STATUS_LABELS.items()},
        "kind_labels": {key: _(value) for key, value in KIND_LABELS.items()},
        "evidence_labels": {key: _(value) for key, value in EVIDENCE_LABELS.items()},
        "area_labels": {key: _(value) for key, value in AREA_LABELS.items()},
        "segment_names": {
            "language": _("Language"),
            "channel": _("How they answered"),
        },
    }


async def consultation_or_404(consultation_id: int) -> Consultation:
    consultation = await consultations.by_id(consultation_id)
    if consultation is None:
        raise NotFoundException()
    return consultation


async def survey_and_consultation(survey_id: int) -> tuple[SurveySpec, Consultation]:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise NotFoundException()
    return spec, consultation


async def finding_or_404(finding_id: int) -> tuple[Consultation, findings.FindingView]:
    found = await findings.finding(finding_id)
    consultation = await consultations.by_id(found[0]) if found else None
    if found is None or consultation is None:
        raise NotFoundException()
    return consultation, found[1]


def back(url: str, **query: object) -> Redirect:
    """303 to `url`, with what was done in the query (the page says it)."""
    pairs = "&".join(f"{key}={value}" for key, value in query.items() if value is not None)
    return Redirect(f"{url}?{pairs}" if pairs else url, status_code=303)


def int_or_none(value: object) -> int | None:
    return whole_number(value)  # plain digits, 0 to the largest id (consult.text_input)


async def evidence_choices(
    request: Request[Any, Any, Any], consultation_id: int
) -> list[dict[str, Any]]:
    """Per survey of the consultation, what a finding can cite: questions with
    results, the segments of a cross-tab, accepted themes, approved quotes and
    indicators (each a list of (value, label))."""
    found = []
    for survey in await surveys.surveys_of(consultation_id):
        spec = await surveys.load_spec(survey.id)
        if spec is None:
            continue
        found.append(
            {
                "survey": spec,
                "questions": [
                    (q.id, f"{q.position}. {q.text}")
                    for q in spec.questions
                    if q.type in findings.RESULT_TYPES
                ],
                "crossed": [
                    (q.id, f"{q.position}. {q.text}")
                    for q in spec.questions
                    if q.type in CROSSED_TYPES
                ],
                "segments": [(s.value, segment_label(request, s)) for s in segments_of(spec)],
                "themes": [(t.id, t.label) for t in await text_insights.accepted_cards(spec.id)],
                "quotes": [(q.id, q.text) for q in await quotes.approved_quotes(spec.id)],
                "indicators": [(d.id, d.label) for d in await indicators.indicator_defs(spec.id)],
            }
        )
    return found

"""The printable summary report of a survey for council meetings: everything the
page shows, gathered from the services the planner's pages use (survey_results,
indicator_results, text_summary, approved_quotes, findings_of), so it hides what
the screen hides. A few queries for the whole report, whatever the responses.

The survey's texts are in the consultation's reporting language (with the main
language where a translation is missing); quotes stay as they were written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from piccolo.query.functions.aggregate import Count

from analysis import findings, indicators, quotes, services, text_insights
from analysis.disclosure import SPECIAL_CATEGORY_K, suppress
from analysis.findings import AreaGroup
from analysis.indicators import IndicatorResult
from analysis.reporting_language import ReportingTexts, reporting_texts
from analysis.services import QuestionResult, SurveyResults
from analysis.text_insights import ThemeLine
from consult.services import consultations
from consult.tables import Consultation
from surveys import services as surveys
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec
from surveys.tables import Response, ResponseStatus

# Themes per long-text question the report lists, the largest first.
TOP_THEMES = 5


@dataclass(frozen=True)
class ChannelLine:
    channel: str  # web, kiosk, assisted, paper
    count: int | None  # None: not shown


@dataclass(frozen=True)
class ReportTheme:
    line: ThemeLine
    quotes: tuple[str, ...]  # approved quotes, only for a theme that is shown


@dataclass(frozen=True)
class ThemeSection:
    question: QuestionSpec
    k: int
    analysed: int | None
    themes: tuple[ReportTheme, ...]


@dataclass(frozen=True)
class SummaryReport:
    survey: SurveySpec  # in the reporting language (texts.survey)
    consultation: Consultation
    texts: ReportingTexts  # the consultation's title, run by ... in that language too
    results: SurveyResults
    channels: tuple[ChannelLine, ...]
    indicators: tuple[IndicatorResult, ...]
    themes: tuple[ThemeSection, ...]
    finding_groups: tuple[AreaGroup, ...]  # only areas with findings
    k: int
    special_k: int
    made_at: datetime

    @property
    def charts(self) -> tuple[QuestionResult, ...]:
        """The questions drawn as charts: those with options (or a matrix's statements)."""
        return tuple(r for r in self.results.questions if r.options or r.statements)


async def _channels(survey_id: int, k: int) -> tuple[ChannelLine, ...]:
    rows = (
        await Response.select(Response.channel, Count(alias="n"))
        .where((Response.survey == survey_id) & (Response.status == ResponseStatus.complete.value))
        .group_by(Response.channel)
    )
    counts = {str(row["channel"]): int(row["n"]) for row in rows}
    # The total is on the cover, so suppress hides a complement with a small one.
    shown = suppress(counts, k)
    return tuple(
        ChannelLine(channel, shown[channel])
        for channel in sorted(counts, key=lambda key: (-counts[key], key))
    )


def _top(lines: tuple[ThemeLine, ...]) -> tuple[ThemeLine, ...]:
    """The largest themes that are shown, then those that are not (in codebook order)."""
    shown = sorted((line for line in lines if line.count), key=lambda line: -(line.count or 0))
    hidden = [line for line in lines if line.count is None]
    return tuple([*shown, *hidden][:TOP_THEMES])


async def _themes(survey: SurveySpec, k: int) -> tuple[ThemeSection, ...]:
    approved = await quotes.approved_quotes(survey.id)
    sections = []
    for summary in await text_insights.text_summary(survey, k):
        themes = []
        for line in _top(summary.themes):
            shown = line.count is not None and line.count >= summary.k
            themes.append(
                ReportTheme(
                    line=line,
                    quotes=tuple(
                        quote.text
                        for quote in approved
                        if shown
                        and quote.question_id == summary.question.id
                        and line.theme_id in quote.theme_ids
                    ),
                )
            )
        sections.append(ThemeSection(summary.question, summary.k, summary.analysed, tuple(themes)))
    return tuple(sections)


async def summary_report(survey_id: int) -> SummaryReport | None:
    """Everything the report of `survey_id` shows; None when there is no such survey."""
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        return None
    texts = await reporting_texts(spec, consultation)
    spec = texts.survey
    k = int(consultation.k_threshold)
    found = await findings.findings_of(consultation.id)
    groups = findings.by_area(found, await findings.strategy_areas(consultation.city))
    return SummaryReport(
        survey=spec,
        consultation=consultation,
        texts=texts,
        results=await services.survey_results(spec, k),
        channels=await _channels(spec.id, k),
        indicators=await indicators.indicator_results(spec, k),
        themes=await _themes(spec, k),
        finding_groups=tuple(group for group in groups if group.findings),
        k=k,
        special_k=max(k, SPECIAL_CATEGORY_K),
        made_at=datetime.now(UTC),
    )

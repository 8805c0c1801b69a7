"""The strategy-input workbook's sheets, filled from the database.

Every figure comes from the services the planner's pages use (survey_results,
cross_tab, indicator_results, text_summary, theme_breakdown), so the workbook says
what the screen says, suppressed the same way; the rest is a few GROUP BY queries
over responses and sessions. Nothing here reads responses one by one.
"""

from __future__ import annotations

from analysis import findings, indicators, services
from analysis.strategy_inputs._cover import cover
from analysis.strategy_inputs._dictionary import dictionary
from analysis.strategy_inputs._plan import finding_sheet, partner_sheet, priorities, statuses
from analysis.strategy_inputs._source import Source
from analysis.strategy_inputs._tables import cross_tab_sheet, indicator_sheet, questions
from analysis.strategy_inputs._themes import theme_sheet
from exports import model


async def strategy_workbook(
    source: Source, header: tuple[str, ...]
) -> tuple[model.StrategyWorkbook, int]:
    """Every sheet but the responses, and the number of complete responses."""
    _ = source.gettext
    results = await services.survey_results(source.survey, source.k)
    indicator_results = await indicators.indicator_results(source.survey, source.k, source.segments)
    found = await findings.findings_of(source.consultation.id)
    data = model.StrategyWorkbook(
        cover=await cover(source, results),
        response_header=header,
        indicators=indicator_sheet(source, indicator_results),
        questions=questions(source, results),
        cross_tabs=await cross_tab_sheet(source, found, indicator_results),
        themes=await theme_sheet(source),
        findings=finding_sheet(source, found, indicator_results),
        priorities=priorities(_),
        statuses=statuses(_),
        partners=await partner_sheet(source, found, results.responses),
        dictionary=dictionary(source, header),
    )
    return data, results.responses

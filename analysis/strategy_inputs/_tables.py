"""Question, indicator and cross-tab sheets: the figures of survey_results,
indicator_results and cross_tab, suppressed as the planner's pages show them."""

from __future__ import annotations

from collections.abc import Sequence

from analysis import crosstabs
from analysis.crosstabs import CROSSED_TYPES, Segment
from analysis.findings import FindingView
from analysis.indicators import IndicatorResult, IndicatorShare
from analysis.segments import column_label, column_names, segment_name
from analysis.services import SurveyResults
from analysis.strategy_inputs._source import Source
from analysis.tables import EvidenceKind
from exports import model


def _share(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def questions(source: Source, results: SurveyResults) -> tuple[model.QuestionSummary, ...]:
    _ = source.gettext
    return tuple(
        model.QuestionSummary(
            position=result.question.position,
            text=result.question.text,
            type_label=_(result.question.kind.label),
            answered=result.answered,
            options=tuple(
                model.OptionCount(o.label, o.count, _share(o.percent)) for o in result.options
            ),
            statements=tuple(
                model.Statement(
                    text=statement.text,
                    options=tuple(
                        model.OptionCount(o.label, o.count, _share(o.percent))
                        for o in statement.options
                    ),
                    answered=statement.answered,
                )
                for statement in result.statements
            ),
        )
        for result in results.questions
    )


def _estimate(share: IndicatorShare) -> model.Estimate:
    return model.Estimate(share.n, share.count, share.share, share.low, share.high)


def indicator_sheet(
    source: Source, results: Sequence[IndicatorResult]
) -> tuple[model.Indicator, ...]:
    _ = source.gettext
    lines = []
    for result in results:
        groups = []
        for breakdown in result.breakdowns:
            names = column_names(_, breakdown.segment)
            segment = segment_name(_, breakdown.segment)
            groups.extend(
                model.GroupEstimate(
                    segment=segment,
                    group=column_label(names, group.column),
                    n=group.share.n,
                    share=group.share.share,
                    low=group.share.low,
                    high=group.share.high,
                )
                for group in breakdown.groups
            )
        lines.append(
            model.Indicator(
                label=result.label,
                question=f"{result.question.position}. {result.question.text}",
                counts_as=result.counted,
                overall=_estimate(result.overall),
                by_group=tuple(groups),
            )
        )
    return tuple(lines)


# Cross-tabs --------------------------------------------------------------------


def _cross_tab_keys(
    source: Source, found: Sequence[FindingView], results: Sequence[IndicatorResult]
) -> list[tuple[int, Segment]]:
    """Every cross-tab a finding cites, then each indicator's question by each of
    the workbook's segments; each once, in that order."""
    wanted: list[tuple[int, Segment]] = []
    for finding in found:
        for evidence in finding.evidence:
            if evidence.kind != EvidenceKind.cross_tab.value or evidence.question_id is None:
                continue
            segment = crosstabs.parse_segment(source.survey, evidence.segment)
            if segment is not None:
                wanted.append((evidence.question_id, segment))
    for result in results:
        wanted.extend((result.question.id, segment) for segment in source.segments)
    seen: set[tuple[int, str]] = set()
    keys = []
    for question_id, segment in wanted:
        question = source.survey.question_by_id.get(question_id)
        if question is None or question.type not in CROSSED_TYPES:
            continue
        if segment.question is not None and segment.question.id == question_id:
            continue
        if (question_id, segment.value) not in seen:
            seen.add((question_id, segment.value))
            keys.append((question_id, segment))
    return keys


async def cross_tab_sheet(
    source: Source, found: Sequence[FindingView], results: Sequence[IndicatorResult]
) -> tuple[model.CrossTab, ...]:
    _ = source.gettext
    tables = []
    for question_id, segment in _cross_tab_keys(source, found, results):
        question = source.survey.question_by_id[question_id]
        table = await crosstabs.cross_tab(question, segment, source.k)
        names = column_names(_, segment)
        tables.append(
            model.CrossTab(
                title=_("%(question)s, by %(segment)s")
                % {
                    "question": f"{question.position}. {question.text}",
                    "segment": segment_name(_, segment),
                },
                columns=tuple(column_label(names, column) for column in table.columns),
                rows=tuple(model.CrossTabRow(row.label, row.cells) for row in table.rows),
            )
        )
    return tuple(tables)

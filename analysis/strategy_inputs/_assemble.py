"""The strategy-input workbook's sheets, filled from the database.

Every figure comes from the services the planner's pages use (survey_results,
cross_tab, indicator_results, text_summary, theme_breakdown), so the workbook says
what the screen says, suppressed the same way; the rest is a few GROUP BY queries
over responses and sessions. Nothing here reads responses one by one.
"""

# The SQL here is built from fixed fragments and {} placeholders only; every value
# is bound.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from analysis import crosstabs, findings, indicators, quotes, services
from analysis.crosstabs import CROSSED_TYPES, SEGMENT_TYPES, Segment, SegmentKind
from analysis.disclosure import suppress
from analysis.findings import FindingView
from analysis.indicators import IndicatorResult, IndicatorShare
from analysis.segments import CHANNEL_LABELS, column_label, column_names, segment_name
from analysis.services import SurveyResults
from analysis.strategy_inputs import _words
from analysis.strategy_inputs._dictionary import dictionary
from analysis.strategy_inputs._words import Gettext
from analysis.tables import EvidenceKind, Theme, ThemeStatus
from consult.i18n import language_name
from consult.services import consultations
from consult.tables import Consultation, FindingPriority, FindingStatus, Organisation
from exports import model
from surveys import services as surveys
from surveys.flow import SurveySpec
from surveys.instruments import question_bank
from surveys.tables import Response


@dataclass(frozen=True)
class Source:
    """What every sheet is built from."""

    survey: SurveySpec
    consultation: Consultation
    gettext: Gettext
    segments: tuple[Segment, ...]

    @property
    def k(self) -> int:
        return int(self.consultation.k_threshold)


async def load(survey_id: int, locale: str, gettext: Gettext) -> Source:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise LookupError(f"no survey {survey_id}")
    return Source(spec, consultation, gettext, await workbook_segments(spec))


async def workbook_segments(survey: SurveySpec) -> tuple[Segment, ...]:
    """What the workbook breaks indicators and themes down by: the survey's
    demographic questions (those from the question bank, by key), then language and
    channel. Every choice question would be a segment on screen; a workbook of
    twenty questions by twenty segments would bury the ones a strategy is about."""
    bank = {question.key for question in question_bank().questions}
    keys = await surveys.question_keys(survey.id)
    return (
        *(
            Segment(SegmentKind.question, question)
            for question in survey.questions
            if question.type in SEGMENT_TYPES and keys.get(question.id) in bank
        ),
        Segment(SegmentKind.language),
        Segment(SegmentKind.channel),
    )


# Cover and method --------------------------------------------------------------


async def _grouped(survey_id: int, column: str) -> dict[str, int]:
    rows = await Response.raw(
        f"SELECT {column} AS key, COUNT(*) AS n FROM response"
        " WHERE survey = {} AND status = 'complete' GROUP BY " + column,
        survey_id,
    )
    return {str(row["key"]): int(row["n"]) for row in rows}


async def _organisations_taking_part(consultation_id: int) -> tuple[str, ...]:
    rows = await Organisation.raw(
        "SELECT DISTINCT o.name AS name FROM organisation o"
        " JOIN hosted_session s ON s.organisation = o.id WHERE s.consultation = {}"
        " ORDER BY o.name",
        consultation_id,
    )
    return tuple(row["name"] for row in rows)


async def cover(source: Source, results: SurveyResults) -> model.Cover:
    _, consultation = source.gettext, source.consultation
    channels = await _grouped(source.survey.id, "channel")
    languages = await _grouped(source.survey.id, "locale")
    shown_channels = suppress(channels, source.k)
    shown_languages = suppress(languages, source.k)
    return model.Cover(
        consultation_title=consultation.title,
        city=consultation.city,
        run_by=consultation.run_by,
        purpose=consultation.purpose,
        survey_title=source.survey.title,
        opens=consultation.opens_on,
        closes=consultation.closes_on,
        exported_at=datetime.now(UTC),
        response_count=results.responses,
        channels=tuple(
            model.LabelledCount(_(CHANNEL_LABELS.get(key, key)), shown_channels[key])
            for key in sorted(channels, key=lambda key: (-channels[key], key))
        ),
        languages=tuple(
            model.LabelledCount(language_name(key), shown_languages[key])
            for key in sorted(languages, key=lambda key: (-languages[key], key))
        ),
        organisations=await _organisations_taking_part(consultation.id),
        caveats=_words.caveats(_),
        suppression_rule=_words.suppression_rule(_, source.k),
        k=source.k,
    )


# Questions and indicators --------------------------------------------------------


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


# Themes ------------------------------------------------------------------------


async def theme_sheet(source: Source) -> tuple[model.Theme, ...]:
    """Each accepted theme of each long-text question: its count, counts by the
    workbook's segments and mean sentiment as the text pages show them (small groups
    hidden), and the approved quotes of answers coded with it, only when the theme
    is shown at all (a theme below k quotes nobody)."""
    _ = source.gettext
    if not await Theme.exists().where(
        (Theme.survey == source.survey.id) & (Theme.status == ThemeStatus.accepted.value)
    ):
        return ()
    # Imported only for a survey with a codebook: the text pages' module brings the
    # text analysis libraries (about 100 MB), which an export without themes does
    # not need. (In an app process that runs the text job they are loaded anyway.)
    from analysis import text_insights

    summaries = await text_insights.text_summary(source.survey, source.k)
    if not summaries:
        return ()
    descriptions = {
        card.id: card.description for card in await text_insights.accepted_cards(source.survey.id)
    }
    approved = await quotes.approved_quotes(source.survey.id)
    several = len(summaries) > 1
    themes = []
    for summary in summaries:
        question = summary.question
        by_theme: dict[int, list[model.GroupCount]] = {}
        for segment in source.segments:
            breakdown = await text_insights.theme_breakdown(
                question, source.survey.id, segment, source.k
            )
            names, segment_label = column_names(_, segment), segment_name(_, segment)
            for row in breakdown.rows:
                by_theme.setdefault(row.theme_id, []).extend(
                    model.GroupCount(segment_label, column_label(names, column), cell)
                    for column, cell in zip(breakdown.columns, row.cells, strict=True)
                )
        for line in summary.themes:
            shown = line.count is not None and line.count >= summary.k
            themes.append(
                model.Theme(
                    label=f"{question.position}. {line.label}" if several else line.label,
                    description=descriptions.get(line.theme_id, ""),
                    count=line.count,
                    by_group=tuple(by_theme.get(line.theme_id, ())),
                    sentiment=line.sentiment.polarity if line.sentiment and shown else None,
                    quotes=tuple(
                        quote.text
                        for quote in approved
                        if shown
                        and quote.question_id == question.id
                        and line.theme_id in quote.theme_ids
                    ),
                )
            )
    return tuple(themes)


# Findings and partners -----------------------------------------------------------


def _evidence_line(
    source: Source, evidence: findings.EvidenceView, shares: dict[int, IndicatorShare]
) -> str:
    _ = source.gettext
    kind = _(_words.EVIDENCE_LABELS.get(evidence.kind, evidence.kind))
    if evidence.kind == EvidenceKind.indicator.value:
        what = evidence.indicator_label or ""
        share = shares.get(evidence.indicator_id or 0)
        if share is not None and share.share is not None:
            what += f": {share.share:.0%} (n={share.n})"
    elif evidence.kind == EvidenceKind.theme.value:
        what = evidence.theme_label or ""
    elif evidence.kind == EvidenceKind.quote.value:
        what = f"“{evidence.quote_text or ''}”"
    else:
        question = source.survey.question_by_id.get(evidence.question_id or 0)
        what = f"{question.position}. {question.text}" if question else evidence.question_text
        what = what or ""
        if evidence.kind == EvidenceKind.cross_tab.value:
            segment = crosstabs.parse_segment(source.survey, evidence.segment)
            if segment is not None:
                what = _("%(question)s, by %(segment)s") % {
                    "question": what,
                    "segment": segment_name(_, segment),
                }
    return f"{kind}: {what}"


def finding_sheet(
    source: Source, found: Sequence[FindingView], results: Sequence[IndicatorResult]
) -> tuple[model.Finding, ...]:
    _ = source.gettext
    shares = {result.indicator_id: result.overall for result in results}
    return tuple(
        model.Finding(
            title=finding.title,
            statement=finding.statement,
            strategy_area=_(_words.AREA_LABELS[finding.strategy_area])
            if finding.strategy_area in _words.AREA_LABELS
            else finding.strategy_area,
            priority=_(_words.PRIORITY_LABELS.get(finding.priority, finding.priority)),
            status=_(_words.STATUS_LABELS.get(finding.status, finding.status)),
            proposed_action=finding.proposed_action,
            owner=finding.owner,
            partners=tuple(partner.name for partner in finding.partners),
            timeline=finding.timeline,
            evidence=tuple(_evidence_line(source, e, shares) for e in finding.evidence),
        )
        for finding in found
    )


def priorities(_: Gettext) -> tuple[str, ...]:
    return tuple(_(_words.PRIORITY_LABELS[p.value]) for p in FindingPriority)


def statuses(_: Gettext) -> tuple[str, ...]:
    return tuple(_(_words.STATUS_LABELS[s.value]) for s in FindingStatus)


async def partner_sheet(
    source: Source, found: Sequence[FindingView], total: int
) -> tuple[model.Partner, ...]:
    """Each organisation with a session for this consultation or partnering on one
    of its findings: sessions, complete responses to this survey through them (small
    counts hidden, with the public link's count as the hidden complement, since the
    total is on the cover), the groups its sessions set out to reach, its findings."""
    _ = source.gettext
    consultation_id, survey_id = source.consultation.id, source.survey.id
    sessions = {
        row["id"]: row
        for row in await Organisation.raw(
            "SELECT o.id AS id, o.name AS name, o.kind AS kind, COUNT(s.id) AS sessions"
            " FROM organisation o JOIN hosted_session s ON s.organisation = o.id"
            " WHERE s.consultation = {} GROUP BY o.id, o.name, o.kind",
            consultation_id,
        )
    }
    brought = {
        row["organisation"]: int(row["n"])
        for row in await Response.raw(
            "SELECT s.organisation AS organisation, COUNT(r.id) AS n FROM response r"
            " JOIN hosted_session s ON s.id = r.hosted_session"
            " WHERE r.survey = {} AND r.status = 'complete' GROUP BY s.organisation",
            survey_id,
        )
    }
    groups: dict[int, list[str]] = {}
    for row in await Organisation.raw(
        "SELECT DISTINCT s.organisation AS organisation, g.name AS name FROM session_group g"
        " JOIN hosted_session s ON s.id = g.session WHERE s.consultation = {}"
        " ORDER BY g.name",
        consultation_id,
    ):
        groups.setdefault(row["organisation"], []).append(row["name"])
    partnering: dict[int, list[str]] = {}
    names: dict[int, tuple[str, str]] = {}
    for finding in found:
        for partner in finding.partners:
            partnering.setdefault(partner.id, []).append(finding.title)
            names[partner.id] = (partner.name, partner.kind)
    for organisation_id, row in sessions.items():
        names[organisation_id] = (row["name"], row["kind"])
    public_link = total - sum(brought.values())
    shown = suppress({**{str(o): brought.get(o, 0) for o in names}, "": public_link}, source.k)
    order = sorted(names, key=lambda o: (names[o][0].casefold(), o))
    return tuple(
        model.Partner(
            name=names[o][0],
            kind=_(_words.KIND_LABELS.get(names[o][1], names[o][1])),
            sessions=int(sessions[o]["sessions"]) if o in sessions else 0,
            responses=shown[str(o)],
            groups_reached=tuple(groups.get(o, ())),
            findings=tuple(partnering.get(o, ())),
        )
        for o in order
    )


# The whole workbook ----------------------------------------------------------------


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
        dictionary=dictionary(source.survey, header, _),
    )
    return data, results.responses

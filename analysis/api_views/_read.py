"""What the JSON API reads: the same services as the planner's pages
(survey_results, cross_tabs, text_summary, indicator_results, findings_of), so the
API shows, and hides, exactly what the screen does. Drafts are not there: every
function answers None for a draft consultation or a survey of one.

A survey's question texts and option labels are in the consultation's reporting
language, as in every export (analysis.reporting_language); `text_locale` says which,
and `untranslated` names the texts still in the main language."""

from __future__ import annotations

from analysis import crosstabs, findings, indicators, quotes, services, text_insights
from analysis.api_views import _model as m
from analysis.indicators import IndicatorShare
from analysis.reporting_language import ReportingTexts, reporting_texts
from analysis.segments import column_label, column_names, segment_name
from consult import i18n
from consult.services import consultations
from consult.services.reach import Reach
from consult.tables import Consultation, ConsultationStatus
from surveys import services as surveys
from surveys import tally
from surveys.flow import SurveySpec

# The API speaks the source language (English); clients translate if they wish.
_ = i18n.translations(i18n.SOURCE_LOCALE).gettext
PUBLISHED = (
    ConsultationStatus.open.value,
    ConsultationStatus.closed.value,
    ConsultationStatus.archived.value,
)


def _published(consultation: Consultation | None) -> Consultation | None:
    return consultation if consultation and consultation.status in PUBLISHED else None


async def _item(consultation: Consultation) -> m.ConsultationItem:
    listed = []
    for survey in await surveys.surveys_of(consultation.id):
        counts = await tally.read(survey.id)
        listed.append(
            m.SurveyItem(
                id=survey.id,
                title=survey.title,
                version=survey.version,
                retired=survey.retired,
                responses=counts.responses,
            )
        )
    return m.ConsultationItem(
        id=consultation.id,
        slug=consultation.slug,
        title=consultation.title,
        city=consultation.city,
        status=consultation.status,
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        k=consultation.k_threshold,
        surveys=listed,
    )


async def consultation_list(reach: Reach) -> m.ConsultationList:
    """Every consultation of the cities `reach` covers that is not a draft, newest first."""
    listed = [c for c in await consultations.list_within(reach) if c.status in PUBLISHED]
    return m.ConsultationList(consultations=[await _item(c) for c in listed])


async def consultation_detail(consultation_id: int) -> m.ConsultationItem | None:
    consultation = _published(await consultations.by_id(consultation_id))
    return await _item(consultation) if consultation else None


async def _survey(survey_id: int) -> tuple[SurveySpec, Consultation, ReportingTexts] | None:
    """The survey in its reporting language, its consultation, and which language that is."""
    spec = await surveys.load_spec(survey_id)
    consultation = _published(await consultations.by_id(spec.consultation_id)) if spec else None
    if spec is None or consultation is None:
        return None
    texts = await reporting_texts(spec, consultation)
    return texts.survey, consultation, texts


def _untranslated(texts: ReportingTexts) -> list[str]:
    return sorted(texts.fallbacks) if texts.translated else []


class UnknownSegment(ValueError):
    """?by= names no segment of the survey."""


def _options(options: tuple[services.OptionResult, ...]) -> list[m.OptionCount]:
    return [
        m.OptionCount(id=o.option_id, label=o.label, count=o.count, percent=o.percent)
        for o in options
    ]


def _cross_tab(table: crosstabs.CrossTab, names: dict[str, str]) -> m.CrossTab:
    return m.CrossTab(
        question_id=table.question.id,
        position=table.question.position,
        text=table.question.text,
        k=table.k,
        columns=[m.CrossTabColumn(key=c, label=column_label(names, c)) for c in table.columns],
        rows=[
            m.CrossTabRow(option_id=option.id, label=row.label, cells=list(row.cells))
            for option, row in zip(table.question.options, table.rows, strict=True)
        ],
    )


async def survey_results(survey_id: int, by: str | None = None) -> m.SurveyResults | None:
    """Every question's counts and percentages as the results page shows them; with
    `by`, every other choice question broken down by that segment too. Raises
    UnknownSegment for a `by` the survey does not have."""
    found = await _survey(survey_id)
    if found is None:
        return None
    spec, consultation, texts = found
    k = consultation.k_threshold
    segment = crosstabs.parse_segment(spec, by) if by else None
    if by and segment is None:
        raise UnknownSegment(by)
    results = await services.survey_results(spec, k)
    questions = [
        m.QuestionResults(
            id=r.question.id,
            position=r.question.position,
            type=r.question.type,
            text=r.question.text,
            special_category=r.question.special_category,
            k=r.k,
            answered=r.answered,
            options=_options(r.options),
            statements=[
                m.StatementCounts(
                    id=statement.id,
                    text=shown.text,
                    answered=shown.answered,
                    options=_options(shown.options),
                )
                for statement, shown in zip(r.question.statements, r.statements, strict=True)
            ],
        )
        for r in results.questions
    ]
    tables: list[m.CrossTab] = []
    if segment is not None:
        names = column_names(_, segment)
        tables = [_cross_tab(t, names) for t in await crosstabs.cross_tabs(spec, segment, k)]
    return m.SurveyResults(
        survey_id=spec.id,
        consultation_id=consultation.id,
        title=spec.title,
        responses=results.responses,
        k=k,
        segments=[
            m.SegmentItem(value=s.value, label=segment_name(_, s))
            for s in crosstabs.segments_of(spec)
        ],
        questions=questions,
        by=segment.value if segment else None,
        cross_tabs=tables,
        text_locale=texts.locale,
        untranslated=_untranslated(texts),
    )


async def survey_themes(survey_id: int) -> m.SurveyThemes | None:
    """Each long-text question's accepted themes with their counts as the text pages
    show them, and the approved quotes of a theme that is shown (a theme below k
    quotes nobody). No other free text."""
    found = await _survey(survey_id)
    if found is None:
        return None
    spec, consultation, texts = found
    approved = await quotes.approved_quotes(spec.id)
    questions = []
    for summary in await text_insights.text_summary(spec, consultation.k_threshold):
        shown = {
            line.theme_id
            for line in summary.themes
            if line.count is not None and line.count >= summary.k
        }
        themes = [
            m.ThemeCount(
                id=line.theme_id,
                label=line.label,
                count=line.count,
                sentiment=(
                    line.sentiment.polarity if line.sentiment and line.theme_id in shown else None
                ),
                quotes=[
                    m.ApprovedQuote(
                        id=quote.id,
                        question_id=quote.question_id,
                        text=quote.text,
                        theme_ids=[t for t in quote.theme_ids if t in shown],
                    )
                    for quote in approved
                    if line.theme_id in shown
                    and quote.question_id == summary.question.id
                    and line.theme_id in quote.theme_ids
                ],
            )
            for line in summary.themes
        ]
        questions.append(
            m.TextQuestionThemes(
                question_id=summary.question.id,
                position=summary.question.position,
                text=summary.question.text,
                k=summary.k,
                analysed=summary.analysed,
                themes=themes,
            )
        )
    return m.SurveyThemes(
        survey_id=spec.id,
        questions=questions,
        text_locale=texts.locale,
        untranslated=_untranslated(texts),
    )


def share(value: IndicatorShare) -> m.Share:
    return m.Share(n=value.n, count=value.count, share=value.share, low=value.low, high=value.high)


async def survey_indicators(survey_id: int) -> m.SurveyIndicators | None:
    """Each indicator's share overall with its 95% interval, as the indicators page
    shows it."""
    found = await _survey(survey_id)
    if found is None:
        return None
    spec, consultation, texts = found
    results = await indicators.indicator_results(spec, consultation.k_threshold)
    return m.SurveyIndicators(
        survey_id=spec.id,
        indicators=[
            m.Indicator(
                id=r.indicator_id,
                label=r.label,
                question_id=r.question.id,
                counted=list(r.counted),
                overall=share(r.overall),
            )
            for r in results
        ],
        text_locale=texts.locale,
        untranslated=_untranslated(texts),
    )


async def consultation_findings(consultation_id: int) -> m.ConsultationFindings | None:
    """The consultation's findings with their actions, partners and evidence."""
    consultation = _published(await consultations.by_id(consultation_id))
    if consultation is None:
        return None
    return m.ConsultationFindings(
        consultation_id=consultation.id,
        findings=[
            m.FindingItem(
                id=f.id,
                title=f.title,
                statement=f.statement,
                strategy_area=f.strategy_area,
                priority=f.priority,
                status=f.status,
                proposed_action=f.proposed_action,
                owner=f.owner,
                timeline=f.timeline,
                partners=[m.Partner(id=p.id, name=p.name, kind=p.kind) for p in f.partners],
                evidence=[
                    m.Evidence(
                        kind=e.kind,
                        question_id=e.question_id,
                        segment=e.segment,
                        theme_id=e.theme_id,
                        quote_id=e.quote_id,
                        quote=e.quote_text,
                        indicator_id=e.indicator_id,
                    )
                    for e in f.evidence
                ],
            )
            for f in await findings.findings_of(consultation.id)
        ],
    )

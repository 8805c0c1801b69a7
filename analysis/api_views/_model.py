"""The JSON API's response bodies: msgspec Structs, so the OpenAPI schema documents
every field. A count, percentage or share that is null was suppressed to protect a
small group (or, for a share, because nobody answered)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec


class _Body(msgspec.Struct, frozen=True, kw_only=True):
    pass


# Every body that gives a survey's texts says which language they are in: the
# consultation's reporting language (its main one unless a planner chose another).
TextLocale = Annotated[
    str,
    msgspec.Meta(
        description="The language of the question texts and option labels, e.g. 'is'.",
    ),
]
Untranslated = Annotated[
    list[str],
    msgspec.Meta(
        description="The texts shown in the main language for want of a translation, "
        "by field, e.g. 'option.56.label'.",
    ),
]


class SurveyItem(_Body):
    id: int
    title: str
    version: int
    retired: bool  # replaced by a newer version: no longer offered, its answers kept
    responses: int  # complete responses


class ConsultationItem(_Body):
    id: int
    slug: str
    title: str
    city: str
    status: str  # open, closed or archived (drafts are never listed)
    opens_on: date | None
    closes_on: date | None
    k: int  # counts below k are not shown (higher for special-category questions)
    surveys: list[SurveyItem]


class ConsultationList(_Body):
    consultations: list[ConsultationItem]


class OptionCount(_Body):
    id: int
    label: str
    count: int | None
    percent: float | None  # of those who answered the question (or rated the statement)


class StatementCounts(_Body):
    id: int
    text: str
    answered: int | None
    options: list[OptionCount]


class QuestionResults(_Body):
    id: int
    position: int
    type: str
    text: str
    special_category: bool
    k: int  # the threshold that applies to this question
    answered: int | None
    options: list[OptionCount]  # empty for a matrix: see statements
    statements: list[StatementCounts]


class SegmentItem(_Body):
    value: str  # for ?by=
    label: str


class CrossTabColumn(_Body):
    key: str  # an option id, a language code or a channel; "" for no answer
    label: str


class CrossTabRow(_Body):
    option_id: int
    label: str
    cells: list[int | None]  # one per column


class CrossTab(_Body):
    question_id: int
    position: int
    text: str
    k: int
    columns: list[CrossTabColumn]
    rows: list[CrossTabRow]


class SurveyResults(_Body):
    survey_id: int
    consultation_id: int
    title: str
    responses: int
    k: int  # the consultation's threshold
    segments: list[SegmentItem]  # what ?by= accepts
    questions: list[QuestionResults]
    by: str | None = None  # the segment of the cross-tabs, when asked for
    cross_tabs: list[CrossTab] = msgspec.field(default_factory=list)
    text_locale: TextLocale = ""
    untranslated: Untranslated = msgspec.field(default_factory=list)


class ApprovedQuote(_Body):
    """A quote a planner approved for reports: redacted, never the original."""

    id: int
    question_id: int
    text: str
    theme_ids: list[int]


class ThemeCount(_Body):
    id: int
    label: str
    count: int | None
    sentiment: float | None  # mean English polarity, -1 to +1, when enough answers
    quotes: list[ApprovedQuote]  # only for a theme that is shown


class TextQuestionThemes(_Body):
    question_id: int
    position: int
    text: str
    k: int
    analysed: int | None
    themes: list[ThemeCount]


class SurveyThemes(_Body):
    survey_id: int
    questions: list[TextQuestionThemes]
    text_locale: TextLocale = ""
    untranslated: Untranslated = msgspec.field(default_factory=list)


class Share(_Body):
    n: int | None  # answered
    count: int | None  # chose a counted answer
    share: float | None  # 0 to 1
    low: float | None  # 95% Wilson interval
    high: float | None


class Indicator(_Body):
    id: int
    label: str
    question_id: int
    counted: list[str]  # the answers that count, as labelled
    overall: Share


class SurveyIndicators(_Body):
    survey_id: int
    indicators: list[Indicator]
    text_locale: TextLocale = ""
    untranslated: Untranslated = msgspec.field(default_factory=list)


class Partner(_Body):
    id: int
    name: str
    kind: str


class Evidence(_Body):
    kind: str  # question, cross_tab, theme, quote or indicator
    question_id: int | None
    segment: str
    theme_id: int | None
    quote_id: int | None
    quote: str | None  # an approved quote's text
    indicator_id: int | None


class FindingItem(_Body):
    id: int
    title: str
    statement: str
    strategy_area: str
    priority: str
    status: str
    proposed_action: str
    owner: str
    timeline: str
    partners: list[Partner]
    evidence: list[Evidence]


class ConsultationFindings(_Body):
    consultation_id: int
    findings: list[FindingItem]


class ErrorBody(_Body):
    detail: str

"""What the strategy-input workbook is built from: plain frozen dataclasses.

The caller (an assembly service) fills these from the database; nothing here knows
about Litestar, Piccolo or gettext. Conventions that hold for every field:

- Every string is final text for a person to read, already translated, already
  redacted (free text) and already approved (quotes). The writer only makes it safe.
- `None` in a count, share or interval means *suppressed* (a group below k, or a
  count that would reveal one); the writer shows `Labels.not_shown` there, exactly as
  the screen does. A value that simply does not exist is an empty tuple or "".
- A share is a fraction from 0 to 1 (0.25 is a quarter), written as a number with a
  per-cent format, so that it stays a number a planner can compute with.
- Tuples, not lists, so that the model is immutable and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class LabelledCount:
    """One line of a breakdown: a channel, a language, an option."""

    label: str
    count: int | None  # None: suppressed


@dataclass(frozen=True)
class Cover:
    """The cover and method sheet: what was asked, of whom, and how to read it."""

    consultation_title: str
    city: str
    run_by: str  # the city department or team that ran the consultation
    purpose: str  # why the city asked (a paragraph)
    survey_title: str
    opens: date | None
    closes: date | None
    exported_at: datetime  # aware (UTC) or naive UTC; written as "YYYY-MM-DD HH:MM UTC"
    response_count: int  # complete responses in this export (never suppressed)
    channels: tuple[LabelledCount, ...]  # web, kiosk, assisted, paper ... (label, count)
    languages: tuple[LabelledCount, ...]  # answered in (language name, count)
    organisations: tuple[str, ...]  # names of the organisations taking part
    caveats: tuple[str, ...]  # paragraphs, e.g. "answers are self-selected, not a sample"
    suppression_rule: str  # the rule in words, as on screen ("counts below 5 are not shown")
    k: int  # the smallest group shown
    # The language the survey's texts are given in ("Icelandic"), and a sentence on
    # those shown in the main language for want of a translation ("": none).
    text_language: str = ""
    untranslated: str = ""


@dataclass(frozen=True)
class Estimate:
    """A share with its Wilson 95% interval. Any field may be None (suppressed)."""

    n: int | None  # answered the question
    x: int | None  # of those, how many gave an answer that counts
    share: float | None  # x / n, 0..1
    low: float | None  # Wilson 95% lower bound, 0..1
    high: float | None  # Wilson 95% upper bound, 0..1


@dataclass(frozen=True)
class GroupEstimate:
    """The indicator within one group of one segment (e.g. age group / 16-24)."""

    segment: str  # what the population is split by, e.g. "Age group"
    group: str  # the group, e.g. "16-24"
    n: int | None
    share: float | None  # 0..1
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Indicator:
    """A headline measure: the share of those answering a question who chose any of
    `counts_as`, overall and by group."""

    label: str  # e.g. "Feel unsafe in the city centre at night"
    question: str  # the question text it is computed from
    counts_as: tuple[str, ...]  # option labels that count towards x
    overall: Estimate
    by_group: tuple[GroupEstimate, ...] = ()


@dataclass(frozen=True)
class OptionCount:
    """One option of a question (or of a matrix statement)."""

    label: str
    count: int | None  # None: suppressed
    share: float | None  # of those who answered, 0..1; None: suppressed


@dataclass(frozen=True)
class Statement:
    """One row (statement) of a matrix question, with its own option counts."""

    text: str
    options: tuple[OptionCount, ...]
    answered: int | None = None  # None: suppressed or not known


@dataclass(frozen=True)
class QuestionSummary:
    """One question; it gets a sheet of its own with its counts and a bar chart
    (a chart only when there are options or statements to count)."""

    position: int  # as numbered in the survey, 1-based
    text: str
    type_label: str  # e.g. "Single choice", already translated
    answered: int | None  # None: suppressed
    options: tuple[OptionCount, ...] = ()
    statements: tuple[Statement, ...] = ()  # matrix questions only


@dataclass(frozen=True)
class CrossTabRow:
    """One option of a cross-tab, with a count per column (None: suppressed)."""

    label: str
    counts: tuple[int | None, ...]  # one per CrossTab.columns, same order


@dataclass(frozen=True)
class CrossTab:
    """A question broken down by a segment: rows are options, columns are groups."""

    title: str  # e.g. "How safe do you feel? by Age group"
    columns: tuple[str, ...]  # group labels (include a total column if wanted)
    rows: tuple[CrossTabRow, ...]


@dataclass(frozen=True)
class GroupCount:
    """A count within one group of one segment."""

    segment: str
    group: str
    count: int | None  # None: suppressed


@dataclass(frozen=True)
class Theme:
    """A theme of the codebook over the free-text answers."""

    label: str
    description: str
    count: int | None  # answers coded with it; None: suppressed (hides sentiment too)
    by_group: tuple[GroupCount, ...] = ()
    sentiment: float | None = None  # mean polarity -1..1; None: not computed (empty)
    quotes: tuple[str, ...] = ()  # already redacted and approved for publication
    # The language each quote was written in, as the text analysis detected it
    # ("Polish"; "" where it could not tell): the quotes themselves are never translated.
    quote_languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One row of the findings and action plan."""

    title: str
    statement: str
    strategy_area: str
    priority: str  # one of StrategyWorkbook.priorities
    status: str  # one of StrategyWorkbook.statuses
    proposed_action: str
    owner: str  # who in the city owns the action
    partners: tuple[str, ...]  # partner organisation names
    timeline: str  # e.g. "2025 Q3", free text
    evidence: tuple[str, ...]  # short lines: "Q4: 38% feel unsafe (n=412)", a theme ...


@dataclass(frozen=True)
class Partner:
    """An organisation taking part: what it brought in and what it partners on."""

    name: str
    kind: str  # e.g. "Youth organisation", already translated
    sessions: int  # sessions hosted
    responses: int | None  # responses through its sessions; None: suppressed
    groups_reached: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()  # titles of findings it partners on


@dataclass(frozen=True)
class DictionaryEntry:
    """One column of the responses sheet (and of the CSV), explained."""

    column: str  # the column heading exactly as in the responses sheet
    question: str  # the question text ("" for Response, Channel ...)
    type_label: str
    coding: str  # possible values and how they are coded
    # The language `question` and the coding's labels are in ("Icelandic"), naming
    # any text still in the main language ("" for Response, Channel ...).
    text_language: str = ""


@dataclass(frozen=True)
class StrategyWorkbook:
    """Everything in the strategy-input workbook except the response rows, which
    are streamed in afterwards (StrategyWorkbookWriter.append)."""

    cover: Cover
    response_header: tuple[str, ...]  # one heading per column of the response rows
    indicators: tuple[Indicator, ...] = ()
    questions: tuple[QuestionSummary, ...] = ()
    cross_tabs: tuple[CrossTab, ...] = ()
    themes: tuple[Theme, ...] = ()
    findings: tuple[Finding, ...] = ()
    priorities: tuple[str, ...] = ()  # allowed priority words (a drop-down in Excel)
    statuses: tuple[str, ...] = ()  # allowed status words (a drop-down in Excel)
    partners: tuple[Partner, ...] = ()
    dictionary: tuple[DictionaryEntry, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Every word the workbook itself writes, already translated by the caller."""

    # sheet names (made unique, at most 31 characters and without []:*?/\ by the writer)
    cover_sheet: str  # "About this export"
    indicators_sheet: str  # "Indicators"
    question_sheet: str  # prefix of each question's sheet: "Q" gives "Q3 How safe ..."
    cross_tabs_sheet: str  # "Cross-tabs"
    themes_sheet: str  # "Themes"
    findings_sheet: str  # "Findings and action plan"
    partners_sheet: str  # "Partners"
    dictionary_sheet: str  # "Data dictionary"
    responses_sheet: str  # "Responses"
    # words used on several sheets
    not_shown: str  # the word in place of a suppressed value, as on screen
    count: str  # "Count"
    share: str  # "Share of those who answered"
    answered: str  # "Answered"
    question: str  # "Question"
    option: str  # "Answer"
    segment: str  # "Breakdown"
    group: str  # "Group"
    # cover and method
    consultation: str
    city: str
    run_by: str
    purpose: str
    survey: str
    opens: str
    closes: str
    exported: str
    responses: str  # "Responses"
    channels: str  # "Channel"
    languages: str  # "Language"
    organisations: str  # "Organisations taking part"
    caveats: str  # "How to read these figures"
    suppression: str  # "Small groups"
    k: str  # "Smallest group shown"
    # indicators
    indicator: str
    counts_as: str  # "What counts"
    overall: str  # "Everyone"
    low: str  # "95% interval, low"
    high: str  # "95% interval, high"
    # questions
    type: str  # "Type"
    statement: str  # "Statement"
    # themes
    theme: str
    description: str
    sentiment: str  # "Mean sentiment (-1 to 1)"
    quotes: str
    # findings and action plan
    title: str
    finding: str  # the statement column
    strategy_area: str
    priority: str
    status: str
    proposed_action: str
    owner: str
    partners: str
    timeline: str
    evidence: str
    # partner organisations
    organisation: str
    kind: str
    sessions: str
    groups_reached: str
    findings: str
    # data dictionary
    column: str
    coding: str
    # how lists inside one cell are joined, e.g. "; " or "\n"
    separator: str = field(default="; ")
    # Added with content translations; the defaults keep builders that predate them
    # working (in English), the assembly service always passes them translated.
    text_language: str = "Text language"  # the data dictionary's and the cover's
    quote_languages: str = "Languages of the quotes"  # the themes sheet's

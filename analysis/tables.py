"""What analysis keeps: each text answer's features, safeguarding flags, and the
codebook (themes) with the codes given to answers."""

from __future__ import annotations

import enum

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from consult.tables import Finding
from surveys.tables import Answer, Option, Question, Survey


class TextAnswer(Table):
    """One free-text answer as planners may see it, with its features computed once
    (analysis.text) by the background job, never on the respondent's request.

    `redacted` is the answer with personal data replaced (analysis.redact): what
    every page shows. The original stays in `answer.text`, for admins alone, and
    each view of it is audited. Lists are JSON: they are read whole with the row
    and never counted by SQL (codes are rows, in Coding)."""

    answer = ForeignKey(references=Answer, null=False, unique=True, on_delete=OnDelete.cascade)
    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade, index=True)
    redacted = Text()
    language = Varchar(length=8, null=True, default=None, index=True)
    tokens = JSON(default="[]")
    lemmas = JSON(default="[]")
    keywords = JSON(default="[]")
    noun_phrases = JSON(default="[]")
    polarity = Real(null=True, default=None)
    subjectivity = Real(null=True, default=None)


class Concern(enum.StrEnum):
    threat = "threat"
    violence = "violence"
    self_harm = "self_harm"


class SafeguardingFlag(Table):
    """An answer that may describe a threat, violence or self-harm, for a person to
    review and follow up. Nothing is deleted: testimony of hate is evidence."""

    text_answer = ForeignKey(
        references=TextAnswer, null=False, on_delete=OnDelete.cascade, index=True
    )
    concern = Varchar(length=16, choices=Concern)
    reviewed = Boolean(default=False)
    reviewed_by = Integer(null=True, default=None)  # a staff user id
    reviewed_at = Timestamptz(null=True, default=None)
    note = Text(default="")


class ThemeStatus(enum.StrEnum):
    suggested = "suggested"  # found by analysis.themes, not yet looked at
    accepted = "accepted"  # in the codebook
    discarded = "discarded"


class Theme(Table):
    """One theme of a survey's codebook, or a suggestion for it."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=64)  # the id in a codebook file (analysis.codebook)
    label = Varchar(length=120)
    description = Text(default="")
    keywords = JSON(default="[]")
    examples = JSON(default="[]")
    status = Varchar(length=16, choices=ThemeStatus, default=ThemeStatus.suggested)
    size = Integer(default=0)  # answers it held when suggested
    position = Integer(default=0)


class CodeSource(enum.StrEnum):
    auto = "auto"  # suggested by analysis.coder, not reviewed
    confirmed = "confirmed"  # a planner agreed
    rejected = "rejected"  # a planner said this theme does not apply


class Coding(Table):
    """One theme given to (or, when rejected, refused for) one text answer."""

    text_answer = ForeignKey(
        references=TextAnswer, null=False, on_delete=OnDelete.cascade, index=True
    )
    theme = ForeignKey(references=Theme, null=False, on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=16, choices=CodeSource, default=CodeSource.auto)
    score = Real(default=0.0)
    reasons = JSON(default="[]")
    reviewed_by = Integer(null=True, default=None)


class Indicator(Table):
    """A key question the planner watches ("felt unsafe", "know where to report"):
    the share of those who answered it who chose any of its counted options."""

    question = ForeignKey(references=Question, null=False, unique=True, on_delete=OnDelete.cascade)
    label = Varchar(length=200)
    position = Integer(default=0)


class IndicatorOption(Table):
    """An option that counts towards an indicator's share."""

    indicator = ForeignKey(references=Indicator, null=False, on_delete=OnDelete.cascade, index=True)
    option = ForeignKey(references=Option, null=False, on_delete=OnDelete.cascade)


class Quote(Table):
    """A free-text answer a planner approved for quoting, in its redacted form (which
    the planner may shorten further): only these reach reports and exports."""

    text_answer = ForeignKey(
        references=TextAnswer, null=False, unique=True, on_delete=OnDelete.cascade
    )
    text = Text()
    approved_by = Integer(null=True, default=None)  # a staff user id
    approved_at = Timestamptz()


class EvidenceKind(enum.StrEnum):
    question = "question"  # a question's result
    cross_tab = "cross_tab"  # a question broken down by a segment
    theme = "theme"  # a theme with its counts
    quote = "quote"  # an approved quote
    indicator = "indicator"


class FindingEvidence(Table):
    """One piece of evidence a finding rests on; exactly the column its kind names
    is set (a cross-tab: question and segment)."""

    finding = ForeignKey(references=Finding, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16, choices=EvidenceKind)
    question = ForeignKey(references=Question, null=True, default=None, on_delete=OnDelete.cascade)
    segment = Varchar(length=80, default="")  # analysis.crosstabs.Segment.value
    theme = ForeignKey(references=Theme, null=True, default=None, on_delete=OnDelete.cascade)
    quote = ForeignKey(references=Quote, null=True, default=None, on_delete=OnDelete.cascade)
    indicator = ForeignKey(
        references=Indicator, null=True, default=None, on_delete=OnDelete.cascade
    )
    position = Integer(default=0)

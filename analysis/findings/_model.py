"""What findings are made of: limits, messages and the plain data read and written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from consult.i18n import N_
from consult.tables import (
    FindingPriority,
    FindingStatus,
)

# Column limits (consult.tables.Finding, StrategyArea).
TITLE_MAX = 200
OWNER_MAX = 200
TIMELINE_MAX = 120
AREA_MAX = 120
# Text columns have no limit in the database; a page of text is plenty.
STATEMENT_MAX = 5000
ACTION_MAX = 5000
AREAS_MAX = 30

# A question whose results can be cited: it has options to count.
RESULT_TYPES = frozenset({"single_choice", "multiple_choice", "scale", "matrix", "ranking"})

# Why a field was refused, in words a planner reads (translated where shown).
FINDING_MESSAGES = {
    "title": N_("Enter a title of 1 to %(limit)s characters."),
    "statement": N_("Enter a statement of up to %(limit)s characters."),
    "strategy_area": N_("Choose one of the strategy areas."),
    "priority": N_("Choose a priority."),
    "status": N_("Choose a status."),
    "proposed_action": N_("Enter a proposed action of up to %(limit)s characters."),
    "owner": N_("Enter an owner of up to %(limit)s characters."),
    "timeline": N_("Enter a timeline of up to %(limit)s characters."),
    "partners": N_("Choose partners from the list."),
}
FINDING_LIMITS = {
    "title": TITLE_MAX,
    "statement": STATEMENT_MAX,
    "proposed_action": ACTION_MAX,
    "owner": OWNER_MAX,
    "timeline": TIMELINE_MAX,
}


@dataclass(frozen=True)
class PartnerRef:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence with what it points at, ready to show."""

    id: int
    kind: str
    question_id: int | None
    question_text: str | None
    segment: str  # a Segment.value for a cross-tab ("q12", "language", "channel"), else ""
    theme_id: int | None
    theme_label: str | None
    quote_id: int | None
    quote_text: str | None
    indicator_id: int | None
    indicator_label: str | None
    survey_id: int | None = None  # the survey the object belongs to, for links
    segment_question_text: str | None = None  # a question segment's "3. Question text"


@dataclass(frozen=True)
class FindingView:
    id: int
    title: str
    statement: str
    strategy_area: str
    priority: str
    status: str
    proposed_action: str
    owner: str
    timeline: str
    partners: tuple[PartnerRef, ...]
    evidence: tuple[EvidenceView, ...]
    position: int


@dataclass(frozen=True)
class FindingInput:
    """What a planner types for a finding (stripped by the web layer)."""

    title: str
    statement: str = ""
    strategy_area: str = ""
    priority: str = FindingPriority.medium.value
    status: str = FindingStatus.proposed.value
    proposed_action: str = ""
    owner: str = ""
    timeline: str = ""
    partner_ids: tuple[int, ...] = ()


class FindingInvalid(ValueError):
    """The input's refused fields: field name -> a FINDING_MESSAGES key (the field)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


class EvidenceRefused(ValueError):
    """The evidence named no object of this consultation of its kind."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name)
        self.field = field_name


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    question_id: int | None = None
    segment: str = ""
    theme_id: int | None = None
    quote_id: int | None = None
    indicator_id: int | None = None

"""Findings: what planners conclude from a consultation, the evidence each rests on
(a question's results, a cross-tab, a theme, an approved quote, an indicator), the
partner organisations of its action, and the city's strategy areas they are filed
under. Reads are a few queries for the whole consultation; every write is one
transaction, validated here, and refuses evidence from another consultation."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from analysis.crosstabs import CROSSED_TYPES, parse_segment
from analysis.tables import (
    EvidenceKind,
    FindingEvidence,
    Indicator,
    Quote,
    Theme,
    ThemeStatus,
)
from consult.database import write_transaction
from consult.i18n import N_
from consult.tables import (
    DEFAULT_STRATEGY_AREAS,
    AuditEvent,
    Consultation,
    Finding,
    FindingPartner,
    FindingPriority,
    FindingStatus,
    Organisation,
    StrategyArea,
)
from surveys import services as surveys
from surveys.tables import Question

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


# Reading -----------------------------------------------------------------------


async def strategy_areas(city: str) -> tuple[str, ...]:
    """The city's strategy areas in order, or DEFAULT_STRATEGY_AREAS when it set none."""
    rows = (
        await StrategyArea.select(StrategyArea.name)
        .where(StrategyArea.city == city)
        .order_by(StrategyArea.position)
        .order_by(StrategyArea.id)
    )
    return tuple(row["name"] for row in rows) or DEFAULT_STRATEGY_AREAS


async def has_own_areas(city: str) -> bool:
    return await StrategyArea.exists().where(StrategyArea.city == city)


async def organisations(city: str) -> tuple[PartnerRef, ...]:
    """The registry's organisations of a city, by name: who can be a partner."""
    rows = (
        await Organisation.select(Organisation.id, Organisation.name, Organisation.kind)
        .where(Organisation.city == city)
        .order_by(Organisation.name)
        .order_by(Organisation.id)
    )
    return tuple(PartnerRef(row["id"], row["name"], row["kind"]) for row in rows)


def _evidence_view(row: dict[str, Any], segment_texts: Mapping[int, str]) -> EvidenceView:
    survey_id = (
        row["question.survey"]
        or row["theme.survey"]
        or row["quote.text_answer.question.survey"]
        or row["indicator.question.survey"]
    )
    segment = row["segment"] or ""
    segment_question = int(segment[1:]) if segment[1:].isdigit() else None
    return EvidenceView(
        id=row["id"],
        kind=row["kind"],
        question_id=row["question"],
        question_text=row["question.text"],
        segment=segment,
        theme_id=row["theme"],
        theme_label=row["theme.label"],
        quote_id=row["quote"],
        quote_text=row["quote.text"],
        indicator_id=row["indicator"],
        indicator_label=row["indicator.label"],
        survey_id=survey_id,
        segment_question_text=(
            segment_texts.get(segment_question) if segment_question is not None else None
        ),
    )


async def _evidence_of(finding_ids: Sequence[int]) -> dict[int, list[EvidenceView]]:
    rows = (
        await FindingEvidence.select(
            FindingEvidence.id,
            FindingEvidence.finding,
            FindingEvidence.kind,
            FindingEvidence.question,
            FindingEvidence.question.text,
            FindingEvidence.question.survey,
            FindingEvidence.segment,
            FindingEvidence.theme,
            FindingEvidence.theme.label,
            FindingEvidence.theme.survey,
            FindingEvidence.quote,
            FindingEvidence.quote.text,
            FindingEvidence.quote.text_answer.question.survey,
            FindingEvidence.indicator,
            FindingEvidence.indicator.label,
            FindingEvidence.indicator.question.survey,
        )
        .where(FindingEvidence.finding.is_in(list(finding_ids)))
        .order_by(FindingEvidence.position)
        .order_by(FindingEvidence.id)
    )
    segment_ids = {
        int(row["segment"][1:])
        for row in rows
        if row["segment"].startswith("q") and row["segment"][1:].isdigit()
    }
    texts: dict[int, str] = {}
    if segment_ids:
        for question in await Question.select(Question.id, Question.position, Question.text).where(
            Question.id.is_in(sorted(segment_ids))
        ):
            texts[question["id"]] = f"{question['position']}. {question['text']}"
    found: dict[int, list[EvidenceView]] = {}
    for row in rows:
        found.setdefault(row["finding"], []).append(_evidence_view(row, texts))
    return found


async def findings_of(consultation_id: int) -> tuple[FindingView, ...]:
    """The consultation's findings in order, with partners and evidence (three queries)."""
    rows = (
        await Finding.select()
        .where(Finding.consultation == consultation_id)
        .order_by(Finding.position)
        .order_by(Finding.id)
    )
    if not rows:
        return ()
    ids = [row["id"] for row in rows]
    partners: dict[int, list[PartnerRef]] = {}
    for row in (
        await FindingPartner.select(
            FindingPartner.finding,
            FindingPartner.organisation,
            FindingPartner.organisation.name,
            FindingPartner.organisation.kind,
        )
        .where(FindingPartner.finding.is_in(ids))
        .order_by(FindingPartner.organisation.name)
    ):
        partners.setdefault(row["finding"], []).append(
            PartnerRef(row["organisation"], row["organisation.name"], row["organisation.kind"])
        )
    evidence = await _evidence_of(ids)
    return tuple(
        FindingView(
            id=row["id"],
            title=row["title"],
            statement=row["statement"],
            strategy_area=row["strategy_area"],
            priority=row["priority"],
            status=row["status"],
            proposed_action=row["proposed_action"],
            owner=row["owner"],
            timeline=row["timeline"],
            partners=tuple(partners.get(row["id"], ())),
            evidence=tuple(evidence.get(row["id"], ())),
            position=row["position"],
        )
        for row in rows
    )


async def finding(finding_id: int) -> tuple[int, FindingView] | None:
    """(consultation id, the finding), or None when there is no such finding."""
    row = await Finding.select(Finding.consultation).where(Finding.id == finding_id).first()
    if row is None:
        return None
    found = next((f for f in await findings_of(row["consultation"]) if f.id == finding_id), None)
    return (row["consultation"], found) if found else None


@dataclass(frozen=True)
class AreaGroup:
    area: str  # "" for findings filed under no area, or under one the city no longer has
    findings: tuple[FindingView, ...]


def by_area(findings: Sequence[FindingView], areas: Sequence[str]) -> tuple[AreaGroup, ...]:
    """Findings under each area in the city's order (every area, even an empty one),
    then those under no known area."""
    known = set(areas)
    groups = [AreaGroup(a, tuple(f for f in findings if f.strategy_area == a)) for a in areas]
    rest = tuple(f for f in findings if f.strategy_area not in known)
    if rest:
        groups.append(AreaGroup("", rest))
    return tuple(groups)


# Writing -----------------------------------------------------------------------


def finding_errors(
    data: FindingInput,
    areas: Collection[str],
    partner_ids: Collection[int],
    current_area: str | None = None,
) -> dict[str, str]:
    """field -> why it was refused (a FINDING_MESSAGES key); empty when all is well.

    `areas` are the city's, `partner_ids` the organisations that may be partners;
    a finding may keep an area the city has since removed (`current_area`).
    """
    errors: dict[str, str] = {}
    if not data.title or len(data.title) > TITLE_MAX:
        errors["title"] = "title"
    for name in ("statement", "proposed_action", "owner", "timeline"):
        if len(getattr(data, name)) > FINDING_LIMITS[name]:
            errors[name] = name
    if (
        data.strategy_area
        and data.strategy_area not in areas
        and data.strategy_area != current_area
    ) or len(data.strategy_area) > AREA_MAX:
        errors["strategy_area"] = "strategy_area"
    if data.priority not in {p.value for p in FindingPriority}:
        errors["priority"] = "priority"
    if data.status not in {s.value for s in FindingStatus}:
        errors["status"] = "status"
    if not set(data.partner_ids) <= set(partner_ids):
        errors["partners"] = "partners"
    return errors


def _audit(actor_id: int | None, action: str, object_id: int, detail: str = "") -> AuditEvent:
    return AuditEvent(
        actor=actor_id,
        action=action,
        object_type="finding",
        object_id=object_id,
        detail=detail[:200],
        at=datetime.now(UTC),
    )


async def _city_of(consultation_id: int) -> str | None:
    row = (
        await Consultation.select(Consultation.city)
        .where(Consultation.id == consultation_id)
        .first()
    )
    return row["city"] if row else None


async def _check(consultation_id: int, data: FindingInput, current_area: str | None = None) -> None:
    city = await _city_of(consultation_id)
    if city is None:
        raise LookupError(consultation_id)
    errors = finding_errors(
        data,
        await strategy_areas(city),
        {p.id for p in await organisations(city)},
        current_area,
    )
    if errors:
        raise FindingInvalid(errors)


def _values(data: FindingInput) -> dict[Any, Any]:
    return {
        Finding.title: data.title,
        Finding.statement: data.statement,
        Finding.strategy_area: data.strategy_area,
        Finding.priority: data.priority,
        Finding.status: data.status,
        Finding.proposed_action: data.proposed_action,
        Finding.owner: data.owner,
        Finding.timeline: data.timeline,
    }


async def _replace_partners(finding_id: int, partner_ids: Collection[int]) -> None:
    await FindingPartner.delete().where(FindingPartner.finding == finding_id)
    if partner_ids:
        await FindingPartner.insert(
            *[
                FindingPartner(finding=finding_id, organisation=organisation)
                for organisation in sorted(set(partner_ids))
            ]
        )


async def create_finding(
    consultation_id: int, data: FindingInput, actor_id: int | None = None
) -> int:
    """Add a finding (last in order) with its partners; raises FindingInvalid."""
    await _check(consultation_id, data)
    now = datetime.now(UTC)
    async with write_transaction():
        last = (
            await Finding.select(Finding.position)
            .where(Finding.consultation == consultation_id)
            .order_by(Finding.position, ascending=False)
            .first()
        )
        rows = await Finding.insert(
            Finding(
                consultation=consultation_id,
                position=(last["position"] + 1) if last else 0,
                created_at=now,
                updated_at=now,
                **{column._meta.name: value for column, value in _values(data).items()},
            )
        )
        finding_id = int(rows[0]["id"])
        await _replace_partners(finding_id, data.partner_ids)
        await AuditEvent.insert(_audit(actor_id, "create_finding", finding_id))
    return finding_id


async def _consultation_of(finding_id: int) -> tuple[int, str] | None:
    row = (
        await Finding.select(Finding.consultation, Finding.strategy_area)
        .where(Finding.id == finding_id)
        .first()
    )
    return (row["consultation"], row["strategy_area"]) if row else None


async def update_finding(finding_id: int, data: FindingInput, actor_id: int | None = None) -> bool:
    """Save a finding's fields and partners; False when there is no such finding."""
    found = await _consultation_of(finding_id)
    if found is None:
        return False
    await _check(found[0], data, current_area=found[1])
    async with write_transaction():
        await Finding.update({**_values(data), Finding.updated_at: datetime.now(UTC)}).where(
            Finding.id == finding_id
        )
        await _replace_partners(finding_id, data.partner_ids)
        await AuditEvent.insert(_audit(actor_id, "update_finding", finding_id))
    return True


async def set_partners(finding_id: int, organisation_ids: Collection[int]) -> bool:
    """Replace a finding's partners (organisations of its consultation's city)."""
    found = await _consultation_of(finding_id)
    city = await _city_of(found[0]) if found else None
    if found is None or city is None:
        return False
    if not set(organisation_ids) <= {p.id for p in await organisations(city)}:
        raise FindingInvalid({"partners": "partners"})
    async with write_transaction():
        await _replace_partners(finding_id, organisation_ids)
    return True


async def delete_finding(finding_id: int, actor_id: int | None = None) -> bool:
    """Remove a finding with its evidence and partners; False when there was none."""
    async with write_transaction():
        if not await Finding.exists().where(Finding.id == finding_id):
            return False
        await Finding.delete().where(Finding.id == finding_id)
        await AuditEvent.insert(_audit(actor_id, "delete_finding", finding_id))
    return True


async def _owned_question(consultation_id: int, question_id: int | None) -> dict[str, Any] | None:
    if question_id is None:
        return None
    return (
        await Question.select(Question.id, Question.type, Question.survey)
        .where((Question.id == question_id) & (Question.survey.consultation == consultation_id))
        .first()
    )


@dataclass
class _EvidenceRow:
    kind: str
    question: int | None = None
    segment: str = ""
    theme: int | None = None
    quote: int | None = None
    indicator: int | None = None


async def _evidence_row(consultation_id: int, data: EvidenceInput) -> _EvidenceRow:
    """The evidence row's columns for `data` once its object is found in this
    consultation; raises EvidenceRefused naming the field at fault."""
    try:
        kind = EvidenceKind(data.kind)
    except ValueError:
        raise EvidenceRefused("kind") from None
    row = _EvidenceRow(kind=kind.value)
    if kind in (EvidenceKind.question, EvidenceKind.cross_tab):
        question = await _owned_question(consultation_id, data.question_id)
        allowed = RESULT_TYPES if kind is EvidenceKind.question else CROSSED_TYPES
        if question is None or question["type"] not in allowed:
            raise EvidenceRefused("question")
        row.question = question["id"]
        if kind is EvidenceKind.cross_tab:
            spec = await surveys.load_spec(question["survey"])
            segment = parse_segment(spec, data.segment) if spec else None
            if segment is None or (segment.question and segment.question.id == question["id"]):
                raise EvidenceRefused("segment")
            row.segment = segment.value
    elif kind is EvidenceKind.theme:
        theme = (
            await Theme.select(Theme.id)
            .where(
                (Theme.id == (data.theme_id or 0))
                & (Theme.survey.consultation == consultation_id)
                & (Theme.status == ThemeStatus.accepted.value)
            )
            .first()
        )
        if theme is None:
            raise EvidenceRefused("theme")
        row.theme = theme["id"]
    elif kind is EvidenceKind.quote:
        quote = (
            await Quote.select(Quote.id)
            .where(
                (Quote.id == (data.quote_id or 0))
                & (Quote.text_answer.question.survey.consultation == consultation_id)
            )
            .first()
        )
        if quote is None:
            raise EvidenceRefused("quote")
        row.quote = quote["id"]
    else:
        indicator = (
            await Indicator.select(Indicator.id)
            .where(
                (Indicator.id == (data.indicator_id or 0))
                & (Indicator.question.survey.consultation == consultation_id)
            )
            .first()
        )
        if indicator is None:
            raise EvidenceRefused("indicator")
        row.indicator = indicator["id"]
    return row


async def add_evidence(
    finding_id: int, data: EvidenceInput, actor_id: int | None = None
) -> int | None:
    """Cite one object of the finding's own consultation (last in order); None when
    there is no such finding; raises EvidenceRefused for any other object."""
    found = await _consultation_of(finding_id)
    if found is None:
        return None
    row = await _evidence_row(found[0], data)
    async with write_transaction():
        last = (
            await FindingEvidence.select(FindingEvidence.position)
            .where(FindingEvidence.finding == finding_id)
            .order_by(FindingEvidence.position, ascending=False)
            .first()
        )
        rows = await FindingEvidence.insert(
            FindingEvidence(
                finding=finding_id,
                position=(last["position"] + 1) if last else 0,
                kind=row.kind,
                question=row.question,
                segment=row.segment,
                theme=row.theme,
                quote=row.quote,
                indicator=row.indicator,
            )
        )
        await Finding.update({Finding.updated_at: datetime.now(UTC)}).where(
            Finding.id == finding_id
        )
        await AuditEvent.insert(_audit(actor_id, "add_evidence", finding_id, row.kind))
    return int(rows[0]["id"])


async def remove_evidence(finding_id: int, evidence_id: int, actor_id: int | None = None) -> bool:
    """Remove one piece of the finding's evidence; False when it is not the finding's."""
    async with write_transaction():
        where = (FindingEvidence.id == evidence_id) & (FindingEvidence.finding == finding_id)
        if not await FindingEvidence.exists().where(where):
            return False
        await FindingEvidence.delete().where(where)
        await AuditEvent.insert(_audit(actor_id, "remove_evidence", finding_id))
    return True


class AreasInvalid(ValueError):
    pass


def parse_areas(text: str) -> list[str]:
    """Areas typed one a line, each once (compared without case), blank lines skipped."""
    seen: set[str] = set()
    found = []
    for line in text.splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            found.append(name)
    return found


async def set_strategy_areas(city: str, names: Sequence[str]) -> tuple[str, ...]:
    """Replace the city's areas with `names` in order (none: back to the defaults);
    raises AreasInvalid for a name over AREA_MAX characters or more than AREAS_MAX.
    Findings keep the area they were filed under."""
    cleaned = parse_areas("\n".join(names))
    if len(cleaned) > AREAS_MAX or any(len(name) > AREA_MAX for name in cleaned):
        raise AreasInvalid(city)
    async with write_transaction():
        await StrategyArea.delete().where(StrategyArea.city == city)
        if cleaned:
            await StrategyArea.insert(
                *[
                    StrategyArea(city=city, name=name, position=position)
                    for position, name in enumerate(cleaned)
                ]
            )
    return tuple(cleaned) or DEFAULT_STRATEGY_AREAS


__all__ = [
    "FINDING_LIMITS",
    "FINDING_MESSAGES",
    "AreaGroup",
    "AreasInvalid",
    "EvidenceInput",
    "EvidenceRefused",
    "EvidenceView",
    "FindingInput",
    "FindingInvalid",
    "FindingView",
    "PartnerRef",
    "add_evidence",
    "by_area",
    "create_finding",
    "delete_finding",
    "finding",
    "finding_errors",
    "findings_of",
    "organisations",
    "remove_evidence",
    "set_partners",
    "set_strategy_areas",
    "strategy_areas",
    "update_finding",
]

"""Writing findings, their partners and evidence, and a city's areas: each change one
transaction, checked first; evidence must be an object of the finding's own consultation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from analysis.crosstabs import CROSSED_TYPES, parse_segment
from analysis.findings._model import (
    AREA_MAX,
    AREAS_MAX,
    FINDING_LIMITS,
    RESULT_TYPES,
    TITLE_MAX,
    EvidenceInput,
    EvidenceRefused,
    FindingInput,
    FindingInvalid,
)
from analysis.findings._read import (
    organisations,
    strategy_areas,
)
from analysis.tables import (
    EvidenceKind,
    FindingEvidence,
    Indicator,
    Quote,
    Theme,
    ThemeStatus,
)
from consult.database import write_transaction
from consult.tables import (
    DEFAULT_STRATEGY_AREAS,
    AuditEvent,
    Consultation,
    Finding,
    FindingPartner,
    FindingPriority,
    FindingStatus,
    StrategyArea,
)
from surveys import services as surveys
from surveys.tables import Question


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

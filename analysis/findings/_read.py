"""Reading a consultation's findings, the city's areas and its organisations: a few
queries for the whole consultation, never one per finding."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.findings._model import (
    EvidenceView,
    FindingView,
    PartnerRef,
)
from analysis.tables import (
    FindingEvidence,
)
from consult.tables import (
    DEFAULT_STRATEGY_AREAS,
    Finding,
    FindingPartner,
    Organisation,
    StrategyArea,
)
from consult.text_input import whole_number
from surveys.tables import Question


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
    segment_question = whole_number(segment[1:])
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

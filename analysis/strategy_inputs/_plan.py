"""The findings and action plan, and the partner organisations."""

# The SQL here is built from fixed fragments and {} placeholders only; every value
# is bound.
from __future__ import annotations

from collections.abc import Sequence

from analysis import crosstabs, findings, strategy_words
from analysis.disclosure import suppress
from analysis.findings import FindingView
from analysis.indicators import IndicatorResult, IndicatorShare
from analysis.segments import segment_name
from analysis.strategy_inputs._source import Source
from analysis.strategy_inputs._words import Gettext
from analysis.tables import EvidenceKind
from consult.tables import FindingPriority, FindingStatus, Organisation
from exports import model
from surveys.tables import Response


def _evidence_line(
    source: Source, evidence: findings.EvidenceView, shares: dict[int, IndicatorShare]
) -> str:
    _ = source.gettext
    kind = _(strategy_words.EVIDENCE_LABELS.get(evidence.kind, evidence.kind))
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
            strategy_area=_(strategy_words.AREA_LABELS[finding.strategy_area])
            if finding.strategy_area in strategy_words.AREA_LABELS
            else finding.strategy_area,
            priority=_(strategy_words.PRIORITY_LABELS.get(finding.priority, finding.priority)),
            status=_(strategy_words.STATUS_LABELS.get(finding.status, finding.status)),
            proposed_action=finding.proposed_action,
            owner=finding.owner,
            partners=tuple(partner.name for partner in finding.partners),
            timeline=finding.timeline,
            evidence=tuple(_evidence_line(source, e, shares) for e in finding.evidence),
        )
        for finding in found
    )


def priorities(_: Gettext) -> tuple[str, ...]:
    return tuple(_(strategy_words.PRIORITY_LABELS[p.value]) for p in FindingPriority)


def statuses(_: Gettext) -> tuple[str, ...]:
    return tuple(_(strategy_words.STATUS_LABELS[s.value]) for s in FindingStatus)


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
            kind=_(strategy_words.KIND_LABELS.get(names[o][1], names[o][1])),
            sessions=int(sessions[o]["sessions"]) if o in sessions else 0,
            responses=shown[str(o)],
            groups_reached=tuple(groups.get(o, ())),
            findings=tuple(partnering.get(o, ())),
        )
        for o in order
    )

"""Outreach: who a consultation is reaching, against the targets a planner set per
group, and which registry organisations to invite next for a group not yet heard.

Every count is a GROUP BY over complete responses (the responses themselves never
leave the database): one by hosted session and channel, which gives the sessions,
organisations, channels, target groups and the total, and one by the answers to
the demographic bank's district question. A response counts for a group when the
session it came through names that group (SessionGroup, compared without regard to
case or spacing).

Counts below k are "not shown", and every shown number is part of a sum an
attacker knows (the total is the organisations plus the public link, the channels,
or the districts; an organisation is its sessions; a group is the sessions naming
it), so protect() hides more until no hidden count is the one unknown of a sum.
"""

from __future__ import annotations

# The SQL here is built from fixed fragments only; every value is bound.
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from consult.database import write_transaction
from consult.i18n import N_
from consult.tables import (
    Consultation,
    HostedSession,
    OrganisationTag,
    OutreachTarget,
    SessionGroup,
    TagKind,
)
from consult.text_input import whole_number
from surveys.tables import Question, Response

DISTRICT_KEY = "district"  # the demographic bank's question (surveys/instruments/demographics.json)
GROUP_MAX = 100
TARGET_MAX = 1_000_000
TARGETS_MAX = 50
TARGET_MESSAGES = {
    "group": N_("Enter a group name of up to %(limit)s characters."),
    "target": N_("Enter a target as a whole number from 1 to %(max)s."),
    "repeated": N_("Name each group once."),
    "count": N_("Enter at most %(count)s groups."),
}


def group_key(name: str) -> str:
    """How group names are compared: without regard to case or spacing."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: what it counts, and the count (None: not shown)."""

    key: str
    label: str
    count: int | None


@dataclass(frozen=True)
class Suggestion:
    """A registry organisation that reaches an under-reached group."""

    organisation_id: int
    name: str
    kind: str
    taking_part: bool  # already hosts a session of this consultation


@dataclass(frozen=True)
class GroupRow:
    name: str
    target: int | None
    count: int | None  # None: not shown
    # "under" (below its target), "met", "unknown" (a hidden count against a target
    # below k, which would give the count away) or "no_target"
    status: str
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def under_reached(self) -> bool:
        return self.status == "under"


@dataclass(frozen=True)
class Outreach:
    k: int
    total: int | None
    groups: tuple[GroupRow, ...]
    districts: tuple[Line, ...] | None  # None: no survey asks the district question
    organisations: tuple[Line, ...]
    sessions: tuple[Line, ...]
    channels: tuple[Line, ...]
    targets: tuple[tuple[str, int], ...]


Q = Hashable


def protect(
    values: Mapping[Q, int], sums: Sequence[tuple[Q, Sequence[Q]]], k: int
) -> dict[Q, int | None]:
    """`values` with every count from 1 to k-1 hidden (None), and, wherever a sum
    (total, parts) would then have a single hidden member, the smallest shown
    non-zero member of it hidden too, until none has; zero is always shown."""
    shown: dict[Q, int | None] = {
        key: (None if 0 < value < k else value) for key, value in values.items()
    }
    lines = [(total, *parts) for total, parts in sums]
    settled: set[int] = set()
    while True:
        for number, line in enumerate(lines):
            hidden = [key for key in line if shown[key] is None]
            if len(hidden) == 1 and number not in settled:
                candidates = sorted(
                    (values[key], repr(key), key) for key in line if shown[key] not in (None, 0)
                )
                if not candidates:
                    settled.add(number)  # every other member is zero: the hidden one is too
                    continue
                shown[candidates[0][2]] = None
                break
        else:
            return shown


async def _session_channel_counts(consultation_id: int) -> dict[tuple[int | None, str], int]:
    rows = await Response.raw(
        "SELECT r.hosted_session AS session, r.channel AS channel, COUNT(*) AS n"
        " FROM response r JOIN survey s ON s.id = r.survey"
        " WHERE s.consultation = {} AND r.status = 'complete'"
        " GROUP BY r.hosted_session, r.channel",
        consultation_id,
    )
    return {(row["session"], row["channel"]): int(row["n"]) for row in rows}


async def _district_counts(consultation_id: int) -> list[tuple[str, int]] | None:
    """(option label, complete responses) of the district question, in the order of
    its options; None when no survey of the consultation asks it."""
    asked = await Question.exists().where(
        (Question.key == DISTRICT_KEY) & (Question.survey.consultation == consultation_id)
    )
    if not asked:
        return None
    rows = await Response.raw(
        "SELECT o.label AS label, COUNT(DISTINCT r.id) AS n"
        " FROM option o JOIN question q ON q.id = o.question JOIN survey s ON s.id = q.survey"
        " LEFT JOIN answer a ON a.option = o.id AND a.statement IS NULL"
        " LEFT JOIN response r ON r.id = a.response AND r.status = 'complete'"
        " WHERE s.consultation = {} AND q.key = {}"
        " GROUP BY o.label ORDER BY MIN(o.position), o.label",
        consultation_id,
        DISTRICT_KEY,
    )
    return [(row["label"], int(row["n"])) for row in rows]


async def _sessions(consultation_id: int) -> list[dict]:
    sessions = (
        await HostedSession.select(
            HostedSession.id,
            HostedSession.title,
            HostedSession.organisation,
            HostedSession.organisation.name.as_alias("organisation_name"),
        )
        .where(HostedSession.consultation == consultation_id)
        .order_by(HostedSession.id)
    )
    groups = await SessionGroup.select(SessionGroup.session, SessionGroup.name).where(
        SessionGroup.session.consultation == consultation_id
    )
    names: dict[int, list[str]] = {}
    for row in groups:
        names.setdefault(row["session"], []).append(row["name"])
    for session in sessions:
        session["groups"] = names.get(session["id"], [])
    return sessions


async def targets(consultation_id: int) -> tuple[tuple[str, int], ...]:
    rows = (
        await OutreachTarget.select(OutreachTarget.group_name, OutreachTarget.target)
        .where(OutreachTarget.consultation == consultation_id)
        .order_by(OutreachTarget.id)
    )
    return tuple((row["group_name"], row["target"]) for row in rows)


def check_targets(rows: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, int]], dict[int, str]]:
    """Target rows from a form ((group, target) as typed; rows left empty dropped):
    the targets, and the rows in error (index -> message key)."""
    found: list[tuple[str, int]] = []
    errors: dict[int, str] = {}
    seen: set[str] = set()
    for index, (group, target) in enumerate(rows):
        group = " ".join(group.split())
        target = target.strip()
        if not group and not target:
            continue
        if not group or len(group) > GROUP_MAX:
            errors[index] = "group"
        elif not 1 <= (whole_number(target) or 0) <= TARGET_MAX:
            errors[index] = "target"
        elif group_key(group) in seen:
            errors[index] = "repeated"
        else:
            seen.add(group_key(group))
            found.append((group, int(target)))
    if len(found) > TARGETS_MAX:
        errors[len(rows) - 1] = "count"
    return found, errors


async def set_targets(consultation_id: int, rows: Sequence[tuple[str, int]]) -> None:
    """Replace the consultation's targets with `rows`, in one transaction."""
    async with write_transaction():
        await OutreachTarget.delete().where(OutreachTarget.consultation == consultation_id)
        if rows:
            await OutreachTarget.insert(
                *[
                    OutreachTarget(consultation=consultation_id, group_name=name, target=target)
                    for name, target in rows
                ]
            )


async def _reaching(city: str) -> dict[str, list[dict]]:
    """group key -> the organisations of `city` whose tags say they reach it."""
    rows = (
        await OrganisationTag.select(
            OrganisationTag.name,
            OrganisationTag.organisation.id.as_alias("id"),
            OrganisationTag.organisation.name.as_alias("organisation_name"),
            OrganisationTag.organisation.kind.as_alias("kind"),
        )
        .where(
            (OrganisationTag.kind == TagKind.group.value)
            & (OrganisationTag.organisation.city == city)
        )
        .order_by(OrganisationTag.organisation.name)
    )
    found: dict[str, list[dict]] = {}
    for row in rows:
        listed = found.setdefault(group_key(row["name"]), [])
        if all(item["id"] != row["id"] for item in listed):
            listed.append(row)
    return found


def _status(count: int, shown: int | None, target: int | None, k: int) -> str:
    if target is None:
        return "no_target"
    if shown is None and target < k:
        return "unknown"
    return "under" if count < target else "met"


async def outreach(consultation: Consultation) -> Outreach:
    """Who the consultation reaches, counted and protected; see the module's doc."""
    k = consultation.k_threshold
    cells = await _session_channel_counts(consultation.id)
    sessions = await _sessions(consultation.id)
    districts = await _district_counts(consultation.id)
    target_rows = await targets(consultation.id)

    values: dict[Q, int] = {("total",): sum(cells.values()), ("public",): 0}
    sums: list[tuple[Q, list[Q]]] = []
    by_channel: dict[str, int] = {}
    for (session, channel), n in cells.items():
        by_channel[channel] = by_channel.get(channel, 0) + n
        key = ("session", session) if session is not None else ("public",)
        values[key] = values.get(key, 0) + n
    organisations: dict[int, dict] = {}
    for session in sessions:
        values.setdefault(("session", session["id"]), 0)
        organisation = organisations.setdefault(
            session["organisation"], {"name": session["organisation_name"], "sessions": []}
        )
        organisation["sessions"].append(("session", session["id"]))
    for organisation_id, organisation in organisations.items():
        values[("organisation", organisation_id)] = sum(values[s] for s in organisation["sessions"])
        sums.append((("organisation", organisation_id), organisation["sessions"]))
    sums.append((("total",), [*(("organisation", o) for o in organisations), ("public",)]))
    for channel, n in by_channel.items():
        values[("channel", channel)] = n
    sums.append((("total",), [("channel", c) for c in by_channel]))
    if districts is not None:
        for label, n in districts:
            values[("district", label)] = n
        values[("district", None)] = values[("total",)] - sum(n for _, n in districts)
        sums.append(
            (("total",), [("district", label) for label, _ in districts] + [("district", None)])
        )

    # Groups: those with a target, in the planner's order, then those sessions name.
    group_names: dict[str, str] = {}
    for name, _target in target_rows:
        group_names.setdefault(group_key(name), name)
    for session in sessions:
        for name in session["groups"]:
            group_names.setdefault(group_key(name), " ".join(name.split()))
    group_sessions = {
        key: sorted(
            {("session", s["id"]) for s in sessions if key in {group_key(n) for n in s["groups"]}},
            key=repr,
        )
        for key in group_names
    }
    for key, members in group_sessions.items():
        values[("group", key)] = sum(values[m] for m in members)
        if members:
            sums.append((("group", key), members))

    shown = protect(values, sums, k)
    reaching = await _reaching(consultation.city)
    hosting = {session["organisation"] for session in sessions}
    target_of = {group_key(name): target for name, target in target_rows}
    groups = []
    for key, name in group_names.items():
        count, visible, target = values[("group", key)], shown[("group", key)], target_of.get(key)
        status = _status(count, visible, target, k)
        suggestions: tuple[Suggestion, ...] = ()
        if status == "under":
            suggestions = tuple(
                sorted(
                    (
                        Suggestion(
                            row["id"], row["organisation_name"], row["kind"], row["id"] in hosting
                        )
                        for row in reaching.get(key, [])
                    ),
                    key=lambda s: (s.taking_part, s.name.casefold()),
                )
            )
        groups.append(GroupRow(name, target, visible, status, suggestions))

    return Outreach(
        k=k,
        total=shown[("total",)],
        groups=tuple(groups),
        districts=(
            (
                *tuple(Line(label, label, shown["district", label]) for label, _ in districts),
                Line("", "", shown["district", None]),
            )
            if districts is not None
            else None
        ),
        organisations=(
            *tuple(
                Line(str(o), organisation["name"], shown["organisation", o])
                for o, organisation in organisations.items()
            ),
            Line("", "", shown["public",]),
        ),
        sessions=tuple(
            Line(str(s["id"]), s["title"], shown[("session", s["id"])]) for s in sessions
        ),
        channels=tuple(
            Line(channel, channel, shown[("channel", channel)]) for channel in sorted(by_channel)
        ),
        targets=target_rows,
    )

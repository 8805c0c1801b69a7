"""Which objects a staff member may reach: a planner their own city's, a
facilitator their own organisation's, an admin every one.

Called by every role guard (consult.auth.require_role) once the role is right, with
the route's path parameters, so that an object is checked by its owner and not
only by the route. Each id the path names costs one indexed query (joined up to
its consultation), which also says which other ids of the path it belongs to: a
survey of another consultation, or a coding of another theme, is not found either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException

from analysis.tables import (
    Coding,
    FindingEvidence,
    Indicator,
    Quote,
    SafeguardingFlag,
    TextAnswer,
    Theme,
)
from consult.services.reach import Reach, reach_of
from consult.services.staff import StaffMember
from consult.tables import ApiToken, Consultation, Finding, HostedSession, Job, Organisation, Role
from consult.web import MAX_ID
from surveys.tables import Question, Response, Survey

# What a path id resolves to: its city, and the ids of the path's other parameters
# it must agree with ({"city": "Oslo", "survey_id": 3}); None when there is none.
Owner = dict[str, Any]
Resolver = Callable[[int], Awaitable[Owner | None]]


async def _first(query: Any) -> Owner | None:
    row = await query.first()
    return dict(row) if row else None


async def _consultation(object_id: int) -> Owner | None:
    return await _first(Consultation.select(Consultation.city).where(Consultation.id == object_id))


async def _survey(object_id: int) -> Owner | None:
    return await _first(
        Survey.select(
            Survey.consultation.as_alias("consultation_id"),
            Survey.consultation.city.as_alias("city"),
        ).where(Survey.id == object_id)
    )


async def _question(object_id: int) -> Owner | None:
    return await _first(
        Question.select(
            Question.survey.as_alias("survey_id"),
            Question.survey.consultation.as_alias("consultation_id"),
            Question.survey.consultation.city.as_alias("city"),
        ).where(Question.id == object_id)
    )


async def _response(object_id: int) -> Owner | None:
    return await _first(
        Response.select(
            Response.survey.as_alias("survey_id"),
            Response.survey.consultation.city.as_alias("city"),
        ).where(Response.id == object_id)
    )


async def _theme(object_id: int) -> Owner | None:
    return await _first(
        Theme.select(
            Theme.survey.as_alias("survey_id"),
            Theme.survey.consultation.city.as_alias("city"),
        ).where(Theme.id == object_id)
    )


async def _coding(object_id: int) -> Owner | None:
    return await _first(
        Coding.select(
            Coding.theme.as_alias("theme_id"),
            Coding.theme.survey.as_alias("survey_id"),
            Coding.theme.survey.consultation.city.as_alias("city"),
        ).where(Coding.id == object_id)
    )


async def _flag(object_id: int) -> Owner | None:
    # Two lookups: the five-table join's aliases pass PostgreSQL's 63-character limit.
    row = await _first(
        SafeguardingFlag.select(
            SafeguardingFlag.text_answer.question.survey.as_alias("survey_id"),
        ).where(SafeguardingFlag.id == object_id)
    )
    return await _in_survey(row)


async def _in_survey(row: Owner | None) -> Owner | None:
    """`row` (naming its survey_id) with the survey's city."""
    survey = await _survey(row["survey_id"]) if row else None
    return {"survey_id": row["survey_id"], "city": survey["city"]} if row and survey else None


async def _text_answer(object_id: int) -> Owner | None:
    return await _first(
        TextAnswer.select(
            TextAnswer.question.survey.as_alias("survey_id"),
            TextAnswer.question.survey.consultation.city.as_alias("city"),
        ).where(TextAnswer.id == object_id)
    )


async def _finding(object_id: int) -> Owner | None:
    return await _first(
        Finding.select(
            Finding.consultation.as_alias("consultation_id"),
            Finding.consultation.city.as_alias("city"),
        ).where(Finding.id == object_id)
    )


async def _evidence(object_id: int) -> Owner | None:
    return await _first(
        FindingEvidence.select(
            FindingEvidence.finding.as_alias("finding_id"),
            FindingEvidence.finding.consultation.city.as_alias("city"),
        ).where(FindingEvidence.id == object_id)
    )


async def _indicator(object_id: int) -> Owner | None:
    return await _first(
        Indicator.select(
            Indicator.question.survey.as_alias("survey_id"),
            Indicator.question.survey.consultation.city.as_alias("city"),
        ).where(Indicator.id == object_id)
    )


async def _quote(object_id: int) -> Owner | None:
    return await _first(
        Quote.select(
            Quote.text_answer.question.survey.as_alias("survey_id"),
            Quote.text_answer.question.survey.consultation.city.as_alias("city"),
        ).where(Quote.id == object_id)
    )


async def _job(object_id: int) -> Owner | None:
    # A job names its survey in its parameters (JSON), so the survey's city is a
    # second query; who may see a job at all (its requester) is the export pages' rule.
    row = await Job.select(Job.params).where(Job.id == object_id).output(load_json=True).first()
    if row is None:
        return None
    params = row["params"]
    survey_id = params.get("survey") if isinstance(params, dict) else None
    survey = await _survey(survey_id) if isinstance(survey_id, int) else None
    return {"city": survey["city"]} if survey else {"city": None}


async def _organisation(object_id: int) -> Owner | None:
    return await _first(Organisation.select(Organisation.city).where(Organisation.id == object_id))


async def _session(object_id: int) -> Owner | None:
    return await _first(
        HostedSession.select(
            HostedSession.consultation.as_alias("consultation_id"),
            HostedSession.organisation.as_alias("organisation"),
            HostedSession.consultation.city.as_alias("city"),
        ).where(HostedSession.id == object_id)
    )


async def _token(object_id: int) -> Owner | None:
    return await _first(ApiToken.select(ApiToken.city).where(ApiToken.id == object_id))


# Every id a staff route's path may name. A guarded route with another `*_id`
# parameter is refused until it is added here (fail closed).
RESOLVERS: Mapping[str, Resolver] = {
    "consultation_id": _consultation,
    "survey_id": _survey,
    "question_id": _question,
    "response_id": _response,
    "theme_id": _theme,
    "coding_id": _coding,
    "flag_id": _flag,
    "text_answer_id": _text_answer,
    "finding_id": _finding,
    "evidence_id": _evidence,
    "indicator_id": _indicator,
    "quote_id": _quote,
    "job_id": _job,
    "organisation_id": _organisation,
    "session_id": _session,
    "token_id": _token,
}


def _reaches(member: StaffMember | None, reach: Reach, name: str, owner: Owner) -> bool:
    if name == "session_id" and member is not None and member.role == Role.facilitator:
        # A facilitator works on their own organisation's sessions, whatever the city.
        return member.organisation_id is not None and owner["organisation"] == (
            member.organisation_id
        )
    return reach.allows(owner["city"])


async def reachable(member: StaffMember, path_params: Mapping[str, Any]) -> bool:
    """Whether `member` may reach every object `path_params` names, each belonging to
    the others the path names."""
    if not any(name.endswith("_id") for name in path_params):
        return True
    return await within(await reach_of(member), path_params, member)


async def within(
    reach: Reach, path_params: Mapping[str, Any], member: StaffMember | None = None
) -> bool:
    """Whether every object `path_params` names is of a city `reach` covers (and of
    `member`'s organisation, for a facilitator's session), each belonging to the
    others the path names. The JSON API asks this with its token's reach."""
    named = {name: value for name, value in path_params.items() if name.endswith("_id")}
    for name, value in named.items():
        resolver = RESOLVERS.get(name)
        # An id no table can hold names nothing (and must not reach a query).
        if resolver is None or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            return False
        owner = await resolver(value)
        if owner is None or not _reaches(member, reach, name, owner):
            return False
        for other, expected in owner.items():
            if other in named and named[other] != expected:
                return False
    return True


async def check(connection: ASGIConnection[Any, Any, Any, Any], member: StaffMember) -> None:
    """Raise NotFoundException unless `member` may reach every object the path names.

    Not found rather than forbidden: another city's object must not be told apart
    from one that does not exist."""
    if not await reachable(member, connection.path_params):
        raise NotFoundException()

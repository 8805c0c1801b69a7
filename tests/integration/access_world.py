"""Two cities and two organisations, with one of every object a staff route can
name, for the route-table walks (test_access_matrix, test_no_writes_on_get,
test_csrf_everywhere).

City A is Reykjavik, city B is Oslo. Organisations A1 and A2 are both in
Reykjavik, B1 in Oslo. Each city has an open consultation with a survey, a
response with a free-text answer, a theme, a coding, a safeguarding flag, an
indicator, a quote, a finding citing the quote, a finished export, a hosted
session and an API token. The roles that walk: anonymous, an admin, a planner of
each city and a facilitator of A1 and of A2.

Every object of city A carries REYKJAVIK_MARK in its title or name, and every one
of city B OSLO_MARK; A1's organisation and session also carry A1_MARK, A2's
A2_MARK: a page showing another city's or organisation's object is caught by text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.fixtures import PASSWORD, csrf_token, send_survey, sign_in

CITY_A, CITY_B = "Reykjavik", "Oslo"
REYKJAVIK_MARK = "Reykjavikmark"
OSLO_MARK = "Oslomark"
A1_MARK = "Aonemark"
A2_MARK = "Atwomark"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
ROLES = ("anonymous", "admin", "planner_a", "planner_b", "facilitator_a1", "facilitator_a2")
USERNAMES = {
    "anonymous": None,
    "admin": "matrix.admin",
    "planner_a": "matrix.planner.a",
    "planner_b": "matrix.planner.b",
    "facilitator_a1": "matrix.facilitator.a1",
    "facilitator_a2": "matrix.facilitator.a2",
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as declared: /staff/surveys/{survey_id:int}/results
    names: tuple[str, ...]  # its path parameters

    def filled(self, values: dict[str, str]) -> str:
        path = self.path
        for name in self.names:
            assert name in values, f"no value for path parameter {name!r} of {self.path}"
            path = re.sub(r"\{" + name + r"(:[a-z]+)?\}", values[name], path)
        assert "{" not in path, path
        return path


def app_routes() -> list[Route]:
    """Every route of the app with every method it answers (HEAD, OPTIONS aside)."""
    from consult.app import create_app

    found = []
    for route in create_app().routes:
        for method in sorted(set(getattr(route, "methods", ())) - IGNORED_METHODS):
            found.append(Route(method, route.path, tuple(route.path_parameters)))
    return found


@dataclass
class City:
    """One city's objects, by the path parameter that names each."""

    ids: dict[str, int] = field(default_factory=dict)
    slug: str = ""
    join_code: str = ""
    token_secret: str = ""
    planner_id: int = 0

    def values(self) -> dict[str, str]:
        return {
            **{name: str(value) for name, value in self.ids.items()},
            "slug": self.slug,
            "code": self.join_code,
            "action": "accept",
            "number": "1",
            "secret": "no-such-invitation",
            "file_path": "css/site.css",
            "path": "swagger",
            # The walk's consultations are written in English, their main language.
            "locale": "en",
        }


@dataclass
class World:
    a: City
    b: City
    # The sessions of organisations A1 and A2 (both of city A's consultation).
    session_a1: int
    session_a2: int
    organisation_a2: int

    def values_for(self, role: str, own: bool) -> dict[str, str]:
        """Path values for `role`: its own objects when `own`, otherwise those it must
        not reach (the other city's; for a facilitator, the other organisation's
        session)."""
        if role == "planner_b":
            return (self.b if own else self.a).values()
        if role in ("facilitator_a1", "facilitator_a2"):
            mine, theirs = (
                (self.session_a1, self.session_a2)
                if role == "facilitator_a1"
                else (self.session_a2, self.session_a1)
            )
            values = (self.a if own else self.b).values()
            values["session_id"] = str(mine if own else theirs)
            if not own:
                values["organisation_id"] = str(self.organisation_a2)
            return values
        return (self.a if own else self.b).values()


MARKS = {
    "planner_a": (OSLO_MARK,),
    "planner_b": (REYKJAVIK_MARK,),
    "facilitator_a1": (OSLO_MARK, A2_MARK),
    "facilitator_a2": (OSLO_MARK, A1_MARK),
}


def leaked(role: str, text: str) -> list[str]:
    """The marks of objects `role` must not see that `text` shows (any case)."""
    folded = text.casefold()
    return [mark for mark in MARKS.get(role, ()) if mark.casefold() in folded]


def signed_in(client: Any, role: str) -> str:
    """The client as `role` from now on; a CSRF token of its session."""
    client.cookies.clear()
    username = USERNAMES[role]
    if username:
        assert sign_in(client, username).status_code == 303, username
    return csrf_token(client.get("/staff/login").text)


async def _export_finished(job_id: int) -> None:
    """Wait for an export that another worker runs to be done (a minute at most)."""
    import asyncio

    from consult.tables import Job

    for _ in range(600):
        row = await Job.select(Job.status).where(Job.id == job_id).first()
        if row and row["status"] == "done":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"export job {job_id} did not finish: {row}")


async def _city_objects(
    city: City, survey: Any, planner: Any, organisation_id: int, session_title: str, mark: str
) -> None:
    """The analysed objects of one city's survey, as its planner would make them."""
    from analysis import export_jobs, indicators, jobs, quotes
    from analysis.tables import Coding, FindingEvidence, SafeguardingFlag, TextAnswer, Theme
    from consult.services import api_tokens, hosted_sessions
    from consult.tables import Finding
    from surveys import services
    from surveys.tables import Response

    await jobs.analyse_all_pending()
    text_answer = (
        await TextAnswer.select(TextAnswer.id)
        .where(TextAnswer.question == survey.question_ids["text"])
        .first()
    )
    assert text_answer, "the text job analysed the answer"
    text_answer_id = text_answer["id"]
    theme = await Theme.insert(
        Theme(survey=survey.survey_id, key="safety", label=f"Safety {mark}", status="accepted")
    )
    coding = await Coding.insert(Coding(text_answer=text_answer_id, theme=theme[0]["id"]))
    flag = await SafeguardingFlag.insert(
        SafeguardingFlag(text_answer=text_answer_id, concern="threat")
    )
    spec = await services.load_spec(survey.survey_id)
    indicator_id = await indicators.create_indicator(
        spec,
        survey.question_ids["single"],
        f"Feel safe {mark}",
        [survey.option_ids["single"][0]],
    )
    quote_id = await quotes.approve(text_answer_id, f"A quote {mark}", planner.user_id)
    now = datetime.now(UTC)
    finding = await Finding.insert(
        Finding(
            consultation=survey.consultation_id,
            title=f"Finding {mark}",
            created_at=now,
            updated_at=now,
        )
    )
    evidence = await FindingEvidence.insert(
        FindingEvidence(finding=finding[0]["id"], kind="quote", quote=quote_id)
    )
    job_id = await export_jobs.queue_export(survey.survey_id, "xlsx", "en", planner.user_id)
    if not await export_jobs.run_next():
        await _export_finished(job_id)  # the app's own export worker took it first
    city.token_secret = await api_tokens.create_token(
        f"Token {mark}", planner.user_id, planner.city
    )
    data, errors = hosted_sessions.parse_form(
        {
            "consultation": str(survey.consultation_id),
            "organisation": str(organisation_id),
            "title": session_title,
            "date": "2026-03-14",
            "time": "17:30",
            "mode": "own_phones",
            "locale": "en",
        }
    )
    session_id = await hosted_sessions.create(planner, data, errors)
    city.join_code = (await hosted_sessions.session_by_id(session_id)).code
    city.ids.update(
        consultation_id=survey.consultation_id,
        survey_id=survey.survey_id,
        question_id=survey.question_ids["single"],
        theme_id=theme[0]["id"],
        coding_id=coding[0]["id"],
        flag_id=flag[0]["id"],
        text_answer_id=text_answer_id,
        finding_id=finding[0]["id"],
        evidence_id=evidence[0]["id"],
        indicator_id=indicator_id,
        quote_id=quote_id,
        job_id=job_id,
        organisation_id=organisation_id,
        session_id=session_id,
        token_id=await api_tokens.token_for_secret(city.token_secret),
        response_id=(
            await Response.select(Response.id).where(Response.survey == survey.survey_id).first()
        )["id"],
    )


async def _organisation(name: str, city: str) -> int:
    from consult.tables import Organisation

    rows = await Organisation.insert(Organisation(name=name, kind="youth", city=city))
    return rows[0]["id"]


@pytest.fixture(scope="module")
def world(client: Any, run: Callable[..., Any], make_survey: Callable[..., Any]) -> World:
    """Both cities, their staff and one of every object (see the module's doc)."""
    from consult.services import hosted_sessions
    from consult.services.staff import create_user, member
    from consult.tables import Role

    surveys = {
        CITY_A: make_survey(f"matrix-{REYKJAVIK_MARK.lower()}", city=CITY_A),
        CITY_B: make_survey(f"matrix-{OSLO_MARK.lower()}", city=CITY_B),
    }
    organisations = {
        "a1": run(_organisation, f"A1 Youth {A1_MARK} {REYKJAVIK_MARK}", CITY_A),
        "a2": run(_organisation, f"A2 Sports {A2_MARK} {REYKJAVIK_MARK}", CITY_A),
        "b1": run(_organisation, f"B1 Chess {OSLO_MARK}", CITY_B),
    }
    run(create_user, USERNAMES["admin"], PASSWORD, Role.admin)
    planners = {}
    for role, city in (("planner_a", CITY_A), ("planner_b", CITY_B)):
        user_id = run(create_user, USERNAMES[role], PASSWORD, Role.planner, city=city)
        planners[city] = run(member, user_id)
    facilitators = {}
    for name in ("a1", "a2"):
        user_id = run(
            create_user,
            USERNAMES[f"facilitator_{name}"],
            PASSWORD,
            Role.facilitator,
            organisations[name],
        )
        facilitators[name] = run(member, user_id)
    for city, survey in surveys.items():
        answers = {
            f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
            f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
            f"q{survey.question_ids['text']}": f"More youth workers in {city}, please.",
        }
        assert send_survey(client, survey.submit_url, answers).status_code == 303
    client.cookies.clear()
    cities = {CITY_A: City(slug=surveys[CITY_A].slug), CITY_B: City(slug=surveys[CITY_B].slug)}
    run(
        _city_objects,
        cities[CITY_A],
        surveys[CITY_A],
        planners[CITY_A],
        organisations["a1"],
        f"Reykjavik evening session {A1_MARK} {REYKJAVIK_MARK}",
        REYKJAVIK_MARK,
    )
    run(
        _city_objects,
        cities[CITY_B],
        surveys[CITY_B],
        planners[CITY_B],
        organisations["b1"],
        f"Oslo evening session {OSLO_MARK}",
        OSLO_MARK,
    )
    own_sessions = {}
    for name, title in (
        ("a1", f"A1 youth night {A1_MARK} {REYKJAVIK_MARK}"),
        ("a2", f"A2 match day {A2_MARK} {REYKJAVIK_MARK}"),
    ):
        data, errors = hosted_sessions.parse_form(
            {
                "consultation": str(surveys[CITY_A].consultation_id),
                "title": title,
                "date": "2026-03-15",
                "time": "18:00",
                "mode": "own_phones",
                "locale": "en",
            }
        )
        own_sessions[name] = run(hosted_sessions.create, facilitators[name], data, errors)
    client.cookies.clear()
    return World(
        a=cities[CITY_A],
        b=cities[CITY_B],
        session_a1=own_sessions["a1"],
        session_a2=own_sessions["a2"],
        organisation_a2=organisations["a2"],
    )


# Snapshots of the whole database


async def _table_names() -> list[str]:
    from consult.tables import Consultation
    from tests.conftest import ENGINE

    if ENGINE == "postgres":
        rows = await Consultation.raw(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        )
    else:
        rows = await Consultation.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    return sorted(row["name"] for row in rows)


async def snapshot() -> dict[str, str]:
    """A digest of every table's rows (SELECT * ORDER BY id), by table name."""
    from consult.tables import Consultation

    digests = {}
    for name in await _table_names():
        # The names come from the database's own catalogue, not from a request.
        rows = await Consultation.raw(f'SELECT * FROM "{name}" ORDER BY id')  # noqa: S608
        digests[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def each_route(routes: list[Route], methods: set[str]) -> Iterator[Route]:
    for route in routes:
        if route.method in methods:
            yield route

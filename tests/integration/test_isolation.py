"""One organisation's facilitator never reaches another organisation's sessions.

The test walks the app's own route table: every staff route, with every method it
answers, is requested by facilitator A with the path filled with organisation B's
objects, and must be refused (403 or 404, never a 2xx and never a 500). A route no
rule below classifies fails the test by its path, so a new staff route has to say
here what a facilitator may do with it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.fixtures import PASSWORD, csrf_token, sign_in

# What a facilitator may do on each staff route, by the route's declared path.
#   auth      signing in and out: no object, not walked
#   open      any staff member's own page (a dashboard, their own list, a blank form):
#             2xx to GET, and nothing of organisation B on it
#   session   one hosted session's page: refused for B's session, allowed for A's own
#   planners  planners and admins only: 403 for any facilitator
#   refused   another member's object (an export job): 403 or 404
RULES: tuple[tuple[str, str], ...] = (
    (r"/staff/login(/code)?", "auth"),
    (r"/staff/logout", "auth"),
    (r"/staff", "open"),
    (r"/staff/sessions", "open"),
    (r"/staff/sessions/new", "open"),
    (r"/staff/sessions/\{session_id:int\}(/[a-z-]+)?", "session"),
    (r"/staff/organisations(/.*)?", "planners"),
    (r"/staff/consultations(/.*)?", "planners"),
    (r"/staff/surveys/.*", "planners"),
    (r"/staff/findings/.*", "planners"),
    (r"/staff/indicators/.*", "planners"),
    (r"/staff/quotes/.*", "planners"),
    (r"/staff/text-answers/.*", "planners"),
    (r"/staff/api-tokens(/.*)?", "planners"),
    (r"/staff/account(/.*)?", "planners"),
    (r"/staff/outreach(/.*)?", "planners"),
    (r"/staff/exports/.*", "refused"),
)
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def classify(path: str) -> str | None:
    for pattern, kind in RULES:
        if re.fullmatch(pattern, path):
            return kind
    return None


def staff_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, declared path, path parameter names) of every staff route."""
    from consult.app import create_app

    found = []
    for route in create_app().routes:
        if not route.path.startswith("/staff"):
            continue
        for method in sorted(set(getattr(route, "methods", ())) - IGNORED_METHODS):
            found.append((method, route.path, tuple(route.path_parameters)))
    return found


@pytest.fixture(scope="module")
def world(client, run, make_survey):
    """Organisations A and B, each with a facilitator and a session; a planner."""
    from consult.services import hosted_sessions
    from consult.services.staff import create_user, member
    from consult.tables import Organisation, OrganisationKind, Role

    survey = make_survey("isolation")
    found: dict[str, object] = {"survey": survey}
    for name in ("a", "b"):
        rows = run(
            Organisation.insert(
                Organisation(
                    name=f"Organisation {name.upper()}",
                    kind=OrganisationKind.sports.value,
                    city="Reykjavik",
                )
            ).run
        )
        organisation_id = rows[0]["id"]
        user_id = run(
            create_user, f"facilitator.{name}", PASSWORD, Role.facilitator, organisation_id
        )
        staff = run(member, user_id)
        data, errors = hosted_sessions.parse_form(
            {
                "consultation": str(survey.consultation_id),
                "title": f"Session of organisation {name.upper()}",
                "date": "2026-03-14",
                "time": "17:30",
                "mode": "paper",
                "locale": "en",
                "groups": "Players",
            }
        )
        session_id = run(hosted_sessions.create, staff, data, errors)
        found[name] = {
            "organisation": organisation_id,
            "session": session_id,
            "code": run(hosted_sessions.session_by_id, session_id).code,
        }
    run(create_user, "planner.p", PASSWORD, Role.planner, city="Reykjavik")
    return found


def _path_values(world) -> dict[str, str]:
    """A value for each path parameter: B's objects where they are B's."""
    survey = world["survey"]
    return {
        "session_id": str(world["b"]["session"]),
        "organisation_id": str(world["b"]["organisation"]),
        "consultation_id": str(survey.consultation_id),
        "survey_id": str(survey.survey_id),
        "question_id": str(next(iter(survey.question_ids.values()))),
        # Objects behind planner-only routes: the guard refuses before any lookup.
        "theme_id": "1",
        "coding_id": "1",
        "flag_id": "1",
        "text_answer_id": "1",
        "finding_id": "1",
        "evidence_id": "1",
        "indicator_id": "1",
        "quote_id": "1",
        "response_id": "1",
        "job_id": "1",
        "token_id": "1",
        "action": "accept",
    }


def _fill(path: str, names: tuple[str, ...], values: dict[str, str]) -> str:
    for name in names:
        assert name in values, f"no value for path parameter {name!r} of {path}: add one"
        path = re.sub(r"\{" + name + r"(:[a-z]+)?\}", values[name], path)
    assert "{" not in path, path
    return path


def _signed_in(client, username: str) -> str:
    client.cookies.clear()
    assert sign_in(client, username).status_code == 303
    return csrf_token(client.get("/staff/sessions").text)


def _request(client, method: str, path: str, token: str, headers=None):
    if method == "GET":
        return client.get(path, headers=headers or {}, follow_redirects=False)
    return client.request(
        method, path, data={"_csrf_token": token}, headers=headers or {}, follow_redirects=False
    )


def test_every_staff_route_is_classified():
    unclassified = sorted({path for _, path, _ in staff_routes() if classify(path) is None})
    assert not unclassified, f"classify these staff routes in RULES: {unclassified}"


def test_facilitator_a_reaches_nothing_of_organisation_b(client, world):
    token = _signed_in(client, "facilitator.a")
    values = _path_values(world)
    b_title, b_code = "Session of organisation B", world["b"]["code"]
    problems = []
    for method, declared, names in staff_routes():
        kind = classify(declared)
        if kind in (None, "auth"):
            continue
        path = _fill(declared, names, values)
        response = _request(client, method, path, token)
        status = response.status_code
        if status >= 500:
            problems.append(f"{method} {path}: {status}")
        elif kind == "planners" and status != 403:
            problems.append(f"{method} {path}: {status}, expected 403")
        elif kind in ("session", "refused") and status not in (403, 404):
            problems.append(f"{method} {path}: {status}, expected 403 or 404")
        elif kind == "open" and method == "GET" and not 200 <= status < 300:
            problems.append(f"{method} {path}: {status}, expected 2xx")
        elif kind == "open" and method != "GET" and not 400 <= status < 500:
            # An empty form: refused with the form again, never a change.
            problems.append(f"{method} {path}: {status}, expected 4xx for an empty form")
        if 200 <= status < 300 and (b_title in response.text or b_code in response.text):
            problems.append(f"{method} {path}: shows organisation B's session")
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_facilitator_a_uses_every_page_of_their_own_session(client, world):
    values = {**_path_values(world), "session_id": str(world["a"]["session"])}
    problems = []
    for method, declared, names in staff_routes():
        if classify(declared) != "session":
            continue
        # Signed in afresh each time: kiosk mode, say, may change the device's session.
        token = _signed_in(client, "facilitator.a")
        path = _fill(declared, names, values)
        response = _request(client, method, path, token)
        status = response.status_code
        # Let through: a page, a redirect, or a refusal of the request itself (an
        # empty form, kiosk mode for a paper session), never of the member.
        if status >= 500 or status in (401, 403, 404):
            problems.append(f"{method} {path}: {status}, expected to be let through")
        if method == "GET" and "/kiosk" not in path and not 200 <= status < 300:
            problems.append(f"{method} {path}: {status}, expected 2xx")
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_a_polled_live_count_of_b_is_refused(client, world):
    _signed_in(client, "facilitator.a")
    poll = {"HX-Request": "true", "HX-Target": "live-count"}
    response = client.get(f"/staff/sessions/{world['b']['session']}/live", headers=poll)
    assert response.status_code in (403, 404)
    assert "live-number" not in response.text
    own = client.get(f"/staff/sessions/{world['a']['session']}/live", headers=poll)
    assert own.status_code == 200
    assert "live-number" in own.text
    client.cookies.clear()


def test_a_form_naming_organisation_b_is_refused(client, world, run):
    from consult.services import hosted_sessions

    token = _signed_in(client, "facilitator.a")
    form = {
        "_csrf_token": token,
        "consultation": str(world["survey"].consultation_id),
        "organisation": str(world["b"]["organisation"]),
        "title": "Moved to B",
        "date": "2026-03-15",
        "time": "10:00",
        "mode": "kiosk",
        "locale": "en",
    }
    new = client.post("/staff/sessions/new", data=form, follow_redirects=False)
    assert new.status_code == 422
    own = client.post(f"/staff/sessions/{world['a']['session']}", data=form, follow_redirects=False)
    assert own.status_code == 422
    theirs = client.post(
        f"/staff/sessions/{world['b']['session']}",
        data={**form, "organisation": str(world["a"]["organisation"])},
        follow_redirects=False,
    )
    assert theirs.status_code in (403, 404)
    session_a = run(hosted_sessions.session_by_id, world["a"]["session"])
    session_b = run(hosted_sessions.session_by_id, world["b"]["session"])
    assert session_a.organisation_id == world["a"]["organisation"]
    assert session_a.title == "Session of organisation A"
    assert session_b.title == "Session of organisation B"
    client.cookies.clear()


def test_the_list_shows_only_the_facilitators_organisation(client, world, run):
    from consult.services import hosted_sessions
    from surveys.tables import Response

    count_a = run(hosted_sessions.completed_count, world["a"]["session"])
    count_b = run(hosted_sessions.completed_count, world["b"]["session"])
    run(
        Response.insert(
            Response(
                survey=world["survey"].survey_id,
                submitted_at=datetime.now(UTC).replace(minute=0, second=0, microsecond=0),
                idempotency_key="isolation-b-1",
                hosted_session=world["b"]["session"],
            )
        ).run
    )
    _signed_in(client, "facilitator.a")
    listing = client.get("/staff/sessions").text
    assert "Session of organisation A" in listing
    assert "Session of organisation B" not in listing
    live_a = client.get(f"/staff/sessions/{world['a']['session']}/live").text
    assert f'id="live-number">{count_a}<' in live_a  # B's new response is not A's
    _signed_in(client, "planner.p")
    listing = client.get("/staff/sessions").text
    assert "Session of organisation A" in listing
    assert "Session of organisation B" in listing
    live_b = client.get(f"/staff/sessions/{world['b']['session']}/live").text
    assert f'id="live-number">{count_b + 1}<' in live_b
    client.cookies.clear()

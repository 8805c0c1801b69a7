"""Who reaches what, walked over the app's own route table.

Every route, with every method it answers, is requested by each role (anonymous,
an admin, a planner of Reykjavik and of Oslo, a facilitator of organisations A1
and A2, both in Reykjavik), with the path filled with objects the role must not
reach: the other city's, or the other organisation's session. A route that no
rule in RULES classifies fails the test by its path, and so does any
unauthorised 2xx. The admin and the owning planner (or facilitator) get a page
for their own objects, and no page anyone may see shows another city's or
organisation's object (caught by the marks in its titles, see access_world).

This replaces the facilitator-only walk of test_isolation, whose form and live
count checks stay there.
"""

from __future__ import annotations

import re

import pytest

from tests.integration.access_world import (
    MARKS,
    OSLO_MARK,
    REYKJAVIK_MARK,
    ROLES,
    USERNAMES,
    Route,
    app_routes,
    leaked,
    signed_in,
    world,  # noqa: F401 - the module's fixture
)

# What each role may do on each route, by the route's declared path (first match).
#   public        anyone, no staff object: residents' pages, the join and withdraw
#                 forms, static files; walked for 5xx only
#   schema        the OpenAPI schema (its access is the API-schema slice's): no 5xx
#   sign_in       signing in and out: not walked (it changes who the client is)
#   own_account   an admin's or planner's own account (its second factor); 403 for
#                 a facilitator
#   staff_page    any staff member, no object (dashboard, their sessions, a blank
#                 session form): a page to GET, a 4xx for an empty POST
#   planner_page  admins and planners, no object (lists and blank forms)
#   admin_page    admins only, no object (the audit log)
#   admin_object  admins only, an object of any city
#   session       one hosted session: its organisation's facilitators, its city's
#                 planners, admins
#   own_job       an export: the planner who asked for it (in the job's city), admins
#   city_object   an object of one city: that city's planners, admins
#   api           the JSON API: a bearer token of the object's city, never a cookie
RULES: tuple[tuple[str, str], ...] = (
    (r"/healthz|/|/c/.*|/join|/j/\{code:str\}|/kiosk/(clear|exit)", "public"),
    (r"/invite/\{secret:str\}|/withdraw(/[a-z]+)?|/static/.*", "public"),
    (r"/language(/\{locale:str\})?|/easy-read", "public"),
    (r"/schema(/.*)?", "schema"),
    (r"/staff/login(/code)?|/staff/logout", "sign_in"),
    (r"/staff/account(/.*)?", "own_account"),
    (r"/staff|/staff/sessions|/staff/sessions/new", "staff_page"),
    (r"/staff/sessions/\{session_id:int\}(/[a-z-]+)?", "session"),
    (r"/staff/(consultations|consultations/new|organisations|organisations/new)", "planner_page"),
    (r"/staff/api-tokens", "planner_page"),
    (r"/staff/audit", "admin_page"),
    (r"/staff/text-answers/\{text_answer_id:int\}/original", "admin_object"),
    (r"/staff/exports/\{job_id:int\}(/download)?", "own_job"),
    (
        r"/staff/(consultations|surveys|findings|indicators|quotes|text-answers"
        r"|organisations|api-tokens)/\{.*",
        "city_object",
    ),
    (r"/api/v1/.*", "api"),
)
STAFF_ROLES = tuple(role for role in ROLES if role != "anonymous")
# What a planner of Reykjavik types in a city field it should not have.
CITY_ELSEWHERE = "Oslo"
FACILITATORS = ("facilitator_a1", "facilitator_a2")
PLANNERS = ("planner_a", "planner_b")
# GETs an owner is let through to but that answer with something other than a page:
# each with the reason.
OWNER_GET_EXCEPTIONS = {
    # Kiosk mode is for a kiosk session: the walk's sessions are for own phones, so
    # its page says it cannot start here (409), which is not a refusal of the member.
    "/staff/sessions/{session_id:int}/kiosk": {200, 409},
    # The workbook's old address: exports are asked for by POST on the results page.
    "/staff/surveys/{survey_id:int}/export.xlsx": {303},
}


PUBLIC_KINDS = ("public", "schema", "sign_in")
OBJECT_KINDS = ("city_object", "own_job", "session", "admin_object")


def walk_order(routes: list[Route]) -> list[Route]:
    """Staff routes first, public ones last: a public page may end the device's
    staff session (leaving kiosk mode clears it), which would refuse the rest."""
    return sorted(routes, key=lambda route: classify(route.path) in PUBLIC_KINDS)


def classify(path: str) -> str | None:
    for pattern, kind in RULES:
        if re.fullmatch(pattern, path):
            return kind
    return None


def _refused(kind: str, role: str, method: str, response) -> str | None:
    """Why `response` is wrong for `role`, which must not reach the object, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if kind in ("public", "schema", "sign_in"):
        return None
    if kind == "api":
        return None if status == 401 else f"{status}, expected 401 without a token"
    if role == "anonymous":
        to_sign_in = status == 303 and response.headers["location"].startswith("/staff/login")
        ok = to_sign_in if method == "GET" else status in (401, 403)
        return None if ok else f"{status}, expected to be sent to sign in"
    if kind == "staff_page":
        return _allowed(method, response)
    if kind in ("planner_page", "own_account"):
        if role in FACILITATORS:
            return None if status == 403 else f"{status}, expected 403 for a facilitator"
        return _allowed(method, response)
    if kind in ("admin_page", "admin_object"):
        if role == "admin":
            return _allowed(method, response) if kind == "admin_page" else None
        return None if status == 403 else f"{status}, expected 403 for a {role}"
    if kind in ("city_object", "own_job") and role in FACILITATORS:
        return None if status == 403 else f"{status}, expected 403 for a facilitator"
    if role == "admin":
        return None  # the admin's own walk below checks every object
    # Another city's object, another organisation's session: as if it did not exist.
    return None if status == 404 else f"{status}, expected 404"


def _allowed(method: str, response) -> str | None:
    """A page for a GET; for an empty POST, the form back with an error (4xx), never
    a refusal of the member."""
    status = response.status_code
    if method == "GET":
        return None if 200 <= status < 300 else f"{status}, expected 2xx"
    if status in (401, 403, 404) or not 400 <= status < 500:
        return f"{status}, expected 4xx for an empty form"
    return None


def _request(client, method: str, path: str, token: str):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    return client.request(method, path, data={"_csrf_token": token}, follow_redirects=False)


def test_every_route_has_a_rule():
    unclassified = sorted({r.path for r in app_routes() if classify(r.path) is None})
    assert not unclassified, f"say in RULES who may use these routes: {unclassified}"


def test_the_walk_covers_every_role_and_kind():
    kinds = {classify(r.path) for r in app_routes()}
    assert {"city_object", "session", "planner_page", "api", "own_job"} <= kinds
    assert set(MARKS) == {"planner_a", "planner_b", *FACILITATORS}
    assert set(USERNAMES) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reaches_what_is_not_theirs(client, world, role):  # noqa: F811
    token = signed_in(client, role)
    values = world.values_for(role, own=False)
    problems = []
    for route in walk_order(app_routes()):
        kind = classify(route.path)
        if kind in (None, "sign_in"):
            continue
        if role == "admin" and route.method != "GET" and kind in OBJECT_KINDS:
            # The admin may change city B's objects, and would: the walks need them.
            continue
        path = route.filled(values)
        response = _request(client, route.method, path, token)
        wrong = _refused(kind, role, route.method, response)
        if wrong:
            problems.append(f"{role} {route.method} {path} ({kind}): {wrong}")
        # Residents' pages are public: every open consultation is there for anyone.
        shown = kind not in PUBLIC_KINDS and 200 <= response.status_code < 300
        if shown and (marks := leaked(role, response.text)):
            problems.append(f"{role} {route.method} {path}: shows {marks}")
    client.cookies.clear()
    assert not problems, "\n".join(problems)


OWN_WALKS = (
    ("admin", True),  # city A's objects
    ("admin", False),  # city B's
    ("planner_a", True),
    ("planner_b", True),
    ("facilitator_a1", True),
    ("facilitator_a2", True),
)


def _own_kinds(role: str) -> set[str]:
    if role == "admin":
        return {
            "city_object",
            "own_job",
            "session",
            "staff_page",
            "planner_page",
            "admin_page",
            "own_account",
        }
    if role in PLANNERS:
        return {"city_object", "own_job", "session", "staff_page", "planner_page", "own_account"}
    return {"session", "staff_page"}


@pytest.mark.parametrize(("role", "own"), OWN_WALKS)
def test_owners_get_a_page_for_every_object_of_theirs(client, world, role, own):  # noqa: F811
    """Every GET of an object the role may reach answers with a page, and that page
    shows nothing of another city or organisation."""
    signed_in(client, role)
    values = world.values_for(role, own=own)
    problems = []
    for route in app_routes():
        kind = classify(route.path)
        if route.method != "GET" or kind not in _own_kinds(role):
            continue
        path = route.filled(values)
        response = client.get(path, follow_redirects=False)
        allowed = OWNER_GET_EXCEPTIONS.get(route.path)
        ok = response.status_code in allowed if allowed else 200 <= response.status_code < 300
        if not ok:
            problems.append(f"{role} GET {path} ({kind}): {response.status_code}")
        elif marks := leaked(role, response.text):
            problems.append(f"{role} GET {path}: shows {marks}")
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_the_owner_check_lets_owners_through_on_every_route(client, run, world):  # noqa: F811
    """Unsafe routes too (whose real POSTs would change the objects the walks need):
    the object check itself lets the owner and the admin through, and nobody else."""
    from consult import ownership
    from consult.services.staff import member

    def as_member(role):
        from piccolo.apps.user.tables import BaseUser

        user = run(BaseUser.select(BaseUser.id).where(BaseUser.username == USERNAMES[role]).first)
        return run(member, user["id"])

    def ints(route: Route, values: dict[str, str]) -> dict[str, int]:
        return {name: int(values[name]) for name in route.names if name.endswith("_id")}

    admin, planner_a, planner_b = (as_member(r) for r in ("admin", "planner_a", "planner_b"))
    problems = []
    for route in app_routes():
        if classify(route.path) not in ("city_object", "own_job", "session", "admin_object"):
            continue
        for who, values, expected in (
            (admin, world.a.values(), True),
            (admin, world.b.values(), True),
            (planner_a, world.a.values(), True),
            (planner_a, world.b.values(), False),
            (planner_b, world.b.values(), True),
            (planner_b, world.a.values(), False),
        ):
            if run(ownership.reachable, who, ints(route, values)) is not expected:
                problems.append(f"{who.username} {route.method} {route.path}: not {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/staff/consultations/{a[consultation_id]}/surveys/{b[survey_id]}/preview", "survey"),
        (
            "/staff/consultations/{a[consultation_id]}/surveys/{a[survey_id]}"
            "/questions/{b[question_id]}",
            "question",
        ),
        ("/staff/surveys/{a[survey_id]}/text/themes/{b[theme_id]}/review", "theme"),
        ("/staff/findings/{a[finding_id]}/evidence/{b[evidence_id]}/delete", "evidence"),
    ],
)
def test_ids_that_do_not_belong_together_name_nothing(client, world, path, reason):  # noqa: F811
    """Even for an admin, who reaches both cities: a survey of another consultation
    (or a theme of another survey ...) in the same path is not found."""
    token = signed_in(client, "admin")
    filled = path.format(a=world.a.ids, b=world.b.ids)
    method = "POST" if filled.endswith("/delete") else "GET"
    response = _request(client, method, filled, token)
    assert response.status_code == 404, (reason, response.status_code)
    client.cookies.clear()


def test_a_planners_lists_show_their_city_only(client, world):  # noqa: F811
    signed_in(client, "planner_a")
    for page in ("/staff", "/staff/organisations", "/staff/sessions", "/staff/api-tokens"):
        text = client.get(page).text
        assert REYKJAVIK_MARK.casefold() in text.casefold(), page
        assert OSLO_MARK.casefold() not in text.casefold(), page
    signed_in(client, "admin")
    for page in ("/staff", "/staff/organisations", "/staff/sessions"):
        text = client.get(page).text.casefold()
        assert REYKJAVIK_MARK.casefold() in text, page
        assert OSLO_MARK.casefold() in text, page
    client.cookies.clear()


def test_a_planners_new_consultation_is_their_citys(client, run, world):  # noqa: F811
    from consult.services import consultations

    token = signed_in(client, "planner_a")
    form = client.get("/staff/consultations/new").text
    assert 'name="city"' not in form
    made = client.post(
        "/staff/consultations",
        data={
            "_csrf_token": token,
            "slug": "planned-in-reykjavik",
            "title": "Planned in Reykjavik",
            "purpose": "Why.",
            "city": CITY_ELSEWHERE,
            "run_by": "City of Reykjavik",
            "data_use": "Planners read it.",
            "minutes": "5",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert run(consultations.by_slug, "planned-in-reykjavik").city == "Reykjavik"
    signed_in(client, "admin")
    assert 'name="city"' in client.get("/staff/consultations/new").text
    client.cookies.clear()


def test_a_session_form_naming_another_citys_objects_is_refused(client, run, world):  # noqa: F811
    """A planner cannot host a session of another city's consultation or for another
    city's organisation; a facilitator cannot choose another city's consultation."""
    from consult.tables import HostedSession

    before = run(HostedSession.count().run)
    form = {
        "title": "Across the border",
        "date": "2026-04-01",
        "time": "10:00",
        "mode": "own_phones",
        "locale": "en",
    }
    for role, consultation, organisation in (
        ("planner_a", world.b.ids["consultation_id"], world.a.ids["organisation_id"]),
        ("planner_a", world.a.ids["consultation_id"], world.b.ids["organisation_id"]),
        ("facilitator_a1", world.b.ids["consultation_id"], ""),
    ):
        token = signed_in(client, role)
        page = client.get("/staff/sessions/new").text
        assert OSLO_MARK.casefold() not in page.casefold()
        refused = client.post(
            "/staff/sessions/new",
            data={
                **form,
                "_csrf_token": token,
                "consultation": str(consultation),
                "organisation": str(organisation),
            },
            follow_redirects=False,
        )
        assert refused.status_code == 422, role
        assert "Across the border" in refused.text  # what they typed is kept
    assert run(HostedSession.count().run) == before
    client.cookies.clear()


def test_a_planner_adds_organisations_of_their_own_city_only(client, run, world):  # noqa: F811
    from consult.tables import Organisation

    token = signed_in(client, "planner_a")
    refused = client.post(
        "/staff/organisations",
        data={"_csrf_token": token, "name": "Far away club", "kind": "sports", "city": "Oslo"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "Far away club" in refused.text
    assert not run(Organisation.exists().where(Organisation.name == "Far away club").run)
    client.cookies.clear()


API_ROUTES = [r for r in app_routes() if r.path.startswith("/api/")]


def test_an_api_token_reads_its_own_city_only(client, run, world):  # noqa: F811
    from consult.services import api_tokens

    every_city = run(api_tokens.create_token, "Admin feed", None, "")
    client.cookies.clear()
    problems = []
    for secret, values, expected in (
        (world.a.token_secret, world.a.values(), 200),
        (world.a.token_secret, world.b.values(), 404),
        (world.b.token_secret, world.b.values(), 200),
        (world.b.token_secret, world.a.values(), 404),
        (every_city, world.a.values(), 200),
        (every_city, world.b.values(), 200),
    ):
        for route in API_ROUTES:
            if not route.names:
                continue
            path = route.filled(values)
            response = client.get(path, headers={"Authorization": f"Bearer {secret}"})
            if response.status_code != expected:
                problems.append(f"GET {path}: {response.status_code}, expected {expected}")
    assert not problems, "\n".join(problems)
    listed = {
        name: client.get(
            "/api/v1/consultations", headers={"Authorization": f"Bearer {secret}"}
        ).json()
        for name, secret in (("a", world.a.token_secret), ("all", every_city))
    }
    assert [c["city"] for c in listed["a"]["consultations"]] == ["Reykjavik"]
    assert {c["city"] for c in listed["all"]["consultations"]} == {"Reykjavik", "Oslo"}


def test_a_planner_with_no_city_reaches_nothing(client, run, world):  # noqa: F811
    """Fail closed: a planner whose city was never set is not an admin."""
    from consult.services.staff import create_user
    from consult.tables import Role
    from tests.fixtures import PASSWORD, page_text, sign_in

    run(create_user, "matrix.cityless", PASSWORD, Role.planner)
    client.cookies.clear()
    assert sign_in(client, "matrix.cityless").status_code == 303
    assert "on no city's team" in page_text(client.get("/staff").text)
    for path in ("/staff", "/staff/organisations", "/staff/sessions", "/staff/api-tokens"):
        text = client.get(path).text.casefold()
        assert REYKJAVIK_MARK.casefold() not in text, path
        assert OSLO_MARK.casefold() not in text, path
    survey = world.a.ids["survey_id"]
    assert client.get(f"/staff/surveys/{survey}/results").status_code == 404
    assert client.get("/staff/consultations/new").status_code == 403
    client.cookies.clear()


def test_a_findings_form_naming_another_citys_objects_is_refused(client, run, world):  # noqa: F811
    """Evidence and partners are form fields, not path ids: the services check them
    against the finding's own consultation and city."""
    from analysis.tables import FindingEvidence
    from consult.tables import FindingPartner

    token = signed_in(client, "planner_a")
    finding = world.a.ids["finding_id"]
    evidence_before = run(FindingEvidence.count().run)
    for kind, field, value in (
        ("question", "question", world.b.ids["question_id"]),
        ("quote", "quote", world.b.ids["quote_id"]),
        ("theme", "theme", world.b.ids["theme_id"]),
        ("indicator", "indicator", world.b.ids["indicator_id"]),
    ):
        refused = client.post(
            f"/staff/findings/{finding}/evidence",
            data={"_csrf_token": token, "kind": kind, field: str(value)},
            follow_redirects=False,
        )
        assert refused.status_code == 422, kind
        assert OSLO_MARK.casefold() not in refused.text.casefold()
    assert run(FindingEvidence.count().run) == evidence_before
    refused = client.post(
        f"/staff/findings/{finding}",
        data={
            "_csrf_token": token,
            "title": "Partnered across the border",
            "strategy_area": "Alliances and partnerships",
            "priority": "medium",
            "status": "proposed",
            "partners": str(world.b.ids["organisation_id"]),
        },
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "Partnered across the border" in refused.text
    assert not run(
        FindingPartner.exists()
        .where(FindingPartner.organisation == world.b.ids["organisation_id"])
        .run
    )
    client.cookies.clear()


# The empty POSTs of the owners' walk below that change or remove their object, in
# the order they may run: each removes what a later one does not need.
DESTRUCTIVE_LAST = (
    "/staff/findings/{finding_id:int}/evidence/{evidence_id:int}/delete",
    "/staff/findings/{finding_id:int}/delete",
    "/staff/quotes/{quote_id:int}/delete",
    "/staff/indicators/{indicator_id:int}/delete",
    "/staff/api-tokens/{token_id:int}/revoke",
    "/staff/consultations/{consultation_id:int}/surveys/{survey_id:int}/questions"
    "/{question_id:int}/delete",
)


# Handlers that answer an empty form with 404, as for a wrong value in the path: the
# object check passed (test_the_owner_check_lets_owners_through_on_every_route),
# the request names nothing to do.
EMPTY_FORM_NOT_FOUND = {
    # No status, or one that is not a status.
    "/staff/consultations/{consultation_id:int}/status",
    # No direction to move the question in.
    "/staff/consultations/{consultation_id:int}/surveys/{survey_id:int}/questions"
    "/{question_id:int}/move",
    # The walk's theme is accepted already; "accept" applies to a suggestion.
    "/staff/surveys/{survey_id:int}/text/themes/{theme_id:int}/{action:str}",
    # No decision (confirm or reject) for the coding.
    "/staff/surveys/{survey_id:int}/text/themes/{theme_id:int}/review/{coding_id:int}",
    # The walk's response counts already; only a held one can be counted or kept out.
    "/staff/surveys/{survey_id:int}/quarantine/{response_id:int}/count",
    "/staff/surveys/{survey_id:int}/quarantine/{response_id:int}/keep-out",
}


def test_owners_are_let_through_on_every_unsafe_route(client, world):  # noqa: F811
    """The owning planner's (or facilitator's) empty POST to each of their objects is
    answered by the handler, not refused: a redirect, a page, or the form back with
    an error. Runs last: some of these remove their object."""
    order = {path: index for index, path in enumerate(DESTRUCTIVE_LAST, start=1)}
    problems = []
    for role in ("planner_a", "facilitator_a1"):
        kinds = OBJECT_KINDS if role == "planner_a" else ("session",)
        routes = [
            route
            for route in app_routes()
            if route.method == "POST" and classify(route.path) in kinds
        ]
        for route in sorted(routes, key=lambda route: order.get(route.path, 0)):
            if classify(route.path) == "admin_object":
                continue
            # Signed in afresh each time: starting kiosk mode ends the staff session.
            token = signed_in(client, role)
            path = route.filled(world.values_for(role, own=True))
            response = _request(client, "POST", path, token)
            refusals = (401, 403) if route.path in EMPTY_FORM_NOT_FOUND else (401, 403, 404)
            if response.status_code >= 500 or response.status_code in refusals:
                problems.append(f"{role} POST {path}: {response.status_code}")
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_createuser_refuses_a_planner_without_a_city(run, world):  # noqa: F811
    from piccolo.apps.user.tables import BaseUser

    from tests.fixtures import consult_cli

    refused = consult_cli("createuser", "matrix.nowhere", "--role", "planner")
    assert refused.returncode != 0
    assert "--city" in refused.stderr
    assert not run(BaseUser.exists().where(BaseUser.username == "matrix.nowhere").run)

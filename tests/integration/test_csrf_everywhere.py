"""CSRF on every unsafe method, walked over the app's own route table.

Every route that answers an unsafe method is sent POST, PUT, PATCH and DELETE
without a CSRF token and with a token of another browser's session, as anonymous
and as a signed-in planner on their own city's objects (so that a request let
through would change something): every one is refused, and nothing is stored.
The anonymous survey submit is one of them. test_forged_forms checks what a
resident and a planner read when it happens.
"""

from __future__ import annotations

import pytest

from tests.fixtures import csrf_token
from tests.integration.access_world import (
    Route,
    app_routes,
    changed_tables,
    signed_in,
    snapshot,
    world,  # noqa: F401 - the module's fixture
)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Tables a refused request may still change, with the reason.
ALLOWED = {
    # Counting attempts is not a change of anyone's data.
    "rate_limit": "rate-limit counters",
}


def unsafe_routes() -> dict[str, tuple[set[str], tuple[str, ...]]]:
    """Declared path -> (the unsafe methods it answers, its path parameters)."""
    found: dict[str, tuple[set[str], tuple[str, ...]]] = {}
    for route in app_routes():
        if route.method in UNSAFE:
            methods, _ = found.setdefault(route.path, (set(), route.names))
            methods.add(route.method)
    return found


def _other_sessions_token(client, role: str) -> str:
    """A CSRF token that is valid, but for another browser's session."""
    token = signed_in(client, role)
    signed_in(client, role)  # a new session, with a new CSRF cookie
    return token


@pytest.mark.parametrize("role", ["anonymous", "planner_a"])
@pytest.mark.parametrize("forgery", ["no token", "another session's token"])
def test_every_unsafe_request_without_its_token_is_refused(
    client,
    run,
    world,  # noqa: F811
    role,
    forgery,
):
    token = _other_sessions_token(client, role) if forgery != "no token" else None
    if token is None:
        signed_in(client, role)
    values = world.values_for(role, own=True)
    routes = unsafe_routes()
    assert len(routes) > 40, "the route table was read"
    problems = []
    before = run(snapshot)
    for declared, (methods, names) in sorted(routes.items()):
        path = Route("POST", declared, names).filled(values)
        for method in UNSAFE:
            data = {"_csrf_token": token} if token else {}
            response = client.request(method, path, data=data, follow_redirects=False)
            # A method the route does not answer is refused before anything runs.
            expected = (403,) if method in methods else (403, 405)
            if response.status_code not in expected:
                problems.append(f"{role} {method} {path}: {response.status_code}")
        after = run(snapshot)
        changed = [name for name in changed_tables(before, after) if name not in ALLOWED]
        if changed:
            problems.append(f"{role} {declared}: stored something in {changed}")
        before = after
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_the_walk_includes_the_anonymous_survey_submit(client, world):  # noqa: F811
    routes = unsafe_routes()
    assert "POST" in routes["/c/{slug:str}/surveys/{survey_id:int}/submit"][0]
    assert "POST" in routes["/staff/consultations/{consultation_id:int}/status"][0]


def test_a_request_with_its_own_token_is_let_through(client, run, world):  # noqa: F811
    """The control: the same planner with the token of their own session changes a
    consultation's status, so a refusal above is the missing token's doing."""
    from consult.services import consultations

    signed_in(client, "planner_a")
    consultation_id = world.a.ids["consultation_id"]
    for status in ("closed", "open"):
        page = client.get(f"/staff/consultations/{consultation_id}").text
        changed = client.post(
            f"/staff/consultations/{consultation_id}/status",
            data={"_csrf_token": csrf_token(page), "status": status},
            follow_redirects=False,
        )
        assert changed.status_code == 303
        assert run(consultations.by_id, consultation_id).status == status
    client.cookies.clear()

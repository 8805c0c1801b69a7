"""No GET changes anything: every GET route of the app, as every role, on its own
objects and on objects it must not reach, leaves every table of the database as
it was (a digest of each table's rows, SELECT * ORDER BY id, before and after).

A GET is what a link, a prefetch, an image tag or a crawler sends; anything that
changes state must be a POST with a CSRF token. The only writes allowed are in
ALLOWED below, each with its reason, and a GET route of the app that is not
walked fails the test.
"""

from __future__ import annotations

import pytest

from tests.integration.access_world import (
    ROLES,
    app_routes,
    changed_tables,
    signed_in,
    snapshot,
    world,  # noqa: F401 - the module's fixture
)

# Tables any GET may change, with the reason.
ALLOWED_EVERYWHERE = {
    # Counting attempts (join codes tried, say) is not a change of anyone's data,
    # and a limit that a GET could not count would be one a script walks around.
    "rate_limit": "rate-limit counters",
}
# Tables one GET route may change, by its declared path, with the reason.
EXPORT_AUDIT = {"audit_event": "an export is audited as it is downloaded (kept by design)"}
ALLOWED: dict[str, dict[str, str]] = {
    # A survey's definition and a codebook leave the app as files: who took them is
    # recorded like any other export, the one write a GET keeps.
    "/staff/consultations/{consultation_id:int}/surveys/{survey_id:int}/definition.json": (
        EXPORT_AUDIT
    ),
    "/staff/surveys/{survey_id:int}/text/codebook/export.json": EXPORT_AUDIT,
}
# GET routes not walked, with the reason.
NOT_WALKED = {
    # Signing in writes the audit trail and a new session: done by POST; the GET
    # only shows the form, and is walked as a public page by the access matrix.
}


def _get_routes():
    """Staff pages first: a public page may end the device's staff session."""
    routes = [route for route in app_routes() if route.method == "GET"]
    return sorted(routes, key=lambda route: not route.path.startswith("/staff"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("own", [True, False], ids=["own", "not-own"])
def test_no_get_changes_the_database(client, run, world, role, own):  # noqa: F811
    signed_in(client, role)
    values = world.values_for(role, own=own)
    problems = []
    before = run(snapshot)
    for route in _get_routes():
        if route.path in NOT_WALKED:
            continue
        path = route.filled(values)
        response = client.get(path, follow_redirects=False)
        after = run(snapshot)
        allowed = {**ALLOWED_EVERYWHERE, **ALLOWED.get(route.path, {})}
        changed = [name for name in changed_tables(before, after) if name not in allowed]
        if changed:
            problems.append(f"{role} GET {path} ({response.status_code}) changed {changed}")
        before = after
        if response.status_code == 303 and "/staff/login" in response.headers["location"]:
            # A public page ended the staff session (leaving kiosk mode does): sign in
            # again so that the rest is walked as the role.
            signed_in(client, role)
            before = run(snapshot)
    client.cookies.clear()
    assert not problems, "\n".join(problems)


def test_every_get_route_is_walked():
    paths = {route.path for route in _get_routes()}
    assert len(paths) > 60, "the route table was read"
    assert not set(NOT_WALKED) - paths, "NOT_WALKED names a route that is gone"
    assert not set(ALLOWED) - paths, "ALLOWED names a route that is gone"

"""An id in an address that no table can hold (2^31 and above, which PostgreSQL's
integer cannot store, or 2^63, which neither engine can) names nothing: every route
of the app answers 400 or 404 for it, never a 500 from the database."""

from __future__ import annotations

from tests.fixtures import csrf_token, sign_in

IMPOSSIBLE = (2**31, 2**63, 2**64 + 1)


def id_routes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, declared path, its int path parameters) of every route with an id."""
    from consult.app import create_app

    found = []
    for route in create_app().routes:
        ints = tuple(
            name
            for name, definition in route.path_parameters.items()
            if getattr(definition, "type", None) is int
        )
        if ints:
            for method in sorted(set(getattr(route, "methods", ())) - {"HEAD", "OPTIONS"}):
                found.append((method, route.path, ints))
    return found


def test_every_route_with_an_id_refuses_one_no_table_can_hold(client, make_staff):
    make_staff("ids.admin", "admin")
    assert sign_in(client, "ids.admin").status_code == 303
    token = csrf_token(client.get("/staff").text)
    routes = id_routes()
    assert len(routes) > 40, "the route table was read"
    problems = []
    for method, declared, names in routes:
        for impossible in IMPOSSIBLE:
            path = declared
            for name in names:
                path = path.replace(f"{{{name}:int}}", str(impossible))
            data = {"_csrf_token": token} if method != "GET" else None
            response = client.request(method, path, data=data, follow_redirects=False)
            # The API asks for its token first (test_api_fuzz sends one with such ids).
            allowed = (400, 401, 404) if path.startswith("/api/") else (400, 404)
            if response.status_code not in allowed:
                problems.append(f"{method} {path}: {response.status_code}")
    client.cookies.clear()
    assert not problems, "\n".join(problems)

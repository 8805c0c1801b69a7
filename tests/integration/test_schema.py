"""The OpenAPI schema is the JSON API's alone: public (it is the published
description of the read-only API and holds no data), it lists every /api/ route of
the app's route table and no other, and it is served as JSON or YAML only. Every
documentation viewer Litestar offers (each pulls scripts from a CDN) answers 404,
and nothing under /schema loads anything from another origin."""

from __future__ import annotations

import json
import re

import pytest

VIEWERS = ("swagger", "redoc", "elements", "rapidoc", "scalar", "oauth2-redirect.html")
DOCUMENTS = ("/schema/openapi.json", "/schema/openapi.yaml", "/schema/openapi.yml", "/schema")


def _route_paths(prefix: str) -> set[str]:
    """The app's GET paths, as the schema writes them ({name} without its type)."""
    from consult.app import create_app

    return {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for route in create_app().routes
        if "GET" in getattr(route, "methods", ()) and route.path.startswith(prefix)
    }


def test_the_schema_lists_every_api_route_and_nothing_else(client):
    client.cookies.clear()
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    api = _route_paths("/api/")
    assert len(api) >= 5, "the route table was read"
    assert set(schema["paths"]) == api
    # No page of the app is described (the description names where tokens are made).
    described = json.dumps({**schema, "info": {}})
    for page in ("/staff", "/c/", "/join", "/healthz", "/static"):
        assert page not in described, page


def test_the_schema_is_public_and_sets_nothing(client):
    client.cookies.clear()
    for path in DOCUMENTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "/api/v1/consultations" in response.text, path


@pytest.mark.parametrize("viewer", VIEWERS)
def test_no_documentation_viewer_is_served(client, viewer):
    client.cookies.clear()
    for path in (f"/schema/{viewer}", f"/schema/{viewer}/", f"/schema/{viewer}/index.html"):
        response = client.get(path)
        assert response.status_code == 404, path
        # The 404 page's language links carry the address back (?next=); no viewer's
        # code or stylesheet is on the page.
        page = re.sub(r'href="[^"]*"', "", response.text.lower())
        assert "swagger" not in page, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


def test_nothing_under_schema_comes_from_another_origin(client):
    client.cookies.clear()
    for path in (*DOCUMENTS, *(f"/schema/{viewer}/index.html" for viewer in VIEWERS)):
        lowered = client.get(path).text.lower()
        for origin in ("cdn", "unpkg", "jsdelivr", "googleapis", 'src="http', 'src="//'):
            assert origin not in lowered, (path, origin)
        assert not re.search(r'<link[^>]+href="(https?:)?//', lowered), path

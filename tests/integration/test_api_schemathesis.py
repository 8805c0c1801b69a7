"""schemathesis against the JSON API's own OpenAPI schema: every /api/ operation,
with requests generated from the schema (path ids, query values, headers), with a
valid token and without one. No answer is a 5xx; with a token every answer
conforms to the schema and is JSON; without one every answer is a JSON 401.

The schema is the running app's (app.openapi_schema), not what /schema serves, so
this holds whatever that address shows. The data is tests/integration/test_api's
world: answers with small groups, themes, a quote, an indicator and a finding.
Bounded (max_examples per operation) and deterministic (derandomize).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.test_api import build_world

API = "/api/"
FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def world(client, run, make_survey, make_staff):
    return build_world(client, run, make_survey, make_staff, "schemathesis")


@pytest.fixture(scope="module")
def token(run, world) -> str:
    from consult.services import api_tokens

    return run(api_tokens.create_token, "Schemathesis", None)


@pytest.fixture(scope="module")
def operations(client, world):
    """Every operation of the API, as schemathesis reads the app's schema."""
    raw = client.app.openapi_schema.to_schema()
    schema = schemathesis.openapi.from_dict(raw).include(path_regex=f"^{API}")
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 6, [operation.label for operation in found]
    return found


def _send(client, case, authorization: str | None):
    """The generated request, through the app's own test client, without cookies."""
    client.cookies.clear()
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
    headers = dict(kwargs.get("headers") or {})
    headers.pop("Authorization", None)
    if authorization is not None:
        headers["Authorization"] = authorization
    return client.request(case.method, kwargs["url"], params=kwargs.get("params"), headers=headers)


def _fuzz(operation, check) -> None:
    """Run `check(case)` on the generated cases of one operation."""

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case) -> None:
        check(case)

    run()


def test_with_a_token_every_operation_answers_as_its_schema_says(client, operations, token):
    def check(case) -> None:
        response = _send(client, case, f"Bearer {token}")
        case.validate_response(response, checks=CHECKS)
        assert response.headers["content-type"].startswith("application/json"), case.path

    for operation in operations:
        _fuzz(operation, check)


@pytest.mark.parametrize("authorization", [None, "Bearer consult_not-a-token", "Basic eDp4"])
def test_without_a_valid_token_every_operation_answers_4xx_in_json(
    client, operations, authorization
):
    def check(case) -> None:
        response = _send(client, case, authorization)
        case.validate_response(response, checks=[not_a_server_error])
        # A path or query the API cannot read may be refused first (400, 404);
        # what it never does is answer with data.
        assert 400 <= response.status_code < 500, (case.path, response.status_code)
        assert response.headers["content-type"].startswith("application/json"), case.path

    for operation in operations:
        _fuzz(operation, check)

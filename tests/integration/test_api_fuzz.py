"""Odd requests to the JSON API: whatever the path's numbers, the query or the
header, the answer is JSON with a 2xx or 4xx status, never a 500 and never a cookie."""

from __future__ import annotations

import pytest

ODD_IDS = ["0", "-1", "2147483648", "9223372036854775808", "99999999999999999999999", "1e3"]
ODD_SEGMENTS = [
    "",
    "q",
    "q-1",
    "q0",
    "q9223372036854775808",
    "language ",
    "../channel",
    "channel%00",
    "ч" * 40,
    "x" * 81,
    "<script>",
    "' OR 1=1 --",
]
ODD_HEADERS = [
    "Bearer " + "consult_" + "é" * 20,
    "Bearer\tconsult_x",
    "Bearer consult_x consult_y",
    "bearer",
    "Token consult_x",
    "Bearer " + "consult_" + "\x7f" * 5,
]


@pytest.fixture(scope="module")
def token(run, make_survey) -> tuple[str, int]:
    from consult.services import api_tokens

    survey = make_survey("api-fuzz")
    return run(api_tokens.create_token, "Fuzz", None), survey.survey_id


def _assert_json(response, path: str) -> None:
    assert response.status_code < 500, (path, response.status_code, response.text[:200])
    assert "set-cookie" not in response.headers, path


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_ids(client, token, odd):
    secret, _ = token
    client.cookies.clear()
    for template in (
        "/api/v1/consultations/{}",
        "/api/v1/consultations/{}/findings",
        "/api/v1/surveys/{}/results",
        "/api/v1/surveys/{}/themes",
        "/api/v1/surveys/{}/indicators",
    ):
        path = template.format(odd)
        response = client.get(path, headers={"Authorization": f"Bearer {secret}"})
        _assert_json(response, path)
        assert response.status_code in (400, 404), path


@pytest.mark.parametrize("odd", ODD_SEGMENTS)
def test_odd_segments(client, token, odd):
    secret, survey_id = token
    client.cookies.clear()
    path = f"/api/v1/surveys/{survey_id}/results"
    response = client.get(path, params={"by": odd}, headers={"Authorization": f"Bearer {secret}"})
    _assert_json(response, path)
    assert response.status_code in (200, 400)
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("odd", ODD_HEADERS)
def test_odd_authorization_headers(client, token, odd):
    client.cookies.clear()
    response = client.get("/api/v1/consultations", headers={"Authorization": odd.encode("utf-8")})
    _assert_json(response, "/api/v1/consultations")
    assert response.status_code == 401
    assert response.json()["detail"]

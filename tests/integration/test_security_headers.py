"""What every response carries: the security headers and `Cache-Control: no-store`
on pages, on the 422 page that echoes a resident's answers, on redirects and on
every error page (401, 403, 404, 405, 500), which Litestar's exception handlers
used to send without them; static files keep their long immutable cache, and HSTS
is sent only when the app is served over https."""

from __future__ import annotations

import dataclasses

import pytest
from litestar import get
from litestar.testing import TestClient

from tests.fixtures import csrf_token, signed_in_as
from tests.integration.journey import begin, post_page

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("headers-city")


@pytest.fixture(scope="module")
def staff(make_staff):
    make_staff("headers.admin", "admin")
    make_staff("headers.facilitator", "facilitator")


def assert_protected(response, where: str) -> None:
    """The headers a browser needs on anything the app sends, page or error."""
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert "script-src 'self'" in policy, where
    assert "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert "camera=()" in headers.get("permissions-policy", ""), where


def assert_not_kept(response, where: str) -> None:
    assert_protected(response, where)
    assert response.headers.get("cache-control") == "no-store", where


def test_the_survey_form_and_the_page_that_echoes_answers_are_never_kept(client, survey):
    client.cookies.clear()
    assert_not_kept(client.get(survey.url), "start page")
    first = begin(client, survey.url)
    assert_not_kept(client.get(first), "question page")
    typed = "12 apples, from my street"
    echoed = post_page(client, survey.page_url(5), {f"q{survey.question_ids['number']}": typed})
    assert echoed.status_code == 422
    assert typed in echoed.text
    assert_not_kept(echoed, "422 echoing an answer")


def test_staff_pages_and_the_redirect_to_sign_in_are_never_kept(client, staff):
    signed_in_as(client, None)
    redirect = client.get("/staff", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith("/staff/login")
    assert_not_kept(redirect, "303 to sign-in")
    assert_not_kept(client.get("/staff/login"), "sign-in page")
    signed_in_as(client, "headers.admin")
    page = client.get("/staff")
    assert page.status_code == 200
    assert_not_kept(page, "staff home")
    signed_in_as(client, None)


def test_every_error_page_carries_the_headers(client, staff):
    signed_in_as(client, None)
    token = csrf_token(client.get("/staff/login").text)
    # A form sent without being signed in.
    unauthorised = client.post(
        "/staff/consultations", data={"_csrf_token": token}, follow_redirects=False
    )
    assert unauthorised.status_code == 401
    assert_not_kept(unauthorised, "401")
    forged = client.post("/staff/login", data={"username": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    assert_not_kept(forged, "403 CSRF")
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert_not_kept(missing, "404")
    wrong_method = client.delete("/")
    assert wrong_method.status_code == 405
    assert "allow" in wrong_method.headers
    assert_not_kept(wrong_method, "405")
    signed_in_as(client, "headers.facilitator")
    refused = client.get("/staff/organisations")
    assert refused.status_code == 403
    assert_not_kept(refused, "403 role")
    signed_in_as(client, None)


def test_the_api_errors_carry_the_headers_too(client):
    client.cookies.clear()
    unauthorised = client.get("/api/v1/consultations")
    assert unauthorised.status_code == 401
    assert_not_kept(unauthorised, "API 401")
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code in (401, 404)
    assert_not_kept(missing, "API unknown path")


def test_a_server_error_carries_the_headers_and_no_traceback(database):
    from consult.app import create_app

    @get("/staff/boom-for-the-test", sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("secret detail of the failure")

    app = create_app()
    app.register(boom)
    # No lifespan: the module's app owns the connections and the workers.
    response = TestClient(app=app, raise_server_exceptions=False).get("/staff/boom-for-the-test")
    assert response.status_code == 500
    assert "Nothing you sent has been stored" in response.text
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert_not_kept(response, "500")


def test_static_files_keep_their_long_cache_and_the_headers(client):
    page = client.get("/staff/login").text
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    response = client.get(stylesheet)
    assert response.status_code == 200
    cache = response.headers["cache-control"]
    assert "immutable" in cache
    assert "max-age=31536000" in cache
    assert "no-store" not in cache
    assert_protected(response, "static file")


def test_hsts_only_over_https(client, database):
    from consult.app import create_app
    from consult.settings import get_settings

    assert "strict-transport-security" not in client.get("/").headers
    secure = dataclasses.replace(get_settings(), public_url="https://consult.example.org")
    # Pages that ask no database: this app runs on an event loop of its own, and
    # the module's app holds the connections (a PostgreSQL pool is bound to its loop).
    https = TestClient(app=create_app(secure), base_url="https://consult.example.org")
    for path in ("/no-such-page", "/staff"):
        response = https.get(path, follow_redirects=False)
        assert response.status_code in (303, 404), path
        assert response.headers.get("strict-transport-security") == HSTS, path
        assert_not_kept(response, path)

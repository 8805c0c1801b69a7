"""The quick exit of a sensitive consultation: on every page, and it leaves nothing."""

from __future__ import annotations

import re

import pytest

from tests.integration.journey import begin, post_page

EXIT_TO = "https://weather.example/today"


@pytest.fixture(scope="module")
def sensitive(run, make_survey):
    from consult.services import consultations

    survey = make_survey("sensitive-place")
    consultation = run(consultations.by_id, survey.consultation_id)
    run(consultations.set_safety, consultation, True, EXIT_TO)
    return survey


@pytest.fixture(scope="module")
def ordinary(make_survey):
    return make_survey("ordinary-place")


def _exit_controls(html: str) -> list[str]:
    return re.findall(r'<a class="([^"]*)" href="(/c/[^"]+/exit)" data-quick-exit>', html)


def test_every_respondent_page_of_a_sensitive_consultation_has_the_exit(client, sensitive):
    client.cookies.clear()
    begin(client, sensitive.url)
    error = post_page(client, sensitive.page_url(1), {})
    assert error.status_code == 422
    pages = {
        "landing": client.get(f"/c/{sensitive.slug}").text,
        "start": client.get(sensitive.url).text,
        "question": client.get(sensitive.page_url(1)).text,
        "error": error.text,
        "resume": client.get(f"/c/{sensitive.slug}/resume").text,
        "thanks": client.get(f"/c/{sensitive.slug}/thanks").text,
    }
    for name, html in pages.items():
        controls = _exit_controls(html)
        assert len(controls) == 2, name  # the skip link and the button
        # The exit skip link comes first, before "Skip to main content".
        body = html.split("<body>", 1)[1]
        assert body.index("Exit this page") < body.index("Skip to main content"), name
        assert "press Shift three times" in html, name


def test_an_ordinary_consultation_has_no_exit(client, ordinary):
    assert "Exit this page" not in client.get(ordinary.url).text


def test_the_exit_leaves_for_the_neutral_site_and_clears_everything(client, sensitive):
    client.cookies.clear()
    begin(client, sensitive.url)
    post_page(
        client,
        sensitive.page_url(1),
        {f"q{sensitive.question_ids['single']}": str(sensitive.option_ids["single"][1])},
    )
    assert client.cookies.get("consult_session")
    left = client.get(f"/c/{sensitive.slug}/exit", follow_redirects=False)
    assert left.status_code == 303
    assert left.headers["location"] == EXIT_TO
    assert left.headers["referrer-policy"] == "no-referrer"
    assert left.headers["cache-control"] == "no-store"
    assert left.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    cleared = [c for c in left.headers.get_list("set-cookie") if c.startswith("consult_session")]
    assert cleared
    assert all("expires=" in c.lower() or "max-age=0" in c.lower() for c in cleared)
    # Back, after the exit: the page is asked for again (no-store) and, the
    # session cookie being expired, shows no answer.
    again = client.get(sensitive.page_url(1))
    assert again.status_code == 200
    chosen = sensitive.option_ids["single"][1]
    assert f'value="{chosen}"' in again.text
    assert not re.search(rf'value="{chosen}"\s+checked', again.text)


def test_the_exit_never_fails(client):
    """Unknown consultation, no cookies, no CSRF: it still leaves, to the default site."""
    from consult.tables import DEFAULT_EXIT_URL

    client.cookies.clear()
    left = client.get("/c/no-such-place/exit", follow_redirects=False)
    assert left.status_code == 303
    assert left.headers["location"] == DEFAULT_EXIT_URL


def test_over_https_the_exit_expires_the_host_cookies_as_a_browser_accepts(client, monkeypatch):
    """A browser ignores a __Host- cookie that arrives without Secure and Path=/,
    even one that only expires it: both cookies must be expired with both."""
    from litestar.testing import TestClient
    from piccolo.engine import engine_finder

    from consult.app import create_app
    from consult.settings import get_settings

    monkeypatch.setenv("CONSULT_PUBLIC_URL", "https://consult.example.org")
    get_settings.cache_clear()
    engine = engine_finder()
    # Not started (no lifespan, no pool): its requests must not use the module's pool.
    kept_pool = getattr(engine, "pool", None)
    engine.pool = None
    try:
        secure = TestClient(app=create_app(get_settings()), base_url="https://testserver.local")
        secure.cookies.set("__Host-consult_session", "x", domain="testserver.local")
        left = secure.get("/c/no-such-place/exit", follow_redirects=False)
    finally:
        engine.pool = kept_pool
        monkeypatch.delenv("CONSULT_PUBLIC_URL")
        get_settings.cache_clear()
    assert left.status_code == 303
    expired = {
        header.split("=", 1)[0]: header.lower() for header in left.headers.get_list("set-cookie")
    }
    assert "__Host-consult_csrf" in expired
    assert "consult_csrf" not in expired
    for header in expired.values():
        assert "secure" in header
        assert "path=/" in header
        assert "max-age=0" in header or "expires=" in header

"""A database that is down or out of disk: the respondent is told plainly that their
answers were not saved (503, Retry-After, in their language), never thanked, and
nothing they typed is lost: the page sends their answers again with one button,
which stores them exactly once when the database is back. Staff pages get the same
page. On SQLite the database is made unreachable (its path moved) and full (a real
SQLITE_FULL, from PRAGMA max_page_count on the app's own writer); on PostgreSQL the
pool is closed and queries go to a port nothing listens on (the real server, which
other test runs use, keeps running)."""

from __future__ import annotations

import contextlib
import html
import re
import sqlite3
from collections.abc import Iterator

import pytest

from tests.conftest import ENGINE
from tests.fixtures import csrf_token, new_idempotency_key, page_text, signed_in_as

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
# Longer than a page of the file (4 kB): storing it needs a new page.
LONG_ANSWER = "The square by the station is where it happens, late at night. " * 75


@pytest.fixture(scope="module")
def survey(make_survey, make_staff):
    make_staff("down.admin", "admin")
    return make_survey("down-city")


def _answers(survey) -> dict[str, str]:
    ids, options = survey.question_ids, survey.option_ids
    return {
        f"q{ids['single']}": str(options["single"][1]),
        f"q{ids['scale']}": str(options["scale"][2]),
        f"q{ids['text']}": LONG_ANSWER,
    }


def _responses(run, survey) -> int:
    from surveys.tables import Response

    return run(Response.count().where(Response.survey == survey.survey_id).run)


@contextlib.contextmanager
def database_gone(client, run) -> Iterator[None]:
    """Every query of the app fails to connect until the block ends."""
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if ENGINE == "sqlite":
        kept = engine.path
        # The kept connections belong to the old path: queries open new ones, which fail.
        engine.path = "/nonexistent-dir/consult.sqlite3"
        try:
            yield
        finally:
            engine.path = kept
        return
    config = dict(engine.config)
    run(engine.close_connection_pool)
    engine.config = {**config, "dsn": re.sub(r"@[^/]+/", "@127.0.0.1:9/", config["dsn"])}
    try:
        yield
    finally:
        engine.config = config
        run(engine.start_connection_pool, min_size=1, max_size=10)


@contextlib.contextmanager
def disk_full(run) -> Iterator[None]:
    """SQLite's own "database or disk is full" on the app's writer connection: the
    file may not grow by one page."""
    from piccolo.engine import engine_finder

    engine = engine_finder()

    async def writer():
        kept = engine._kept_here()
        assert kept is not None, "the app keeps its connections"
        return await kept.writer()

    connection = run(writer)

    async def limit(pages: int | None) -> None:
        if pages is None:
            rows = await connection.execute_fetchall("PRAGMA page_count")
            pages = next(iter(rows[0].values()))
        await connection.execute(f"PRAGMA max_page_count = {pages}")

    # No free pages first (VACUUM, on a connection of the test's own), so that the
    # next write must grow the file.
    with sqlite3.connect(engine.path) as own:
        own.execute("VACUUM")
    run(limit, None)
    try:
        yield
    finally:
        run(limit, 1_073_741_823)


def _assert_not_saved_page(response, typed: str) -> dict[str, list[str]]:
    """The 503 page: says so in words, thanks nobody, and carries what was sent."""
    assert response.status_code == 503, response.text[:500]
    assert response.headers["retry-after"].isdigit()
    assert response.headers["cache-control"] == "no-store"
    text = page_text(response.text)
    assert "Your answers were not saved" in text
    assert "try again" in text.lower()
    assert "thank" not in text.lower()
    fields: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(response.text):
        fields.setdefault(name, []).append(html.unescape(value))
    assert [typed] in fields.values()
    return fields


def _try_again(client, response, fields) -> object:
    """Press "Try again" on the 503 page."""
    action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
    return client.post(
        action, data={**fields, "_csrf_token": csrf_token(response.text)}, follow_redirects=False
    )


def _submit(client, survey, key: str):
    page = client.get("/staff/login").text
    return client.post(
        survey.submit_url,
        data={"_csrf_token": csrf_token(page), "idempotency_key": key, **_answers(survey)},
        follow_redirects=False,
    )


def test_a_submission_while_the_database_is_down_is_not_saved_then_sent_again(client, run, survey):
    signed_in_as(client, None)
    before = _responses(run, survey)
    key = new_idempotency_key()
    token_page = client.get("/staff/login").text
    with database_gone(client, run):
        response = client.post(
            survey.submit_url,
            data={
                "_csrf_token": csrf_token(token_page),
                "idempotency_key": key,
                **_answers(survey),
            },
            follow_redirects=False,
        )
        fields = _assert_not_saved_page(response, LONG_ANSWER)
    assert fields["idempotency_key"] == [key]
    assert _responses(run, survey) == before
    again = _try_again(client, response, fields)
    assert again.status_code == 303
    assert again.headers["location"].endswith("/thanks")
    assert _responses(run, survey) == before + 1
    # Pressed twice (the first try went through after all): still one response.
    assert _try_again(client, response, fields).status_code == 303
    assert _responses(run, survey) == before + 1


def test_a_page_asked_for_while_the_database_is_down_says_try_again(client, run, survey):
    signed_in_as(client, None)
    with database_gone(client, run):
        response = client.get(survey.url)
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert "the service is not available just now" in page_text(response.text)
    assert f'href="{survey.url}"' in response.text
    assert "Traceback" not in response.text


def test_a_staff_form_while_the_database_is_down_gets_the_same_page(client, run, survey):
    signed_in_as(client, "down.admin")
    consultation = f"/staff/consultations/{survey.consultation_id}"
    page = client.get(consultation).text
    with database_gone(client, run):
        response = client.post(
            f"{consultation}/surveys",
            data={"_csrf_token": csrf_token(page), "title": "Night safety, second round"},
            follow_redirects=False,
        )
    assert response.status_code == 503
    assert "Night safety, second round" in response.text
    assert "Traceback" not in response.text
    signed_in_as(client, None)


def test_a_full_disk_is_not_saved_and_the_answers_come_back(client, run, survey):
    if ENGINE != "sqlite":
        pytest.skip("filling the PostgreSQL server's disk would stop every other test run")
    signed_in_as(client, None)
    before = _responses(run, survey)
    key = new_idempotency_key()
    with disk_full(run):
        response = _submit(client, survey, key)
        fields = _assert_not_saved_page(response, LONG_ANSWER)
        assert _responses(run, survey) == before
    again = _try_again(client, response, fields)
    assert again.status_code == 303
    assert _responses(run, survey) == before + 1
    # A staff form on the same full disk: the same page, the title kept.
    signed_in_as(client, "down.admin")
    consultation = f"/staff/consultations/{survey.consultation_id}"
    page = client.get(consultation).text
    with disk_full(run):
        staff = client.post(
            f"{consultation}/surveys",
            data={
                "_csrf_token": csrf_token(page),
                "title": "Full disk survey",
                "intro": LONG_ANSWER,
            },
            follow_redirects=False,
        )
    assert staff.status_code == 503
    assert "Full disk survey" in staff.text
    signed_in_as(client, None)


def test_signing_in_while_the_database_is_down_never_writes_the_password_back(client, run):
    signed_in_as(client, None)
    page = client.get("/staff/login").text
    with database_gone(client, run):
        response = client.post(
            "/staff/login",
            data={
                "_csrf_token": csrf_token(page),
                "username": "down.admin",
                "password": "correct horse battery",
            },
            follow_redirects=False,
        )
    assert response.status_code == 503
    assert "go back and try again" in page_text(response.text).lower()
    assert "correct horse battery" not in response.text
    assert "down.admin" not in response.text

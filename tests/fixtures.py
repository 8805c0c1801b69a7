"""Named fixtures: a fresh database per test module, an app client, factories."""

from __future__ import annotations

import asyncio
import html
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from litestar.testing import TestClient

from tests.conftest import ENGINE, POSTGRES_URL, ROOT, fresh_sqlite_copy

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')
IDEMPOTENCY_FIELD = re.compile(r'name="idempotency_key" value="([^"]+)"')
PASSWORD = "correct horse battery"
# The city make_survey's consultations belong to, and so the team of make_staff's
# planners unless a test says otherwise.
SURVEY_CITY = "Reykjavik"
T = TypeVar("T")


def run_in_fresh_loop(work: Callable[[], Awaitable[T]]) -> T:
    """Run async database work from synchronous test code.

    On a thread of its own, because Playwright's sync API keeps an event loop
    running on the main thread while the browser tests are alive.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(work())).result()


def _truncate_postgres() -> None:
    from piccolo.engine import engine_finder

    engine = engine_finder()

    async def truncate() -> None:
        rows = await engine._run_in_new_connection(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'migration'"
        )
        names = ", ".join(f'"{row["tablename"]}"' for row in rows)
        await engine._run_in_new_connection(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

    run_in_fresh_loop(truncate)


def _forget_caches() -> None:
    from consult.services import consultations
    from surveys import pages, services

    consultations.forget_cached()
    services.forget_cached()
    pages.forget_blank_pages()


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest) -> Iterator[None]:
    """An empty, migrated database for this test module only."""
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if ENGINE == "postgres":
        _truncate_postgres()
    else:
        engine.path = str(fresh_sqlite_copy(request.module.__name__.rsplit(".", 1)[-1]))
    _forget_caches()
    yield
    _forget_caches()


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    """The app, started with its lifespan, on this module's database."""
    from consult.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as test_client:
        yield test_client


@contextmanager
def client_with_abuse_checks(address: Callable[[dict[str, Any]], str]) -> Iterator[TestClient]:
    """The app with the abuse checks on (the suite turns them off: it sends hundreds
    of surveys from one address), seeing each request come from `address(scope)`, as
    a reverse proxy's forwarded address would be."""
    from consult.app import create_app
    from consult.settings import get_settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONSULT_ABUSE_CHECKS", "1")
        get_settings.cache_clear()
        inner = create_app()

        async def from_address(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] in ("http", "websocket"):
                scope = {**scope, "client": (address(scope), 50000)}
            await inner(scope, receive, send)

        try:
            with TestClient(app=from_address, base_url="http://testserver.local") as test_client:
                yield test_client
        finally:
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def run(client: TestClient) -> Callable[..., Any]:
    """Run an async service call on the app's own event loop (for factories)."""

    def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        async def invoke() -> Any:
            return await function(*args, **kwargs)

        return client.blocking_portal.call(invoke)

    return call


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def idempotency_key(html: str) -> str:
    match = IDEMPOTENCY_FIELD.search(html)
    assert match, "the survey form has no idempotency key"
    return match.group(1)


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """GET `page` (as a browser would), then POST its form to `action` with `data`."""
    html = client.get(page).text
    return client.post(
        action, data={"_csrf_token": csrf_token(html), **data}, follow_redirects=False
    )


def new_idempotency_key() -> str:
    """A key of the form "Check your answers" carries (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def send_survey(
    client: TestClient,
    submit_url: str,
    answers: dict[str, Any],
    key: str | None = None,
    page: str = "",
) -> Any:
    """Send answers as the "Check your answers" form does, to `submit_url`
    (…/surveys/<id>/submit): a CSRF token (from `page`, or the home page as served
    now), an idempotency key (a new one unless given) and the answers."""
    html = page or client.get("/staff/login").text
    return client.post(
        submit_url,
        data={
            "_csrf_token": csrf_token(html),
            "idempotency_key": key or new_idempotency_key(),
            **answers,
        },
        follow_redirects=False,
    )


def page_text(fragment: str) -> str:
    """What a person reads in a piece of HTML: tags gone, entities decoded, spaces
    collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def signed_in_as(client: TestClient, username: str | None) -> None:
    """The client as `username` from now on (None: signed out), with no cookie of
    whoever it was before."""
    client.cookies.clear()
    if username:
        assert sign_in(client, username).status_code == 303


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return post_form(
        client, "/staff/login", "/staff/login", {"username": username, "password": password}
    )


@dataclass(frozen=True)
class DemoSurvey:
    """A small open consultation with one survey of every question type."""

    slug: str
    consultation_id: int
    survey_id: int
    question_ids: dict[str, int]
    option_ids: dict[str, list[int]]

    @property
    def url(self) -> str:
        """The survey's start page (consent, then the first question)."""
        return f"/c/{self.slug}/surveys/{self.survey_id}"

    @property
    def submit_url(self) -> str:
        """Where "Check your answers" sends every answer at once."""
        return f"{self.url}/submit"

    def page_url(self, number: int) -> str:
        return f"{self.url}/pages/{number}"


QUESTION_SET = [
    ("single", "single_choice", "Do you feel safe?", True, ["Yes", "No", "Not sure"]),
    (
        "multiple",
        "multiple_choice",
        "Where?",
        False,
        ["Online", "Street", "School", "Prefer not to say"],
    ),
    (
        "scale",
        "scale",
        "How much do you trust the police?",
        True,
        ["None", "Little", "Some", "Much", "Complete"],
    ),
    ("text", "long_text", "What should the city do?", False, []),
    ("number", "number", "How many times?", False, []),
]


@pytest.fixture(scope="module")
def make_survey(run: Callable[..., Any]) -> Callable[..., DemoSurvey]:
    """Factory: an open consultation (slug given) of `city` (SURVEY_CITY unless
    given) with the QUESTION_SET survey."""
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.tables import ConsultationStatus
    from surveys import builder, services

    def make(
        slug: str,
        status: ConsultationStatus = ConsultationStatus.open,
        city: str = SURVEY_CITY,
    ) -> DemoSurvey:
        consultation = run(
            consultations.create,
            ConsultationInput(
                slug=slug,
                title=f"Consultation {slug}",
                purpose="Why we ask.",
                city=city,
                run_by=f"City of {city}",
                data_use="Planners read it.",
                minutes_to_complete=5,
            ),
        )
        survey = run(builder.create_survey, consultation.id, "Safety survey")
        question_ids = {}
        for name, type_key, text, required, labels in QUESTION_SET:
            question_ids[name] = run(
                builder.add_question,
                survey.id,
                builder.QuestionInput(
                    type=type_key,
                    text=text,
                    required=required,
                    options=tuple(
                        builder.NewOption(label, is_prefer_not_to_say=label == "Prefer not to say")
                        for label in labels
                    ),
                ),
            )
        run(consultations.set_status, consultation, status)
        spec = run(services.load_spec, survey.id)
        option_ids = {
            name: [option.id for option in question.options]
            for name, question in zip(question_ids, spec.questions, strict=True)
        }
        return DemoSurvey(slug, consultation.id, survey.id, question_ids, option_ids)

    return make


@pytest.fixture(scope="module")
def make_staff(run: Callable[..., Any]) -> Callable[..., int]:
    """Factory: a staff user with a role; the password is PASSWORD. A planner is on
    `city`'s team (SURVEY_CITY unless given); an admin sees every city."""
    from consult.services.staff import create_user
    from consult.tables import Role

    def make(username: str, role: str, city: str | None = None) -> int:
        if city is None:
            city = SURVEY_CITY if role == Role.planner.value else ""
        return run(create_user, username, PASSWORD, Role(role), city=city)

    return make


def consult_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`consult ARGS` in a child process on the calling test module's database, as an
    operator would run it from a shell."""
    from piccolo.engine import engine_finder

    url = POSTGRES_URL if ENGINE == "postgres" else f"sqlite:///{engine_finder().path}"
    return subprocess.run(
        [sys.executable, "-m", "consult.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )

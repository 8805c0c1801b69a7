"""Two real `consult serve` processes on one PostgreSQL database, as two app
servers behind a load balancer would be: a respondent whose every request goes to
the other server than the last walks a multi-page survey to "Check your answers"
and sends it, stored once with every answer; then an export a planner queues
through the first server, which runs no job worker, is written by the second and
downloaded through the first. Nothing a request needs lives in one process's
memory: the session is a signed cookie, the job queue and the files are shared.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from tests.conftest import ENGINE
from tests.durability.conftest import database_url
from tests.durability.server import Server
from tests.fixtures import PASSWORD, csrf_token
from tests.integration.journey import send_checked, summary, walk

pytestmark = [
    pytest.mark.durability,
    pytest.mark.postgres_only,
    pytest.mark.skipif(ENGINE != "postgres", reason="two servers share a PostgreSQL database"),
]
PLANNER = "two.servers.planner"
TEXT = "Two servers, one answer: the underpass needs light."
# An export of a few responses takes a second; the worker looks every 2 s.
EXPORT_WITHIN_S = 30.0


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    """The app in this process only for the factories: no worker of its own, so
    the export can only be written by a server."""
    from consult.app import create_app
    from consult.settings import get_settings

    app = create_app(replace(get_settings(), job_worker=False, text_worker=False))
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def servers(database: None) -> Iterator[tuple[Server, Server]]:
    """Server 1 runs no background jobs; server 2 runs the job worker."""
    url = database_url()
    first = Server(url, CONSULT_JOB_WORKER="0")
    second = Server(url, CONSULT_JOB_WORKER="1")
    try:
        for server in (first.launch(), second.launch()):
            server.wait_until_healthy()
        yield first, second
    finally:
        first.stop()
        second.stop()


class Alternating:
    """One browser (one cookie jar) whose every request reaches the other server."""

    def __init__(self, *servers: Server) -> None:
        self.http = httpx.Client(timeout=30)
        self._next = itertools.cycle(servers)
        self.served_by: list[int] = []

    def _url(self, path: str) -> str:
        server = next(self._next)
        self.served_by.append(server.port)
        return server.base_url + path

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(self._url(path), **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(self._url(path), **kwargs)


def _stored(run, survey_id: int) -> list[dict]:
    """Every stored response of the survey, with its answers' questions and values."""
    from surveys.tables import Answer, Response

    responses = run(Response.select(Response.id).where(Response.survey == survey_id).run)
    return [
        {
            "id": response["id"],
            "answers": run(
                Answer.select(Answer.question, Answer.option, Answer.number, Answer.text)
                .where(Answer.response == response["id"])
                .run
            ),
        }
        for response in responses
    ]


def test_a_journey_across_two_servers_and_a_job_run_by_the_other(
    servers, make_survey, make_staff, run
):
    first, second = servers
    survey = make_survey("two-servers")
    ids, options = survey.question_ids, survey.option_ids
    answers = {
        f"q{ids['single']}": str(options["single"][1]),
        f"q{ids['multiple']}": [str(options["multiple"][0]), str(options["multiple"][2])],
        f"q{ids['scale']}": str(options["scale"][3]),
        f"q{ids['text']}": TEXT,
        f"q{ids['number']}": "4",
    }

    resident = Alternating(first, second)
    check_url = walk(resident, survey.url, answers)  # type: ignore[arg-type]
    assert check_url.endswith("/check"), check_url
    check = resident.get(check_url)
    assert check.status_code == 200
    assert summary(check.text)["What should the city do?"] == [TEXT]
    sent = send_checked(resident, check_url)  # type: ignore[arg-type]
    assert sent.status_code == 303, sent.text[:2000]
    assert sent.headers["location"] == f"/c/{survey.slug}/thanks"
    assert len(set(resident.served_by)) == 2
    assert all(a != b for a, b in itertools.pairwise(resident.served_by)), "each to the other"

    [stored] = _stored(run, survey.survey_id)
    by_question: dict[int, list[dict]] = {}
    for answer in stored["answers"]:
        by_question.setdefault(answer["question"], []).append(answer)
    assert [a["option"] for a in by_question[ids["single"]]] == [options["single"][1]]
    assert sorted(a["option"] for a in by_question[ids["multiple"]]) == [
        options["multiple"][0],
        options["multiple"][2],
    ]
    assert [a["option"] for a in by_question[ids["scale"]]] == [options["scale"][3]]
    assert [a["text"] for a in by_question[ids["text"]]] == [TEXT]
    assert [a["number"] for a in by_question[ids["number"]]] == [4]

    # A planner signed in on server 1 only asks for an export there.
    make_staff(PLANNER, "planner")
    planner = httpx.Client(base_url=first.base_url, timeout=30)
    login = planner.get("/staff/login").text
    signed_in = planner.post(
        "/staff/login",
        data={"_csrf_token": csrf_token(login), "username": PLANNER, "password": PASSWORD},
    )
    assert signed_in.status_code == 303
    results = planner.get(f"/staff/surveys/{survey.survey_id}/results")
    assert results.status_code == 200
    queued = planner.post(
        f"/staff/surveys/{survey.survey_id}/exports",
        data={"_csrf_token": csrf_token(results.text), "format": "csv"},
        follow_redirects=False,
    )
    assert queued.status_code == 303
    job_url = queued.headers["location"]
    assert re.fullmatch(r"/staff/exports/\d+", job_url)

    deadline = time.monotonic() + EXPORT_WITHIN_S
    while "Ready to download" not in (page := planner.get(job_url).text):
        assert time.monotonic() < deadline, "server 2 did not write the export"
        time.sleep(0.25)
    download = planner.get(f"{job_url}/download")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 2, "the heading and the one response"
    assert TEXT in rows[1]
    assert "1 of 1 response" in page

    from consult.tables import Job

    job_id = int(job_url.rsplit("/", 1)[1])
    row = run(Job.select(Job.status, Job.attempts).where(Job.id == job_id).first().run)
    assert row == {"status": "done", "attempts": 1}

"""One form sent by 50 clients at the same moment (the same idempotency key, as a
resend storm from a flaky network would): one response is stored, and every
client is shown the thank-you page."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.durability.checks import stored
from tests.durability.load import _csrf_token
from tests.durability.test_kill import answers

pytestmark = pytest.mark.durability
CLIENTS = 50


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("durable-parallel")


def test_fifty_identical_submissions_store_one_and_thank_everyone(survey, zygote):
    key = secrets.token_urlsafe(24)
    together = threading.Barrier(CLIENTS)
    server = zygote.server().start()

    def send() -> tuple[int, str, int, str]:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            token = _csrf_token(client, server.base_url)
            form = {"_csrf_token": token, "idempotency_key": key, **answers(survey)}
            together.wait()
            sent = client.post(survey.submit_url, data=form)
            location = sent.headers.get("location", "")
            thanks = client.get(location) if location else sent
            return sent.status_code, location, thanks.status_code, thanks.text

    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            replies = list(pool.map(lambda _: send(), range(CLIENTS)))
    finally:
        server.stop()
    assert [reply[0] for reply in replies] == [303] * CLIENTS
    assert {reply[1] for reply in replies} == {f"/c/{survey.slug}/thanks"}
    assert [reply[2] for reply in replies] == [200] * CLIENTS
    assert all("Your answers have been received" in reply[3] for reply in replies)
    assert stored([key]) == {key: 3}, "stored once, whole"

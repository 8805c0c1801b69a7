"""Nothing of a resident reaches a log: with every logger at DEBUG, a whole journey
(start, pages, an answer refused and corrected, save, resume, check, send, thanks,
a held submission, the quick exit) from a distinctive address and user agent, with
distinctive answers, leaves neither the address, the user agent nor the answer text
in any log record, formatted or raw."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from tests.fixtures import client_with_abuse_checks, csrf_token
from tests.integration.journey import begin, post_page, send_checked

ADDRESS = "203.0.113.199"
USER_AGENT = "Mozilla/5.0 (X11; Zorbulon 7.3) DistinctiveBrowser/42.4242"
ANSWER = "Quixotically-purple lampposts near the Zorbulon kiosk"
NUMBER = "987654"


class _Everything(logging.Handler):
    """Every record, as a handler would write it and with its raw arguments."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))
        self.lines.append(repr(record.__dict__))


@pytest.fixture(scope="module")
def client(database: None) -> Iterator[TestClient]:
    """The app as a resident at ADDRESS reaches it, with the abuse checks on."""
    with client_with_abuse_checks(lambda scope: ADDRESS) as test_client:
        test_client.headers["user-agent"] = USER_AGENT
        yield test_client


@pytest.fixture
def captured() -> Iterator[_Everything]:
    """Every record that reaches the root logger, set to DEBUG as an operator
    chasing a problem would set it."""
    handler = _Everything()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(before)


def test_a_whole_journey_logs_nothing_of_the_resident(client, make_survey, captured):
    from surveys.abuse import HONEYPOT_FIELD

    survey = make_survey("log-city")
    text = f"q{survey.question_ids['text']}"
    number = f"q{survey.question_ids['number']}"
    single = f"q{survey.question_ids['single']}"
    scale = f"q{survey.question_ids['scale']}"
    url = begin(client, survey.url)
    # The first page refused (nothing chosen), then answered.
    assert post_page(client, url, {}).status_code == 422
    url = post_page(client, url, {single: str(survey.option_ids["single"][0])}).headers["location"]
    answers = {
        scale: str(survey.option_ids["scale"][1]),
        text: ANSWER,
        number: NUMBER,
    }
    saved_code = None
    for _ in range(20):
        if "/pages/" not in url:
            break
        html = client.get(url).text
        mine = {name: value for name, value in answers.items() if f'name="{name}"' in html}
        if text in mine and saved_code is None:
            # Save, and come back with the code, as a person on a slow phone might.
            saved = post_page(client, url, mine, action="save")
            shown = client.get(saved.headers["location"]).text
            saved_code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", shown)
            assert saved_code, shown
            resume = client.get(f"/c/{survey.slug}/resume").text
            back = client.post(
                f"/c/{survey.slug}/resume",
                data={"_csrf_token": csrf_token(resume), "code": saved_code.group()},
                follow_redirects=False,
            )
            assert back.status_code == 303
            url = back.headers["location"]
            continue
        sent = post_page(client, url, mine)
        assert sent.status_code == 303, sent.text[:300]
        url = sent.headers["location"]
    sent = send_checked(client, url)
    assert sent.status_code == 303
    assert client.get(sent.headers["location"]).status_code == 200
    # A bot's submission, held for review, from the same address.
    check = client.get(url)
    client.post(
        survey.submit_url,
        data={"_csrf_token": csrf_token(check.text), HONEYPOT_FIELD: ANSWER, text: ANSWER},
        follow_redirects=False,
    )
    client.get(f"/c/{survey.slug}/exit", follow_redirects=False)
    assert captured.lines, "the handler saw the app's log records"
    everything = "\n".join(captured.lines)
    for secret in (ADDRESS, USER_AGENT, "Zorbulon", ANSWER, "Quixotically", NUMBER):
        assert secret not in everything, secret

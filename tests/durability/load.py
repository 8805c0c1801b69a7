"""A load generator for a real server: residents sending complete surveys at a
steady rate on loopback, each retrying its own form (same idempotency key) until
the server says it was received, as a browser's resend would.

Each form is one `Sent`: its key, whether the server acknowledged it (303 to the
thank-you page), and every other answer it got. The tests then compare what was
acknowledged with what the database holds.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import httpx

from tests.fixtures import CSRF_FIELD

# A form is retried for this long at most; a server that is down longer than this
# in a test is a failure of the test's own set-up.
RETRY_FOR_S = 20.0


@dataclass
class Sent:
    """One resident's form and what the server answered to each try."""

    key: str
    acknowledged: bool = False
    # Status codes of tries that were not an acknowledgement (0: no connection).
    refused: list[int] = field(default_factory=list)
    # A body that said "received" without the redirect to the thank-you page.
    false_confirmations: int = 0


class Load:
    """Send `rate` forms a second to `submit_url`, from `senders` threads, until stopped."""

    def __init__(
        self,
        base_url: str,
        submit_url: str,
        answers: dict[str, str],
        rate: float = 25.0,
        senders: int = 4,
    ) -> None:
        # Where forms go: a test moves it to another server when it kills one.
        self.base_url = base_url
        self.submit_url = submit_url
        self.answers = answers
        self.interval = senders / rate
        self.senders = senders
        self.sent: list[Sent] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Load:
        for number in range(self.senders):
            thread = threading.Thread(target=self._send_forever, name=f"load-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=RETRY_FOR_S + 10)

    def acknowledged(self) -> list[str]:
        with self._lock:
            return [sent.key for sent in self.sent if sent.acknowledged]

    def wait_for(self, count: int, timeout_s: float = 30.0) -> None:
        """Until `count` forms are acknowledged in all (or fail the test)."""
        deadline = time.monotonic() + timeout_s
        while len(self.acknowledged()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.acknowledged())} of {count} acknowledged")
            time.sleep(0.05)

    def _send_forever(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                sent = Sent(secrets.token_urlsafe(24))
                with self._lock:
                    self.sent.append(sent)
                self._until_acknowledged(client, sent)
                self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def _until_acknowledged(self, client: httpx.Client, sent: Sent) -> None:
        deadline = time.monotonic() + RETRY_FOR_S
        token = ""
        while time.monotonic() < deadline:
            try:
                base_url = self.base_url
                if not token:
                    token = _csrf_token(client, base_url)
                reply = client.post(
                    base_url + self.submit_url,
                    data={"_csrf_token": token, "idempotency_key": sent.key, **self.answers},
                )
            except httpx.HTTPError:
                sent.refused.append(0)
                token = ""  # a new connection may need a new cookie
                time.sleep(0.05)
                continue
            if reply.status_code == 303 and reply.headers.get("location", "").endswith("/thanks"):
                sent.acknowledged = True
                return
            if "Your answers have been received" in reply.text:
                sent.false_confirmations += 1
            sent.refused.append(reply.status_code)
            if reply.status_code == 403:
                token = ""
            time.sleep(0.05)


def _csrf_token(client: httpx.Client, base_url: str) -> str:
    page = client.get(f"{base_url}/join")
    page.raise_for_status()
    match = CSRF_FIELD.search(page.text)
    assert match, "the page has no CSRF field"
    return match.group(1)

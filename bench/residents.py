"""One resident's journey through a survey, over one connection from their own
address, keeping their own cookies: the start page, consent, each page shown
(answered with bench.answers), "Check your answers", sending, the thank-you page.

Used three ways: the submission benchmark harvests varied answer sets with it and
prepares the browsers that send them (bench.submitters); the load test
(bench.load_test) walks a thousand residents through it at once, with pauses.
Each request is reported to `record(step, seconds, ok)`; `pause(step)` returns the
seconds a person takes before the step (reading, answering), 0 for a script.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.answers import Filled, fill
from bench.form import (
    IDEMPOTENCY_FIELD,
    HtmlForm,
    encode,
    filled_in,
    is_question_field,
    read_form,
)
from bench.http_client import CookieJar, HttpConnection, HttpResponse, location
from bench.texts import FreeText

FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
MOST_PAGES = 100


class JourneyError(Exception):
    """The app answered a step as no resident's journey should be answered."""

    def __init__(self, step: str, response: HttpResponse | None, detail: str = "") -> None:
        status = response.status if response is not None else "no answer"
        super().__init__(f"{step}: {status} {detail}".strip())
        self.step = step
        self.status = str(status)


def _no_record(step: str, seconds: float, ok: bool) -> None:
    del step, seconds, ok


def _no_pause(step: str) -> float:
    del step
    return 0.0


@dataclass(frozen=True)
class CheckForm:
    """ "Check your answers" as one resident reached it: every answer in hidden
    fields, and which of them are free text (bench.answers.Filled.texts)."""

    action: str
    pairs: list[tuple[str, str]]
    texts: dict[str, str]
    # The Answer rows it stores: one per value of a question's field (q12, q12-s3 a
    # matrix row, q12-r4 a rank), none for the text beside "Something else".
    atoms: int


class Resident:
    def __init__(
        self,
        host: str,
        port: int,
        address: str | None,
        rng: random.Random,
        texts: FreeText,
        record: Callable[[str, float, bool], None] = _no_record,
        pause: Callable[[str], float] = _no_pause,
        timeout_s: float | None = None,
    ) -> None:
        self.connection = HttpConnection(host, port, address)
        self.jar = CookieJar()
        self.rng = rng
        self.texts = texts
        self._record = record
        self._pause = pause
        self._timeout_s = timeout_s  # a request unanswered this long fails the journey
        self.corrected = 0  # pages sent again after the app pointed out an error

    async def open(self) -> None:
        await self.connection.open()

    async def close(self) -> None:
        await self.connection.close()

    async def _send(
        self, step: str, method: str, path: str, expect: int, body: bytes = b""
    ) -> HttpResponse:
        pause = self._pause(step)
        if pause > 0:
            await asyncio.sleep(pause)
        headers = {**self.jar.headers(), **(FORM_TYPE if method == "POST" else {})}
        if self.connection.closed_by_server():
            # The server let the idle connection go while the person read: a
            # browser opens another.
            await self.connection.close()
            await self.connection.open()
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(
                self.connection.request(method, path, headers, body), self._timeout_s
            )
        except (TimeoutError, OSError) as error:
            self._record(step, time.perf_counter() - started, False)
            raise JourneyError(step, None, type(error).__name__) from error
        self._record(step, time.perf_counter() - started, response.status == expect)
        self.jar.keep(response)
        return response

    async def get(self, step: str, path: str) -> HtmlForm:
        response = await self._send(step, "GET", path, 200)
        if response.status != 200:
            raise JourneyError(step, response, path)
        return read_form(response.body.decode("utf-8"))

    async def post(
        self, step: str, path: str, pairs: list[tuple[str, str]], expect: int = 303
    ) -> HttpResponse:
        return await self._send(step, "POST", path, expect, encode(pairs))

    async def begin(self, survey_path: str) -> str:
        """The start page and consent: the path of the first page shown."""
        consent = await self.get("start", survey_path)
        begun = await self.post("begin", consent.action, filled_in(consent))
        if begun.status != 303 or not location(begun):
            raise JourneyError("begin", begun)
        return location(begun)

    async def answer_page(self, path: str) -> tuple[str, Filled | None]:
        """One page answered: where the app sends the resident next, and the
        answers given (None for "Check your answers", which is not answered here)."""
        form = await self.get("page", path)
        filled = fill(form, self.rng, self.texts)
        sent = await self.post("answer", form.action, filled.pairs, expect=303)
        if sent.status == 422:
            # An error the form did not show beforehand: correct it, as a person would.
            self.corrected += 1
            filled = Filled(filled_in(form))
            sent = await self.post("answer", form.action, filled.pairs)
        if sent.status != 303 or not location(sent):
            raise JourneyError("answer", sent, path)
        return location(sent), filled

    async def reach_check(self, first_page: str) -> CheckForm:
        """Every page shown, answered in turn, to "Check your answers"."""
        path, texts = first_page, {}
        for _ in range(MOST_PAGES):
            if path.endswith("/check"):
                check = await self.get("check", path)
                # Hidden fields as given, and a box that is no question's (the
                # honeypot) as a browser sends one left untouched: empty.
                pairs = [
                    (c.name, c.value if c.kind == "hidden" else "")
                    for c in check.inputs
                    if c.name != IDEMPOTENCY_FIELD
                    and (c.kind == "hidden" or (c.kind == "text" and not is_question_field(c.name)))
                ]
                atoms = sum(
                    1 for name, _ in pairs if name.startswith("q") and not name.endswith("-other")
                )
                kinds = {name: kind for name, kind in texts.items() if name in dict(pairs)}
                return CheckForm(check.action, pairs, kinds, atoms)
            path, filled = await self.answer_page(path)
            if filled is not None:
                texts.update(filled.texts)
        raise JourneyError("page", None, "no 'Check your answers' after 100 pages")

    async def submit(self, check: CheckForm) -> str:
        """Send the answers with a fresh idempotency key and read the thank-you
        page; the key, once acknowledged."""
        key = secrets.token_urlsafe(24)
        sent = await self.post("submit", check.action, [*check.pairs, (IDEMPOTENCY_FIELD, key)])
        if sent.status != 303 or not location(sent).endswith("/thanks"):
            raise JourneyError("submit", sent, location(sent))
        thanks = await self._send("thanks", "GET", location(sent), 200)
        if thanks.status != 200:
            raise JourneyError("thanks", thanks)
        return key

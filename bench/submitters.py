"""The submission benchmark's residents: distinct people, as the abuse checks see them.

With the abuse checks on (surveys.abuse), a submission is held for review when it
comes sooner than 3 s a page after its browser began the survey, from a browser
that sent one before, from an address that sent three today, or with free text
another response has. So before measuring, the load client

1. walks ANSWER_SETS residents through every page with varied answers
   (bench.answers) to "Check your answers", keeping each one's form;
2. prepares one browser per submission to come: from its own household address
   (HOUSEHOLD browsers an address, bench.lanes), it consents (its session: a
   browser id and the time it began) and answers the first page (its draft, which
   the submission deletes);
3. waits until the first browser began longer ago than a whole survey takes at the
   app's minimum pace.

Each POST then sends one harvested answer set with new free text (bench.texts),
the browser's cookies and CSRF token and a fresh idempotency key. The baseline's
POSTs carry the same bodies over the same kind of connections.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import deque
from dataclasses import dataclass

from bench.answers import with_new_texts
from bench.form import IDEMPOTENCY_FIELD, encode, filled_in
from bench.http_client import HttpConnection, HttpResponse, location
from bench.lanes import Lane
from bench.residents import CheckForm, JourneyError, Resident
from bench.texts import FreeText

ANSWER_SETS = 48
HOUSEHOLD = 3  # browsers an address: surveys.abuse holds the fourth of a day
CSRF_FIELD = "_csrf_token"
PREPARING_CONCURRENCY = 48
HARVEST_CONCURRENCY = 8


@dataclass(frozen=True)
class Browser:
    address: str
    cookie: str  # the Cookie header
    csrf: str
    began: float  # time.time()


@dataclass(frozen=True)
class Household:
    address: str
    browsers: tuple[Browser, ...]


# The first page's action and one resident's answers to it.
FirstPage = tuple[str, list[tuple[str, str]]]


async def first_page(host: str, port: int, survey_path: str, lane: Lane) -> FirstPage:
    """The first page's form action and a plain answer to it, which every prepared
    browser sends to have a draft."""
    resident = Resident(host, port, lane.address(ANSWER_SETS), random.Random(), lane.texts(0))
    await resident.open()
    try:
        form = await resident.get("page", await resident.begin(survey_path))
    finally:
        await resident.close()
    return form.action, filled_in(form)


async def harvest(host: str, port: int, survey_path: str, lane: Lane, seed: int) -> list[CheckForm]:
    """ANSWER_SETS residents' "Check your answers", each walked page by page."""
    rng = random.Random(seed)
    texts = lane.texts(seed)
    checks: list[CheckForm] = []
    numbers = deque(range(ANSWER_SETS))

    async def walker() -> None:
        while numbers:
            resident = Resident(host, port, lane.address(numbers.popleft()), rng, texts)
            await resident.open()
            try:
                checks.append(await resident.reach_check(await resident.begin(survey_path)))
            finally:
                await resident.close()

    await asyncio.gather(*(walker() for _ in range(HARVEST_CONCURRENCY)))
    return checks


async def _prepare_household(
    host: str, port: int, survey_path: str, address: str, first_page: FirstPage
) -> Household:
    """HOUSEHOLD browsers at one address, each begun and its first page answered.
    They share the start page's CSRF cookie (which no abuse check reads: opening
    the start page once a household saves a third of the preparing)."""
    resident = Resident(host, port, address, random.Random(), FreeText(random.Random(), 0, 1))
    await resident.open()
    browsers = []
    try:
        consent = await resident.get("start", survey_path)
        csrf = next(c.value for c in consent.inputs if c.name == CSRF_FIELD)
        shared = dict(resident.jar.cookies)
        action, answers = first_page
        pairs = [(n, v) for n, v in answers if n != CSRF_FIELD] + [(CSRF_FIELD, csrf)]
        for _ in range(HOUSEHOLD):
            resident.jar.cookies = dict(shared)  # another person: no session yet
            begun = await resident.post("begin", consent.action, filled_in(consent))
            if begun.status != 303:
                raise JourneyError("begin", begun)
            began = time.time()
            answered = await resident.post("answer", action, pairs)
            if answered.status != 303:
                raise JourneyError("answer", answered, answered.body[:300].decode())
            browsers.append(Browser(address, resident.jar.headers()["Cookie"], csrf, began))
    finally:
        await resident.close()
    return Household(address, tuple(browsers))


async def prepare(
    host: str, port: int, survey_path: str, lane: Lane, browsers: int, first_page: FirstPage
) -> deque[Household]:
    """Households enough for `browsers` submissions, in the order they began."""
    households = -(-browsers // HOUSEHOLD)
    # The harvest and first_page used the lane's first addresses; households come after.
    addresses = [lane.address(ANSWER_SETS + 1 + number) for number in range(households)]
    ready: list[Household] = []
    queue = deque(addresses)

    async def worker() -> None:
        while queue:
            address = queue.popleft()
            ready.append(await _prepare_household(host, port, survey_path, address, first_page))

    await asyncio.gather(*(worker() for _ in range(PREPARING_CONCURRENCY)))
    return deque(sorted(ready, key=lambda household: household.browsers[0].began))


class Submitter:
    """One of the concurrent clients: takes a household from the shared queue,
    connects from its address, sends each of its browsers' submissions, repeats."""

    def __init__(
        self,
        host: str,
        port: int,
        households: deque[Household],
        checks: list[CheckForm],
        texts: FreeText,
        acknowledged: list[tuple[str, int, float]],
        action: str | None = None,
        min_age_s: float = 0.0,
    ) -> None:
        self.host, self.port = host, port
        self.households = households
        self.checks = checks
        self.texts = texts
        self.acknowledged = acknowledged
        self.action = action  # the baseline's form action; None: the check form's own
        self.min_age_s = min_age_s
        self.waited_s = 0.0  # for browsers not yet answering long enough (should be 0)
        self.connection: HttpConnection | None = None
        self._left: list[Browser] = []
        self.exhausted = False
        self._turn = secrets.randbelow(len(checks))

    async def _next_browser(self) -> Browser | None:
        if not self._left:
            if not self.households:
                self.exhausted = True
                return None
            household = self.households.popleft()
            self._left = list(household.browsers)
            if self.connection is not None:
                await self.connection.close()
            self.connection = HttpConnection(self.host, self.port, household.address)
            await self.connection.open()
        return self._left.pop(0)

    async def visit(self) -> HttpResponse | None:
        """One submission (None once every browser has been used)."""
        browser = await self._next_browser()
        if browser is None or self.connection is None:
            return None
        young = browser.began + self.min_age_s - time.time()
        if young > 0:
            # Sooner would be "too_fast" (surveys.abuse): a person takes that long.
            self.waited_s += young
            await asyncio.sleep(young)
        self._turn = (self._turn + 1) % len(self.checks)
        check = self.checks[self._turn]
        key = secrets.token_urlsafe(24)
        pairs = with_new_texts(check.pairs, check.texts, self.texts)
        pairs = [(n, v) for n, v in pairs if n != CSRF_FIELD]
        pairs += [(CSRF_FIELD, browser.csrf), (IDEMPOTENCY_FIELD, key)]
        headers = {
            "Cookie": browser.cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        response = await self.connection.request(
            "POST", self.action or check.action, headers, encode(pairs)
        )
        if response.status == 303 and (self.action or location(response).endswith("/thanks")):
            self.acknowledged.append((key, check.atoms, time.time()))
        return response

    async def reconnect_if_closed(self) -> None:
        """A server closes a keep-alive connection that idled (uvicorn: after 5 s);
        the household's next browser then connects again, from the same address."""
        if self.connection is not None and self.connection.closed_by_server():
            await self.connection.close()
            await self.connection.open()

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


def baseline_households(lane: Lane, browsers: int) -> deque[Household]:
    """The baseline's clients connect the same way (HOUSEHOLD posts an address);
    it reads no cookie, so its browsers are empty."""
    households = -(-browsers // HOUSEHOLD)
    return deque(
        Household(
            lane.address(number),
            tuple(Browser(lane.address(number), "", "", 0.0) for _ in range(HOUSEHOLD)),
        )
        for number in range(households)
    )

"""The one load client used for every server, app and baseline alike.

Runs in a process of its own (`python -m bench.loadgen PLAN_JSON`) so that its CPU
time is not the servers'. Each target gets `concurrency` visitors, each holding one
keep-alive connection and sending its next request as soon as the last one is
answered (a closed loop, like 32 people pressing submit again and again).

The targets take turns in short slices, A B A B ..., rather than one long run
each: on a shared 2-core machine the background load drifts, and alternating
exposes app and baseline to the same drift. Only responses that finish inside a
slice's measuring window count; warm-up and each slice's first moments do not.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.form import encode, encode_without_key, filled_in, read_form
from bench.http_client import HttpConnection, HttpResponse

REPO_ROOT = Path(__file__).resolve().parent.parent
# A slice's first moments are not measured: the server was idle a moment ago.
SLICE_SETTLE_S = 0.25


@dataclass(frozen=True)
class Target:
    port: int
    # "page": GET a page again and again; "submit": get a form once, then POST it
    # again and again with a fresh idempotency key each time.
    mode: str
    path: str
    expect_status: int  # the status of a successful request (200 for a page, 303 for a POST)
    # Before measuring, each visitor fills in and sends this many forms from `path`
    # (the survey's start page), as a resident would, keeping the cookies it is given:
    # the page or form reached is then the one measured. -1: until "Check your
    # answers". 0: `path` itself.
    walk: int = 0


@dataclass(frozen=True)
class LoadPlan:
    host: str
    targets: list[Target]
    concurrency: int = 32
    warmup_s: float = 2.0
    slice_s: float = 2.0
    rounds: int = 5


@dataclass(frozen=True)
class LoadResult:
    per_second: float  # successful responses per second inside the measuring windows
    p50_ms: float
    p99_ms: float
    max_ms: float
    ok_measured: int
    ok_total: int  # including warm-up: what a database should now hold
    failures: dict[str, int]  # status code (or error) -> count, whole run
    client_cpu_share: float  # of one core, whole run; near 1.0: the client was the bottleneck


@dataclass
class _Tally:
    """What one target's visitors saw."""

    latencies: list[float] = field(default_factory=list)
    measured_s: float = 0.0
    ok_measured: int = 0
    ok_total: int = 0
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class _Window:
    start: float
    end: float
    measure: bool

    def counts(self, finished: float) -> bool:
        return self.measure and self.start <= finished <= self.end


class _Visitor:
    """One person with one connection: sends a request, waits for the answer, repeats."""

    def __init__(self, host: str, target: Target) -> None:
        self.target = target
        self.connection = HttpConnection(host, target.port)
        self._method, self._path = "GET", target.path
        self._headers: dict[str, str] = {}
        self._body_prefix: bytes | None = None

    async def arrive(self) -> None:
        await self.connection.open()
        self._cookies: dict[str, str] = {}
        page = await self._walk()
        if self.target.mode == "submit":
            form = read_form(page.body.decode("utf-8"))
            self._method, self._path = "POST", form.action
            self._body_prefix = encode_without_key(filled_in(form))
            self._headers["Content-Type"] = "application/x-www-form-urlencoded"

    async def _get(self, path: str) -> HttpResponse:
        page = await self.connection.request("GET", path, self._cookie_headers())
        self._keep_cookies(page)
        if page.status != 200:
            raise RuntimeError(f"GET {path} answered {page.status}")
        return page

    async def _walk(self) -> HttpResponse:
        """Like a browser: from the start page, fill in and send forms (following
        each redirect) until the page to measure; cookies kept along the way."""
        path = self.target.path
        page = await self._get(path)
        sent = 0
        while sent != self.target.walk and not (self.target.walk < 0 and "/check" in path):
            form = read_form(page.body.decode("utf-8"))
            headers = {
                **self._cookie_headers(),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            posted = await self.connection.request(
                "POST", form.action, headers, encode(filled_in(form))
            )
            self._keep_cookies(posted)
            location = dict(posted.headers).get(b"location", b"").decode()
            if posted.status != 303 or not location:
                raise RuntimeError(
                    f"POST {form.action} answered {posted.status}: {posted.body[:500]!r}"
                )
            path = location
            page = await self._get(path)
            sent += 1
            if sent > 100:
                raise RuntimeError("the walk did not reach its page")
        self._path = path
        self._headers = self._cookie_headers()
        return page

    def _cookie_headers(self) -> dict[str, str]:
        if not self._cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self._cookies.items())}

    def _keep_cookies(self, response: HttpResponse) -> None:
        """What a browser keeps of each Set-Cookie: the value, or nothing once it expires."""
        for raw in response.header_values(b"set-cookie"):
            pair, _, attributes = raw.decode("latin-1").partition(";")
            name, _, value = pair.strip().partition("=")
            if value == "null" or "expires=thu, 01 jan 1970" in attributes.lower():
                self._cookies.pop(name, None)
            else:
                self._cookies[name] = value

    async def visit(self) -> HttpResponse:
        body = b""
        if self._body_prefix is not None:
            # A fresh key per POST, in the app's own format (32 URL-safe characters).
            body = self._body_prefix + secrets.token_urlsafe(24).encode("ascii")
        return await self.connection.request(self._method, self._path, self._headers, body)

    async def reconnect_if_closed(self) -> None:
        """A server closes a keep-alive connection that idled (uvicorn: after 5 s);
        a browser then opens a new one, and so does a visitor."""
        if self.connection.closed_by_server():
            await self.connection.close()
            await self.connection.open()

    async def keep_visiting(self, window: _Window, tally: _Tally) -> None:
        await self.reconnect_if_closed()
        while time.perf_counter() < window.end:
            started = time.perf_counter()
            response = await self.visit()
            finished = time.perf_counter()
            ok = response.status == self.target.expect_status
            tally.ok_total += ok
            if not ok:
                tally.failures[str(response.status)] += 1
            if window.counts(finished):
                tally.latencies.append(finished - started)
                tally.ok_measured += ok


async def _run_slice(
    visitors: list[_Visitor], seconds: float, tally: _Tally, measure: bool
) -> None:
    start = time.perf_counter()
    window = _Window(start + SLICE_SETTLE_S, start + seconds, measure)
    await asyncio.gather(*(visitor.keep_visiting(window, tally) for visitor in visitors))
    if measure:
        tally.measured_s += seconds - SLICE_SETTLE_S


def _turns(targets: int, rounds: int) -> list[int]:
    """A B A B ...: strictly in turn, so that no connection idles for long."""
    return [index for _ in range(rounds) for index in range(targets)]


def _percentile_ms(sorted_seconds: list[float], percent: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_seconds:
        return math.nan
    rank = max(1, math.ceil(percent / 100 * len(sorted_seconds)))
    return sorted_seconds[rank - 1] * 1000


def _result(tally: _Tally, cpu_share: float) -> LoadResult:
    latencies = sorted(tally.latencies)
    return LoadResult(
        per_second=tally.ok_measured / tally.measured_s,
        p50_ms=_percentile_ms(latencies, 50),
        p99_ms=_percentile_ms(latencies, 99),
        max_ms=_percentile_ms(latencies, 100),
        ok_measured=tally.ok_measured,
        ok_total=tally.ok_total,
        failures=dict(tally.failures),
        client_cpu_share=cpu_share,
    )


async def _drive(plan: LoadPlan) -> list[LoadResult]:
    started, cpu_before = time.perf_counter(), time.process_time()
    crowds = [[_Visitor(plan.host, t) for _ in range(plan.concurrency)] for t in plan.targets]
    tallies = [_Tally() for _ in plan.targets]
    for crowd, tally in zip(crowds, tallies, strict=True):
        await asyncio.gather(*(visitor.arrive() for visitor in crowd))
        await _run_slice(crowd, plan.warmup_s, tally, measure=False)
    for index in _turns(len(plan.targets), plan.rounds):
        await _run_slice(crowds[index], plan.slice_s, tallies[index], measure=True)
    for crowd in crowds:
        await asyncio.gather(*(visitor.connection.close() for visitor in crowd))
    cpu_share = (time.process_time() - cpu_before) / (time.perf_counter() - started)
    return [_result(tally, cpu_share) for tally in tallies]


def _run_loop(plan: LoadPlan) -> list[LoadResult]:
    """uvloop when present (uvicorn[standard] brings it), as the servers use."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_drive(plan))
    return uvloop.run(_drive(plan))


def run_load(plan: LoadPlan) -> list[LoadResult]:
    """Drive the targets from a separate client process; one result per target."""
    seconds = len(plan.targets) * (plan.warmup_s + plan.rounds * plan.slice_s)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", json.dumps(asdict(plan))],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the load client failed:\n{completed.stderr}")
    return [LoadResult(**result) for result in json.loads(completed.stdout)]


def main(argv: list[str]) -> None:
    raw = json.loads(argv[0])
    plan = LoadPlan(**{**raw, "targets": [Target(**target) for target in raw["targets"]]})
    print(json.dumps([asdict(result) for result in _run_loop(plan)]))


if __name__ == "__main__":
    main(sys.argv[1:])

"""The planner's results page at city scale, against one COUNT(*) over the answers.

The demo survey (13 questions of every type) gets 10,000 and then 100,000 seeded
responses, about 2 million answer rows. At each size the signed-in planner's
results page and the baseline (bench.count_app, one `SELECT COUNT(*) FROM answer`
on the same file) are requested in turn, one at a time on keep-alive connections,
so both see the same machine; each gets the same number of samples. Printed: p50
and p99 of both and their ratio, and how each grew from 10,000 to 100,000, plus
what counting 1,000 more responses into the tally costs at each size.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import statistics
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import count_app
from bench.demo_site import DemoSite
from bench.http_client import HttpConnection
from bench.scenarios import Measurement, say
from bench.seed import seed_responses
from bench.servers import HOST, free_port, running, uvicorn_command

SIZES = (10_000, 100_000)
SAMPLES = 300  # per side and size
WARMUP = 20
INCREMENT = 1_000
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class _Latency:
    p50_ms: float
    p99_ms: float


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _sign_in(port: int, password: str) -> str:
    """Sign in as the demo planner through the login form; the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{port}"
    with opener.open(f"{base}/staff/login", timeout=10) as page:
        found = CSRF_FIELD.search(page.read().decode("utf-8"))
    if found is None:
        raise AssertionError("the login page has no CSRF field")
    form = urllib.parse.urlencode(
        {"_csrf_token": found.group(1), "username": "planner", "password": password}
    ).encode()
    with opener.open(f"{base}/staff/login", data=form, timeout=10) as signed_in:
        if "/staff/login" in signed_in.url:
            raise AssertionError("the demo planner could not sign in")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


async def _alternate(
    app_port: int, app_path: str, cookie: str, baseline_port: int
) -> tuple[_Latency, _Latency]:
    app, baseline = HttpConnection(HOST, app_port), HttpConnection(HOST, baseline_port)
    await app.open()
    await baseline.open()
    timings: dict[str, list[float]] = {"app": [], "baseline": []}
    try:
        for number in range(WARMUP + SAMPLES):
            for side, connection, path, headers in (
                ("app", app, app_path, {"Cookie": cookie}),
                ("baseline", baseline, count_app.COUNT_PATH, {}),
            ):
                started = time.perf_counter()
                response = await connection.request("GET", path, headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    raise AssertionError(f"{side} answered {response.status} for {path}")
                if side == "app" and number == 0 and b"Very unsafe" not in response.body:
                    raise AssertionError("the results page shows no counts")
                if number >= WARMUP:
                    timings[side].append(elapsed)
    finally:
        await app.close()
        await baseline.close()
    return tuple(  # type: ignore[return-value]
        _Latency(statistics.median(t), _percentile(t, 0.99)) for t in timings.values()
    )


def results_page(site: DemoSite, workdir: Path) -> Measurement:
    """p99 of the results page with 100,000 responses; ratio to COUNT(*) over answers."""
    say(
        f"results_page: the planner's results page vs one COUNT(*) over the answer table, on the "
        f"same database, {SAMPLES} requests each, alternating, at {SIZES} responses"
    )
    password = (Path(site.env["CONSULT_VAR_DIR"]) / "demo_planner_password").read_text().strip()
    survey_id = int(site.survey_path().rsplit("/", 1)[1])
    app_path = f"/staff/surveys/{survey_id}/results"
    seeded = 0
    figures: dict[int, tuple[_Latency, _Latency]] = {}
    for size in SIZES:
        result = seed_responses(site.database, survey_id, size - seeded - INCREMENT, seed=size)
        # The last 1,000 are counted into the tally on their own: the cost of adding
        # them should not depend on how many are stored already.
        increment = seed_responses(site.database, survey_id, INCREMENT, seed=size + 1)
        seeded = size
        responses, answers, _ = site.stored_counts()
        say(
            f"  {responses} responses, {answers} answers stored; counting {INCREMENT} more "
            f"into the tally took {increment.tally_s * 1000:.0f} ms "
            f"(the {result.responses} before them: {result.tally_s * 1000:.0f} ms)"
        )
        app_port, baseline_port = free_port(), free_port()
        with ExitStack() as servers:
            servers.enter_context(site.serving(app_port))
            servers.enter_context(
                running(
                    uvicorn_command("bench.count_app:create_app", baseline_port),
                    {count_app.DATABASE_ENV: str(site.database)},
                    baseline_port,
                    count_app.COUNT_PATH,
                    workdir / "count.log",
                )
            )
            cookie = _sign_in(app_port, password)
            figures[size] = asyncio.run(_alternate(app_port, app_path, cookie, baseline_port))
        app, baseline = figures[size]
        say(
            f"  at {size}: results page p50 {app.p50_ms:.1f} ms, p99 {app.p99_ms:.1f} ms; "
            f"COUNT(*) p50 {baseline.p50_ms:.1f} ms, p99 {baseline.p99_ms:.1f} ms"
        )
    small, large = figures[SIZES[0]], figures[SIZES[-1]]
    say(
        f"  growth {SIZES[0]} -> {SIZES[-1]}: results page p99 x"
        f"{large[0].p99_ms / small[0].p99_ms:.2f}, COUNT(*) p99 x"
        f"{large[1].p99_ms / small[1].p99_ms:.2f}"
    )
    app, baseline = large
    # A latency: the ratio printed is the page's p99 over COUNT(*)'s, lower is better
    # (below 1: the whole page answers faster than one COUNT(*) over the answers).
    return Measurement(
        "results_page_100k", app.p99_ms, "ms p99", baseline.p99_ms, app.p99_ms, baseline.p99_ms
    )

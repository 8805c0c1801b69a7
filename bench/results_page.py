"""The planner's results page at city scale, against one COUNT(*) over the answers.

The demo survey (13 questions of every type) has 10,000 and then 100,000 seeded
responses (bench.__main__), about 2 million answer rows at the end. At each size
the signed-in planner's results page and the baseline (bench.count_app, one
`SELECT COUNT(*) FROM answer` on the same file) are requested in turn, one at a
time on keep-alive connections, so both see the same machine; each gets the same
number of samples. Printed: p50 and p99 of both and their ratio, and what counting
1,000 more responses into the tally costs at that size.
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
from bench.measurement import Measurement, say
from bench.seed import seed_responses
from bench.servers import HOST, free_port, running, uvicorn_command

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
    """The results page's p99 against COUNT(*)'s over the answers, at the size the
    site has now (bench.__main__ seeds it to 10,000 and 100,000); and what counting
    INCREMENT more responses into the tally costs there."""
    responses, answers, _ = site.stored_counts()
    say(
        f"results_page: the planner's results page vs one COUNT(*) over the answer table, "
        f"same database, {SAMPLES} requests each, alternating, at {responses} responses "
        f"({answers} answers)"
    )
    password = (Path(site.env["CONSULT_VAR_DIR"]) / "demo_planner_password").read_text().strip()
    survey_id = site.survey_id()
    app_path = f"/staff/surveys/{survey_id}/results"
    # INCREMENT more, counted into the tally on their own: the cost of adding them
    # should not depend on how many are stored already.
    increment = seed_responses(site.database, survey_id, INCREMENT, seed=responses)
    say(f"  counting {INCREMENT} more into the tally took {increment.tally_s * 1000:.0f} ms")
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
        app, baseline = asyncio.run(_alternate(app_port, app_path, cookie, baseline_port))
    say(
        f"  results page p50 {app.p50_ms:.1f} ms, p99 {app.p99_ms:.1f} ms; "
        f"COUNT(*) p50 {baseline.p50_ms:.1f} ms, p99 {baseline.p99_ms:.1f} ms"
    )
    # A latency: the ratio printed is the page's p99 over COUNT(*)'s, lower is better
    # (below 1: the whole page answers faster than one COUNT(*) over the answers).
    return Measurement(
        "results_page",
        app.p99_ms,
        "ms p99",
        baseline.p99_ms,
        app.p99_ms,
        baseline.p99_ms,
        {
            "p50_ms": round(app.p50_ms, 1),
            "baseline_p50_ms": round(baseline.p50_ms, 1),
            "responses": responses + INCREMENT,
            "tally_1000_more_ms": round(increment.tally_s * 1000),
        },
    )

"""The one load client used for every server, app and baseline alike.

Runs in a process of its own (`python -m bench.loadgen PLAN_JSON`) so that its CPU
time is not the servers'. Each target gets `concurrency` visitors, each holding one
keep-alive connection and sending its next request as soon as the last one is
answered (a closed loop). A page's visitors ask for one page again and again; a
survey's submitters are distinct residents, each submission a browser of its own
prepared beforehand (bench.submitters), so that the app's abuse checks, which are
on, hold none of them.

The targets take turns in short slices, A B A B ..., rather than one long run
each: on a shared 2-core machine the background load drifts, and alternating
exposes app and baseline to the same drift. Only responses that finish inside a
slice's measuring window count; warm-up and each slice's first moments do not.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import submitters
from bench.lanes import Lane
from bench.submitters import Submitter
from bench.visitors import Crowd, PageVisitor

REPO_ROOT = Path(__file__).resolve().parent.parent
# A slice's first moments are not measured: the server was idle a moment ago.
SLICE_SETTLE_S = 0.25


@dataclass(frozen=True)
class Target:
    port: int
    # "page": GET a page again and again. "submit": the survey at `path` receives
    # submissions from distinct residents (bench.submitters), each a prepared
    # browser's. "post": the same bodies, over the same kind of connections, POSTed
    # to `form_action` (a baseline's), answers harvested by target `answers_from`.
    mode: str
    path: str
    expect_status: int  # the status of a successful request (200 for a page, 303 for a POST)
    # "page": before measuring, each visitor fills in and sends this many forms from
    # `path` (the survey's start page), as a resident would, keeping the cookies it
    # is given: the page reached is then the one measured. 0: `path` itself.
    walk: int = 0
    lane: int = 0  # "submit", "post": the addresses and texts (bench.lanes)
    browsers: int = 0  # "submit", "post": how many submissions to prepare for
    min_age_s: float = 0.0  # "submit": how long each browser has been answering
    answers_from: int = -1
    form_action: str = ""


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
    # "submit" and "post": each acknowledged submission's idempotency key, the
    # Answer rows it should have stored and when (time.time()); how many browsers
    # were prepared, in how
    # long; how many clients found none left (the figure is then too low).
    acknowledged: list[tuple[str, int, float]] = field(default_factory=list)
    prepared: int = 0
    prepare_s: float = 0.0
    exhausted: int = 0


@dataclass
class _Tally:
    """What one target's visitors saw."""

    latencies: list[float] = field(default_factory=list)
    measured_s: float = 0.0
    ok_measured: int = 0
    ok_total: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    acknowledged: list[tuple[str, int, float]] = field(default_factory=list)
    prepared: int = 0
    prepare_s: float = 0.0


@dataclass
class _Window:
    start: float
    end: float
    measure: bool

    def counts(self, finished: float) -> bool:
        return self.measure and self.start <= finished <= self.end


async def _keep_visiting(visitor: Crowd, target: Target, window: _Window, tally: _Tally) -> None:
    await visitor.reconnect_if_closed()
    while time.perf_counter() < window.end:
        started = time.perf_counter()
        response = await visitor.visit()
        if response is None:
            return  # no prepared browser left (counted in the result)
        finished = time.perf_counter()
        ok = response.status == target.expect_status
        tally.ok_total += ok
        if not ok:
            tally.failures[str(response.status)] += 1
        if window.counts(finished):
            tally.latencies.append(finished - started)
            tally.ok_measured += ok


async def _run_slice(
    visitors: list[Crowd], target: Target, seconds: float, tally: _Tally, measure: bool
) -> None:
    start = time.perf_counter()
    window = _Window(start + SLICE_SETTLE_S, start + seconds, measure)
    await asyncio.gather(*(_keep_visiting(v, target, window, tally) for v in visitors))
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


def _result(tally: _Tally, cpu_share: float, crowd: list[Crowd]) -> LoadResult:
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
        acknowledged=tally.acknowledged,
        prepared=tally.prepared,
        prepare_s=tally.prepare_s,
        exhausted=sum(isinstance(v, Submitter) and v.exhausted for v in crowd),
    )


async def _crowds(plan: LoadPlan, tallies: list[_Tally]) -> list[list[Crowd]]:
    """Each target's visitors, arrived; the submitting ones with their browsers."""
    crowds: list[list[Crowd]] = []
    checks: dict[int, list[submitters.CheckForm]] = {}
    ready_at = 0.0  # time.time() when every prepared browser has answered long enough
    for index, (target, tally) in enumerate(zip(plan.targets, tallies, strict=True)):
        started = time.perf_counter()
        host, port = plan.host, target.port
        crowd: list[Crowd]
        if target.mode == "page":
            visitors = [PageVisitor(host, target) for _ in range(plan.concurrency)]
            await asyncio.gather(*(visitor.arrive() for visitor in visitors))
            crowd = list(visitors)
        elif target.mode == "submit":
            lane = Lane(target.lane)
            first = await submitters.first_page(host, port, target.path, lane)
            households = await submitters.prepare(
                host, port, target.path, lane, target.browsers, first
            )
            ready_at = max(ready_at, households[-1].browsers[-1].began + target.min_age_s)
            # While the last browsers age: the answer sets they will send.
            checks[index] = await submitters.harvest(host, port, target.path, lane, index)
            texts = lane.texts(index + 1000)
            crowd = [
                Submitter(
                    host,
                    port,
                    households,
                    checks[index],
                    texts,
                    tally.acknowledged,
                    min_age_s=target.min_age_s,
                )
                for _ in range(plan.concurrency)
            ]
        elif target.mode == "post":
            lane = Lane(target.lane)
            households = submitters.baseline_households(lane, target.browsers)
            texts = lane.texts(index + 1000)
            crowd = [
                Submitter(
                    host,
                    port,
                    households,
                    checks[target.answers_from],
                    texts,
                    tally.acknowledged,
                    target.form_action,
                )
                for _ in range(plan.concurrency)
            ]
        else:
            raise ValueError(f"target {index}: no mode {target.mode!r}")
        tally.prepared = target.browsers if target.mode != "page" else 0
        tally.prepare_s = time.perf_counter() - started
        crowds.append(crowd)
    if ready_at > time.time():
        await asyncio.sleep(ready_at - time.time())
    return crowds


async def _drive(plan: LoadPlan) -> list[LoadResult]:
    started, cpu_before = time.perf_counter(), time.process_time()
    tallies = [_Tally() for _ in plan.targets]
    crowds = await _crowds(plan, tallies)
    for target, crowd, tally in zip(plan.targets, crowds, tallies, strict=True):
        await _run_slice(crowd, target, plan.warmup_s, tally, measure=False)
    for index in _turns(len(plan.targets), plan.rounds):
        target = plan.targets[index]
        await _run_slice(crowds[index], target, plan.slice_s, tallies[index], measure=True)
    for crowd in crowds:
        await asyncio.gather(*(visitor.close() for visitor in crowd))
    cpu_share = (time.process_time() - cpu_before) / (time.perf_counter() - started)
    return [_result(tally, cpu_share, crowd) for tally, crowd in zip(tallies, crowds, strict=True)]


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
    # Preparing the submitters' browsers: a few thousand a minute at worst.
    seconds += sum(target.browsers / 50 + target.min_age_s for target in plan.targets)
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
    results = [LoadResult(**result) for result in json.loads(completed.stdout)]
    return [
        LoadResult(**{**asdict(r), "acknowledged": [tuple(a) for a in r.acknowledged]})
        for r in results
    ]


def main(argv: list[str]) -> None:
    raw = json.loads(argv[0])
    plan = LoadPlan(**{**raw, "targets": [Target(**target) for target in raw["targets"]]})
    print(json.dumps([asdict(result) for result in _run_loop(plan)]))


if __name__ == "__main__":
    main(sys.argv[1:])

"""The load test's client: a thousand residents answering the survey at once.

Runs in a process of its own (`python -m bench.crowd PLAN_JSON`), so that its CPU
time is not the server's. Each of `respondents` places holds one resident at a
time: they arrive (spread over the ramp-up), read the start page and consent,
answer every page shown with a pause a person takes (reading, choosing, typing),
check their answers and send them, then leave; the next person takes the place a
few seconds later, from another address with a new browser. Nobody starts a step
after the deadline (the journeys still under way then are left unfinished, as
people leave), so the run is bounded.

Pauses are log-normal around what a phone survey takes (a page: 6 s median), never
shorter than the app's minimum pace (3 s a page, surveys.abuse), so that no
resident is held as "too_fast".
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from bench.lanes import Lane
from bench.residents import JourneyError, Resident

# Median seconds before each step, and the least; a step not named has none.
PAUSES = {"begin": (10.0, 3.0), "answer": (6.0, 3.2), "submit": (8.0, 3.0)}
PAUSE_SIGMA = 0.6
NEXT_PERSON_S = (1.0, 6.0)  # between one person leaving a place and the next arriving
REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class CrowdPlan:
    host: str
    port: int
    survey_path: str
    lane: int
    respondents: int = 1000
    seconds: float = 180.0
    ramp_s: float = 45.0
    seed: int = 13


@dataclass
class StepFigures:
    count: int = 0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class CrowdResult:
    steps: dict[str, StepFigures]
    journeys_started: int
    journeys_completed: int
    journeys_unfinished: int  # under way at the deadline
    corrected_pages: int  # a page sent again after the app pointed out an error
    acknowledged: list[tuple[str, int, float]]
    failed_submissions: int
    client_cpu_share: float
    seconds: float


def _percentile_ms(ordered: list[float], percent: float) -> float:
    if not ordered:
        return math.nan
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1] * 1000


class _Crowd:
    def __init__(self, plan: CrowdPlan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.lane = Lane(plan.lane)
        self.texts = self.lane.texts(plan.seed)
        self.addresses = itertools.count()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter[str]] = defaultdict(Counter)
        self.acknowledged: list[tuple[str, int, float]] = []
        self.started = self.completed = self.unfinished = self.corrected = 0
        self.failed_submissions = 0
        self.deadline = 0.0

    def record(self, step: str, seconds: float, ok: bool) -> None:
        """Every request's time; a failed one is counted where its journey ends
        (JourneyError), and a page the app sent back for correction (422) is no error."""
        del ok
        self.latencies[step].append(seconds)

    def pause(self, step: str) -> float:
        median, least = PAUSES.get(step, (0.0, 0.0))
        if not median:
            return 0.0
        if time.monotonic() >= self.deadline:
            raise _DeadlinePassed()
        return max(least, self.rng.lognormvariate(math.log(median), PAUSE_SIGMA))

    async def journey(self) -> None:
        resident = Resident(
            self.plan.host,
            self.plan.port,
            self.lane.address(next(self.addresses)),
            self.rng,
            self.texts,
            self.record,
            self.pause,
            REQUEST_TIMEOUT_S,
        )
        self.started += 1
        try:
            await resident.open()
            check = await resident.reach_check(await resident.begin(self.plan.survey_path))
            key = await resident.submit(check)
            self.acknowledged.append((key, check.atoms, time.time()))
            self.completed += 1
        except _DeadlinePassed:
            self.unfinished += 1
        except JourneyError as error:
            self.errors[error.step][error.status] += 1
            self.failed_submissions += error.step == "submit"
        finally:
            self.corrected += resident.corrected
            await resident.close()

    async def place(self, number: int) -> None:
        """One place in the crowd: a resident, then the next, until the deadline."""
        await asyncio.sleep(self.plan.ramp_s * number / self.plan.respondents)
        while time.monotonic() < self.deadline:
            await self.journey()
            await asyncio.sleep(self.rng.uniform(*NEXT_PERSON_S))

    async def run(self) -> CrowdResult:
        started, cpu = time.monotonic(), time.process_time()
        self.deadline = started + self.plan.seconds
        await asyncio.gather(*(self.place(n) for n in range(self.plan.respondents)))
        elapsed = time.monotonic() - started
        steps = {}
        for step, seconds in self.latencies.items():
            ordered = sorted(seconds)
            steps[step] = StepFigures(
                len(ordered),
                round(_percentile_ms(ordered, 50), 1),
                round(_percentile_ms(ordered, 90), 1),
                round(_percentile_ms(ordered, 99), 1),
                round(_percentile_ms(ordered, 100), 1),
                dict(self.errors.get(step, {})),
            )
        return CrowdResult(
            steps,
            self.started,
            self.completed,
            self.unfinished,
            self.corrected,
            self.acknowledged,
            self.failed_submissions,
            (time.process_time() - cpu) / elapsed,
            elapsed,
        )


class _DeadlinePassed(Exception):
    """The run is over: a person mid-survey leaves instead of taking the next step."""


def main(argv: list[str]) -> None:
    plan = CrowdPlan(**json.loads(argv[0]))
    try:
        import uvloop

        result = uvloop.run(_Crowd(plan).run())
    except ImportError:
        result = asyncio.run(_Crowd(plan).run())
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main(sys.argv[1:])

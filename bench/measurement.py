"""What a benchmark prints: one JSON line, its figures against its baseline's.

A benchmark measured at 10,000 and at 100,000 stored responses prints one line for
both (`Growth`): the figures at 100,000, the same at 10,000 under "at_10k", and
how each grew ("growth_10k_100k": the value's and the p99's factor, app and
baseline; other BENCH_SIZES name their own keys). Anything that breaks a promise
the benchmark checks (a submission acknowledged but not stored) is noted in
PROBLEMS, and `make bench` then fails.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Any

PROBLEMS: list[str] = []
# The stored responses each sized benchmark is measured at (BENCH_SIZES=1000,5000
# for a quick try of the benchmarks themselves).
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(","))


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def problem(message: str) -> None:
    say(f"  PROBLEM: {message}")
    PROBLEMS.append(message)


def _rounded(value: float | None, digits: int = 1) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, digits)


def _factor(large: float | None, small: float | None) -> float | None:
    if large is None or small is None or not small:
        return None
    return round(large / small, 2)


def _size(responses: int) -> str:
    return f"{responses // 1000}k" if responses % 1000 == 0 else str(responses)


@dataclass(frozen=True)
class Measurement:
    name: str
    value: float
    unit: str
    baseline: float
    p99_ms: float | None  # None: a throughput of a batch job, with no per-request latency
    baseline_p99_ms: float | None
    # Anything else worth printing (what was stored, how many were held ...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    def figures(self) -> dict[str, Any]:
        return {
            "value": _rounded(self.value),
            "unit": self.unit,
            "baseline": _rounded(self.baseline),
            "ratio": _rounded(self.ratio, 3),
            "p99_ms": _rounded(self.p99_ms),
            "baseline_p99_ms": _rounded(self.baseline_p99_ms),
        }

    def json_line(self) -> str:
        return json.dumps({"name": self.name, **self.figures(), **self.extra})


@dataclass(frozen=True)
class Growth:
    """One benchmark at two sizes of stored data."""

    name: str
    small: Measurement
    large: Measurement
    small_size: int = 10_000
    large_size: int = 100_000

    def json_line(self) -> str:
        small, large = self.small, self.large
        at, to = _size(self.small_size), _size(self.large_size)
        return json.dumps(
            {
                "name": self.name,
                **large.figures(),
                **large.extra,
                f"at_{at}": {**small.figures(), **small.extra},
                f"growth_{at}_{to}": {
                    "value": _factor(large.value, small.value),
                    "p99": _factor(large.p99_ms, small.p99_ms),
                    "baseline_value": _factor(large.baseline, small.baseline),
                    "baseline_p99": _factor(large.baseline_p99_ms, small.baseline_p99_ms),
                },
            }
        )

    def describe(self) -> None:
        small, large = self.small, self.large
        say(
            f"  growth {self.small_size} -> {self.large_size} stored: {self.name} "
            f"{small.value:.1f} -> {large.value:.1f} {large.unit} "
            f"(x{_factor(large.value, small.value)}), p99 x{_factor(large.p99_ms, small.p99_ms)}; "
            f"baseline x{_factor(large.baseline, small.baseline)}"
        )

"""The app as `consult serve` serves it, less one limit a benchmark is bound to break.

surveys.abuse holds every response beyond 60 a minute to one survey as a "spike".
A benchmark sending a thousand a second to one survey is a spike by definition,
and a held response costs less than a counted one (it skips the tally), so with
that limit the benchmark would measure a cheaper path than residents take. With
BENCH_SPIKE_PER_MINUTE set, the limit is that many instead: the counter is still
kept, in the same statement, at the same cost; every other check is as shipped.
(What the shipped limit would have held is worked out from the submission times
instead: bench.stored.spike_held.)
"""

from __future__ import annotations

import os

from litestar import Litestar

SPIKE_ENV = "BENCH_SPIKE_PER_MINUTE"


def create_app() -> Litestar:
    from consult.app import create_app as consult_app
    from consult.services.rate_limits import Limit
    from surveys.abuse import _judge

    per_minute = os.environ.get(SPIKE_ENV, "")
    if per_minute:
        shipped = _judge.SPIKE_PER_SURVEY
        _judge.SPIKE_PER_SURVEY = Limit(shipped.purpose, int(per_minute), shipped.window)
    return consult_app()

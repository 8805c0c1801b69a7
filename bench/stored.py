"""Is every acknowledged submission in the database, whole, and counted?

The load client keeps each acknowledged submission's idempotency key (the resident
was shown the thank-you page) and how many Answer rows its form carries. Here each
key is looked up: a response missing, with fewer or more answers, or held for
review (status "quarantined", with its flags) is reported. What the app's shipped
spike limit would have held is worked out from the acknowledgement times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench import db

KEYS_PER_QUERY = 500
# CONSULT_SPIKE_PER_MINUTE as shipped: more than 60 a minute to one survey,
# counted in fixed windows that start with the first submission after the last.
SHIPPED_SPIKE_LIMIT = 60
SPIKE_WINDOW_S = 60.0
_LOOKUP = (
    "SELECT r.idempotency_key, r.status, r.flags,"
    " (SELECT count(*) FROM answer a WHERE a.response = r.id)"
    " FROM response r WHERE r.idempotency_key IN "
)


@dataclass
class StoredCheck:
    acknowledged: int = 0
    stored: int = 0
    missing: int = 0
    wrong_answers: int = 0  # stored with another number of Answer rows than sent
    held: Counter[str] = field(default_factory=Counter)  # flag -> responses held with it
    held_total: int = 0

    @property
    def whole(self) -> bool:
        return self.missing == 0 and self.wrong_answers == 0

    def summary(self) -> dict[str, object]:
        return {
            "acknowledged": self.acknowledged,
            "stored": self.stored,
            "missing": self.missing,
            "wrong_answers": self.wrong_answers,
            "held_for_review": self.held_total,
            "held_flags": dict(self.held),
        }


def check_stored(url: str, acknowledged: Sequence[tuple[str, int, float]]) -> StoredCheck:
    """Look up every acknowledged key in the site's database."""
    result = StoredCheck(acknowledged=len(acknowledged))
    expected = {key: atoms for key, atoms, _ in acknowledged}
    keys = list(expected)
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        found = db.rows(url, _LOOKUP + f"({', '.join('?' * len(chunk))})", chunk)
        for key, status, flags, answers in found:
            result.stored += 1
            if int(answers) != expected[key]:
                result.wrong_answers += 1
            if status != "complete":
                result.held_total += 1
                result.held.update(flag for flag in (flags or status).split(",") if flag)
    result.missing = result.acknowledged - result.stored
    return result


def spike_held(times: Sequence[float]) -> int:
    """How many of these submissions to one survey the shipped spike limit would
    have held (consult.services.rate_limits' fixed windows)."""
    held, window_start, count = 0, float("-inf"), 0
    for moment in sorted(times):
        if moment - window_start >= SPIKE_WINDOW_S:
            window_start, count = moment, 0
        count += 1
        held += count > SHIPPED_SPIKE_LIMIT
    return held

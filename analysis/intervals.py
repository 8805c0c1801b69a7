"""Confidence intervals for shares. Pure code."""

from __future__ import annotations

import math


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (0..1) for `successes` out of `n`; z = 1.96 is 95%.

    Unlike the textbook p ± z·√(p(1−p)/n) it stays within 0..1 and is sound for small
    n and for shares near 0 or 1, which is where small consultations live. With
    n == 0 nothing is known: the interval is the whole range, (0.0, 1.0).
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError("0 <= successes <= n")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Rounding can put an end a hair outside 0..1 (or off 0 and 1 when p is 0 or 1).
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)

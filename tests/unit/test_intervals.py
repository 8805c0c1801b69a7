"""The Wilson score interval against published values."""

from __future__ import annotations

import pytest

from analysis.intervals import wilson_interval


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Symmetric about a half.
        (50, 100, 0.4038, 0.5962),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_known_values(successes: int, n: int, low: float, high: float) -> None:
    found = wilson_interval(successes, n)
    assert found == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_the_interval_holds_the_share_and_stays_in_range() -> None:
    for n in (1, 2, 5, 17, 400):
        for successes in range(n + 1):
            low, high = wilson_interval(successes, n)
            assert 0.0 <= low <= successes / n <= high <= 1.0


def test_more_answers_narrow_it() -> None:
    small = wilson_interval(30, 100)
    large = wilson_interval(300, 1000)
    assert large[1] - large[0] < small[1] - small[0]


def test_a_wider_z_widens_it() -> None:
    at_95 = wilson_interval(30, 100)
    at_99 = wilson_interval(30, 100, z=2.576)
    assert at_99[0] < at_95[0]
    assert at_99[1] > at_95[1]


def test_nobody_answered_means_anything_is_possible() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(("successes", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(successes, n)

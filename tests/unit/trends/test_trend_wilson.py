"""Wilson score interval against published values (Newcombe 1998, table I; Brown, Cai & DasGupta 2001)."""

from __future__ import annotations

import pytest

from bounceguard.core.trends import TrendInputError, wilson_interval

CASES = [
    # successes, n, confidence, lower, upper
    (0, 10, 0.95, 0.0, 0.2775),
    (5, 10, 0.95, 0.2366, 0.7634),
    (1, 3, 0.95, 0.0615, 0.7923),
    (10, 10, 0.95, 0.7225, 1.0),
    (5, 10, 0.99, 0.1842, 0.8158),
    (0, 0, 0.95, 0.0, 1.0),
]


@pytest.mark.parametrize(("successes", "n", "confidence", "lower", "upper"), CASES)
def test_wilson_interval_matches_published_values(
    successes: int, n: int, confidence: float, lower: float, upper: float
) -> None:
    lo, hi = wilson_interval(successes, n, confidence)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert hi == pytest.approx(upper, abs=5e-5)


@pytest.mark.parametrize("n", [10, 100, 1000, 100000])
def test_interval_narrows_and_contains_rate(n: int) -> None:
    lo, hi = wilson_interval(n // 10, n, 0.95)
    assert lo < 0.1 < hi
    wider_lo, wider_hi = wilson_interval(n // 10, n, 0.99)
    assert wider_lo < lo and hi < wider_hi


BAD = [
    (3, 2, 0.95),  # more successes than trials
    (-1, 5, 0.95),
    (1, -5, 0.95),
    (1, 5, 0.0),
    (1, 5, 1.0),
]


@pytest.mark.parametrize(("successes", "n", "confidence"), BAD)
def test_bad_arguments_raise_typed_error(successes: int, n: int, confidence: float) -> None:
    with pytest.raises(TrendInputError):
        wilson_interval(successes, n, confidence)

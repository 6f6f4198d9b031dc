"""Wilson score interval for a binomial proportion.

Used instead of the plain rate because "1 bounce in 3 sends" is a 33% rate with an
interval spanning almost everything; alerting on the interval's lower bound means
an alert says "the true rate is above the threshold" with the chosen confidence
(Wilson 1927; recommended over the normal approximation by Brown, Cai & DasGupta 2001).
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

from bounceguard.core.trends.errors import TrendInputError


@lru_cache(maxsize=32)
def z_score(confidence: float) -> float:
    """Two-sided standard-normal quantile: 0.95 -> 1.95996..."""
    if not 0.0 < confidence < 1.0:
        raise TrendInputError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """(lower, upper) bounds of the proportion successes/n; (0.0, 1.0) when n == 0."""
    if n < 0 or successes < 0:
        raise TrendInputError(f"counts must not be negative: successes={successes}, n={n}")
    if successes > n:
        raise TrendInputError(f"successes ({successes}) exceed trials ({n})")
    z = z_score(confidence)
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = p + z2 / (2.0 * n)
    spread = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    lower = max(0.0, (centre - spread) / denom)
    upper = min(1.0, (centre + spread) / denom)
    # Exact at the edges: with no successes the lower bound is 0, with all it is 1 above.
    if successes == 0:
        lower = 0.0
    if successes == n:
        upper = 1.0
    return (lower, upper)

"""Rates over attempts, and the Wilson interval behind each one."""

from __future__ import annotations

from bounceguard.core.models import RateName, WindowCounts
from bounceguard.core.trends.wilson import wilson_interval


def rate_count(counts: WindowCounts, rate: RateName) -> int:
    """The numerator of a rate; bounce is hard + soft + block."""
    if rate is RateName.BOUNCE:
        return counts.hard + counts.soft + counts.block
    value: int = getattr(counts, rate.value)
    return value


def rate_value(counts: WindowCounts, rate: RateName) -> float:
    """count / attempts, 0.0 with no attempts, capped at 1.0.

    The cap matters when bounces whose send fell in an earlier window outnumber this
    window's attempts; a rate above 100% would only mislead.
    """
    if counts.attempts <= 0:
        return 0.0
    return min(1.0, rate_count(counts, rate) / counts.attempts)


def rate_interval(counts: WindowCounts, rate: RateName, confidence: float) -> tuple[float, float]:
    n = max(0, counts.attempts)
    return wilson_interval(min(rate_count(counts, rate), n), n, confidence)


def all_rates(counts: WindowCounts) -> dict[RateName, float]:
    return {rate: rate_value(counts, rate) for rate in RateName}

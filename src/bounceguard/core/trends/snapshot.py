"""Rolling rates for every window, and the direction of the recent window vs the baseline."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bounceguard.core.models import RateName, Scope, Trend, WindowCounts
from bounceguard.core.trends.config import TrendConfig
from bounceguard.core.trends.rates import all_rates, rate_value
from bounceguard.core.trends.state import (
    TrendState,
    effective_now,
    top_reasons,
    window_counts,
    window_range,
)

Direction = Literal["up", "down", "flat", "unknown"]


def trailing_baseline(state: TrendState, at: datetime, config: TrendConfig) -> WindowCounts:
    """Baseline window minus the direction window when it lies inside it (7d before the last 24h).

    Comparing 24h against a 7d total that already holds those 24h would damp every change.
    """
    base_spec = config.window(config.baseline_window)
    base, _ = window_counts(state, base_spec, at)
    if config.direction_window == config.baseline_window:
        return base
    recent_spec = config.window(config.direction_window)
    b_start, b_end = window_range(base_spec, at)
    r_start, r_end = window_range(recent_spec, at)
    if not (b_start <= r_start and r_end <= b_end):
        return base
    recent, _ = window_counts(state, recent_spec, at)
    return WindowCounts(
        **{name: max(0, getattr(base, name) - getattr(recent, name)) for name in WindowCounts.model_fields}
    )


def direction(recent: WindowCounts, baseline: WindowCounts, rate: RateName, config: TrendConfig) -> Direction:
    """up / down when the rate moved by more than the tolerance, unknown below min_volume."""
    if recent.attempts < config.min_volume or baseline.attempts < config.min_volume:
        return "unknown"
    now_rate, base_rate = rate_value(recent, rate), rate_value(baseline, rate)
    tolerance = max(config.direction_tolerance * base_rate, config.direction_min_delta)
    if abs(now_rate - base_rate) <= tolerance:
        return "flat"
    return "up" if now_rate > base_rate else "down"


def snapshot(
    state: TrendState, *, tenant: str, scope: Scope, key: str, now: datetime, config: TrendConfig
) -> list[Trend]:
    """One Trend per configured window at event time `now` (never earlier than the watermark).

    Every window except the baseline carries the baseline rates and a direction per rate.
    """
    at = effective_now(state, now)
    baseline = trailing_baseline(state, at, config)
    baseline_rates = all_rates(baseline)
    trends: list[Trend] = []
    for spec in config.windows:
        counts, reasons = window_counts(state, spec, at)
        start, end = window_range(spec, at)
        compare = spec.name != config.baseline_window
        trends.append(
            Trend(
                tenant=tenant,
                scope=scope,
                key=key,
                window=spec.name,
                window_start=start,
                window_end=end,
                counts=counts,
                rates=all_rates(counts),
                baseline_rates=baseline_rates if compare else {},
                direction={rate: direction(counts, baseline, rate, config) for rate in RateName} if compare else {},
                top_reasons=top_reasons(reasons, config.top_reasons),
                computed_at=at,
            )
        )
    return trends

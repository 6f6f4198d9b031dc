"""Threshold crossings with significance and hysteresis.

Raise: the Wilson lower bound of the rate is above the level AND the window holds at
least min_volume attempts, so "1 bounce in 3 sends" never pages anyone.
Escalate warn -> critical the same way. Fall back (critical -> warn, or -> recovered)
only once the plain rate is under clear_ratio x the level, so a rate hovering at a
threshold does not flap. An unchanged level emits nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from bounceguard.core.models import Alert, RateName, Scope, Severity, WindowCounts
from bounceguard.core.trends.config import Threshold, TrendConfig
from bounceguard.core.trends.rates import rate_interval, rate_value
from bounceguard.core.trends.state import (
    AlertMark,
    TrendState,
    effective_now,
    top_reasons,
    window_counts,
)

_RANK: dict[Severity | None, int] = {None: 0, Severity.WARN: 1, Severity.CRITICAL: 2}
_NO_MARK = AlertMark()  # a (window, rate) that never alerted; shared, as marks are immutable


def alert_id(tenant: str, scope: Scope, key: str, window: str, rate: RateName, seq: int, severity: Severity) -> str:
    """Deterministic: replaying the same events from the same state yields the same id."""
    text = "\x1f".join((tenant, scope.value, key, window, rate.value, str(seq), severity.value))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def raised_level(counts: WindowCounts, rate: RateName, threshold: Threshold, config: TrendConfig) -> Severity | None:
    """The level the evidence supports on its own, ignoring what was emitted before."""
    if counts.attempts < config.min_volume_for(rate):
        return None
    lower, _ = rate_interval(counts, rate, config.confidence)
    if lower > threshold.critical:
        return Severity.CRITICAL
    if lower > threshold.warn:
        return Severity.WARN
    return None


def next_level(
    current: Severity | None, counts: WindowCounts, rate: RateName, threshold: Threshold, config: TrendConfig
) -> Severity | None:
    raised = raised_level(counts, rate, threshold, config)
    if _RANK[raised] > _RANK[current]:
        return raised
    value = rate_value(counts, rate)
    if current is Severity.CRITICAL and value <= threshold.critical * config.clear_ratio:
        still_warn = threshold.warn < threshold.critical and value > threshold.warn * config.clear_ratio
        return Severity.WARN if still_warn else None
    if current is Severity.WARN and value <= threshold.warn * config.clear_ratio:
        return None
    return current


def evaluate_alerts(
    state: TrendState, *, tenant: str, scope: Scope, key: str, now: datetime, config: TrendConfig
) -> tuple[TrendState, list[Alert]]:
    """Compare every alert window x rate with its thresholds; return the new state and the changes."""
    at = effective_now(state, now)
    marks = {window: dict(rates) for window, rates in state.alerts.items()}
    alerts: list[Alert] = []
    for window in config.alert_windows:
        counts, reasons = window_counts(state, config.window(window), at)
        for rate in RateName:
            threshold = config.thresholds.get(rate)
            if threshold is None:
                continue
            mark = marks.get(window, {}).get(rate, _NO_MARK)
            new = next_level(mark.severity, counts, rate, threshold, config)
            if new is mark.severity:
                continue
            seq = mark.seq + 1
            severity = new or Severity.RECOVERED
            crossed = threshold.critical if new is Severity.CRITICAL else threshold.warn
            lower, _ = rate_interval(counts, rate, config.confidence)
            alerts.append(
                Alert(
                    alert_id=alert_id(tenant, scope, key, window, rate, seq, severity),
                    tenant=tenant,
                    scope=scope,
                    key=key,
                    rate=rate,
                    severity=severity,
                    previous_severity=mark.severity,
                    window=window,
                    value=rate_value(counts, rate),
                    lower_bound=lower,
                    threshold=crossed,
                    counts=counts,
                    top_reasons=top_reasons(reasons, config.top_reasons),
                    at=at,
                )
            )
            marks.setdefault(window, {})[rate] = AlertMark(severity=new, seq=seq, since=at)
    if not alerts:
        return state, []
    return state.model_copy(update={"alerts": marks}), alerts

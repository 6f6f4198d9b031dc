"""deploy/prometheus/rules.yml and rules_test.yml, built from a TrendConfig.

Alert rules mirror core.trends.alerts: fire when the Wilson lower bound of a rate over
the window is above the level and the window holds at least min_volume attempts.
Prometheus has no alert state of its own to give hysteresis, so `for` delays firing
and `keep_firing_for` holds a resolved alert, which stops a rate hovering at the
threshold from paging on every evaluation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bounceguard.core.models import RateName, Scope
from bounceguard.core.trends.config import Threshold, TrendConfig
from bounceguard.core.trends.wilson import z_score
from bounceguard.observability import promql

FOR = "5m"
KEEP_FIRING_FOR = "15m"
TEST_TENANT = "acme"


def alert_name(scope: Scope, rate: RateName, window: str, level: str) -> str:
    return f"Bounceguard{scope.value.title()}{rate.value.title()}Rate{window}{level.title()}"


def levels(threshold: Threshold) -> list[tuple[str, float, float | None]]:
    """(severity label, lower level, upper level or None); one level when warn == critical."""
    if threshold.warn >= threshold.critical:
        return [("critical", threshold.critical, None)]
    return [("warning", threshold.warn, threshold.critical), ("critical", threshold.critical, None)]


def _pct(value: float) -> str:
    return f"{value * 100:g}%"


def _annotations(
    scope: Scope, rate: RateName, window: str, level: float, min_volume: int, confidence: float, key: str, tenant: str
) -> dict[str, str]:
    return {
        "summary": f"{rate.value} rate above {_pct(level)} over {window} for {scope.value} {key}",
        "description": (
            f"The {round(confidence * 100)}% Wilson lower bound of the {rate.value} rate over the last {window} "
            f"for {scope.value} {key} (tenant {tenant}) is above {_pct(level)}, "
            f"with at least {min_volume} attempts. See the bounceguard {scope.value} dashboard."
        ),
    }


def alert_rules(config: TrendConfig) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for scope in Scope:
        for window in config.alert_windows:
            for rate, threshold in config.thresholds.items():
                lb = promql.lower_bound(scope, rate, window, config.confidence)
                volume = config.min_volume_for(rate)
                for severity, level, upper in levels(threshold):
                    cond = f"{lb} > {level:g}" if upper is None else f"({lb} > {level:g}) <= {upper:g}"
                    expr = f"{cond}\nand on ({promql.by(scope)})\n{promql.attempts_increase(scope, window)} >= {volume}"
                    rules.append(
                        {
                            "alert": alert_name(scope, rate, window, severity),
                            "expr": expr,
                            "for": FOR,
                            "keep_firing_for": KEEP_FIRING_FOR,
                            "labels": {
                                "severity": severity,
                                "scope": scope.value,
                                "rate": rate.value,
                                "window": window,
                            },
                            "annotations": _annotations(
                                scope,
                                rate,
                                window,
                                level,
                                volume,
                                config.confidence,
                                f"{{{{ $labels.{scope.value} }}}}",
                                "{{ $labels.tenant }}",
                            ),
                        }
                    )
    return rules


def recording_rules(config: TrendConfig) -> list[dict[str, Any]]:
    z = z_score(config.confidence)
    rules: list[dict[str, Any]] = []
    for scope in Scope:
        for window in rule_windows(config):
            rules.append(
                {"record": promql.attempts_increase(scope, window), "expr": promql.attempts_expr(scope, window)}
            )
            rules.append(
                {"record": promql.outcomes_increase(scope, window), "expr": promql.outcomes_expr(scope, window)}
            )
            for rate in RateName:
                rules.append(
                    {"record": promql.ratio(scope, rate, window), "expr": promql.ratio_expr(scope, rate, window)}
                )
            for rate in config.thresholds:
                rules.append(
                    {
                        "record": promql.lower_bound(scope, rate, window, config.confidence),
                        "expr": promql.wilson_lower_expr(scope, rate, window, z),
                    }
                )
    return rules


def rule_windows(config: TrendConfig) -> list[str]:
    """Windows with recorded rates: the alert windows plus the trend direction window."""
    names = list(config.alert_windows)
    if config.direction_window not in names:
        names.append(config.direction_window)
    return names


def rules_file(config: TrendConfig) -> dict[str, Any]:
    """One group per scope, recording rules first: a group evaluates its rules in order, so each
    alert reads rates recorded in the same evaluation (separate groups run independently and
    could read values from the previous round, or stale ones in promtool's unit tests)."""
    groups = []
    for scope in Scope:
        rules = [r for r in recording_rules(config) if r["record"].startswith(f"tenant_{scope.value}")]
        rules += [r for r in alert_rules(config) if r["labels"]["scope"] == scope.value]
        groups.append({"name": f"bounceguard-{scope.value}", "rules": rules})
    return {"groups": groups}


def _window_minutes(config: TrendConfig, window: str) -> int:
    return int(config.window(window).size.total_seconds() // 60)


# Outcome category a test key uses for each rate: bounce keys use soft so that they
# exercise the bounce sum without also tripping the hard or block rules.
TEST_CATEGORY: dict[RateName, str] = {
    RateName.HARD: "hard",
    RateName.BOUNCE: "soft",
    RateName.BLOCK: "block",
    RateName.COMPLAINT: "complaint",
    RateName.TRAP: "trap",
    RateName.SOFT: "soft",
    RateName.UNSUBSCRIBE: "unsubscribe",
}


def _lower(count: float, n: float, z: float) -> float:
    """Wilson lower bound on real-valued counts, as the recording rule computes it."""
    if n <= 0 or count <= 0:
        return 0.0
    p = min(1.0, count / n)
    z2 = z * z
    return float((p + z2 / (2 * n) - z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n))


def _fire_rate(threshold: Threshold, severity: str) -> float:
    if severity == "warning":
        return (threshold.warn + threshold.critical) / 2
    return max(threshold.critical * 1.5, 0.001)


@dataclass(frozen=True)
class _TestKey:
    name: str
    attempts: float  # per window
    counts: dict[str, float]  # per window, by category


def _test_keys(config: TrendConfig, per_window: float) -> list[_TestKey]:
    """For every rate and level: a key that fires, one under min_volume, one under the level."""
    keys = []
    for rate, threshold in config.thresholds.items():
        cat = TEST_CATEGORY[rate]
        volume = config.min_volume_for(rate)
        keys += [
            _TestKey(f"{rate.value}-low-volume", volume / 2, {cat: volume / 4}),
            _TestKey(f"{rate.value}-under-level", per_window, {cat: per_window * threshold.warn / 2}),
        ]
        for severity, _, _ in levels(threshold):
            keys.append(
                _TestKey(
                    f"{rate.value}-{severity}-fires", per_window, {cat: per_window * _fire_rate(threshold, severity)}
                )
            )
    return keys


def _expected_to_fire(
    key: _TestKey, rate: RateName, level: float, upper: float | None, config: TrendConfig, z: float
) -> bool:
    count = sum(key.counts.get(c, 0.0) for c in promql.RATE_CATEGORIES[rate])
    lower = _lower(count, key.attempts, z)
    for edge in (level, upper):
        if edge is not None and count > 0 and abs(lower - edge) < 0.05 * max(edge, 1e-4):
            raise ValueError(f"test key {key.name} sits on the {rate.value} edge {edge}: lower bound {lower}")
    in_band = lower > level and (upper is None or lower <= upper)
    return in_band and key.attempts >= config.min_volume_for(rate)


def rule_tests(config: TrendConfig, rules_path: str = "rules.yml") -> dict[str, Any]:
    """promtool tests: per scope and window, every alert rule fires for exactly the keys it should.

    Each test feeds keys that must fire, keys under min_volume and keys under the level,
    and lists the expected firing keys for every alert; promtool fails on any extra one.
    """
    z = z_score(config.confidence)
    per_min = 1000.0
    tests: list[dict[str, Any]] = []
    for scope in Scope:
        for window in config.alert_windows:
            minutes = _window_minutes(config, window)
            step = 1 if minutes <= 60 else 15  # minutes between samples
            samples = (minutes + 60) // step
            keys = _test_keys(config, per_min * minutes)
            series = []
            for key in keys:
                labels = f'tenant="{TEST_TENANT}", {scope.value}="{key.name}"'
                per_sample = key.attempts / minutes * step
                series.append(
                    {
                        "series": f"bounceguard_{scope.value}_attempts_total{{{labels}}}",
                        "values": f"0+{per_sample:g}x{samples}",
                    }
                )
                for cat, count in key.counts.items():
                    series.append(
                        {
                            "series": f'bounceguard_{scope.value}_outcomes_total{{{labels}, category="{cat}"}}',
                            "values": f"0+{count / minutes * step:g}x{samples}",
                        }
                    )
            checks = []
            for rate, threshold in config.thresholds.items():
                volume = config.min_volume_for(rate)
                for severity, level, upper in levels(threshold):
                    firing = [k for k in keys if _expected_to_fire(k, rate, level, upper, config, z)]
                    checks.append(
                        {
                            "eval_time": f"{samples * step}m",
                            "alertname": alert_name(scope, rate, window, severity),
                            "exp_alerts": [
                                {
                                    "exp_labels": {
                                        "severity": severity,
                                        "scope": scope.value,
                                        "rate": rate.value,
                                        "window": window,
                                        "tenant": TEST_TENANT,
                                        scope.value: k.name,
                                    },
                                    "exp_annotations": _annotations(
                                        scope, rate, window, level, volume, config.confidence, k.name, TEST_TENANT
                                    ),
                                }
                                for k in firing
                            ],
                        }
                    )
            tests.append(
                {
                    "name": f"{scope.value} alerts over {window}",
                    "interval": f"{step}m",
                    "input_series": series,
                    "alert_rule_test": checks,
                }
            )
    # 15 minutes between evaluations keeps the 24h tests quick; every `for` still sees two.
    return {"rule_files": [rules_path], "evaluation_interval": "15m", "tests": tests}

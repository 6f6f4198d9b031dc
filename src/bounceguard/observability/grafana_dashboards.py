"""Grafana dashboards: overview, one mailbox, one segment.

Built as data so every panel's PromQL uses the recording-rule names of promql.py and
the thresholds of the trend config; scripts/check_observability.sh parses them all.
"""

from __future__ import annotations

from typing import Any

from bounceguard.core.models import RateName, Scope
from bounceguard.core.trends.config import TrendConfig
from bounceguard.observability import promql

DS = {"type": "prometheus", "uid": "${datasource}"}
ALERT_RATES = (RateName.HARD, RateName.BOUNCE, RateName.BLOCK, RateName.COMPLAINT, RateName.TRAP)


class _Layout:
    """Places panels left to right, 24 grid units per row."""

    def __init__(self) -> None:
        self.x = self.y = self.row_h = 0
        self.next_id = 1

    def place(self, w: int, h: int) -> dict[str, int]:
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos


def _target(expr: str, legend: str, ref: str) -> dict[str, Any]:
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": True}


def _panel(
    layout: _Layout,
    title: str,
    targets: list[tuple[str, str]],
    *,
    unit: str = "short",
    w: int = 12,
    h: int = 8,
    kind: str = "timeseries",
    description: str = "",
    thresholds: tuple[float, float] | None = None,
) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"color": "green", "value": None}]
    custom: dict[str, Any] = {}
    if thresholds is not None:
        steps += [{"color": "orange", "value": thresholds[0]}, {"color": "red", "value": thresholds[1]}]
        custom["thresholdsStyle"] = {"mode": "line+area"}
    panel = {
        "id": layout.next_id,
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": layout.place(w, h),
        "targets": [_target(expr, legend, chr(ord("A") + i)) for i, (expr, legend) in enumerate(targets)],
        "fieldConfig": {
            "defaults": {"unit": unit, "custom": custom, "thresholds": {"mode": "absolute", "steps": steps}},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]}},
    }
    layout.next_id += 1
    return panel


def _datasource_var() -> dict[str, Any]:
    return {
        "name": "datasource",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "current": {},
        "hide": 0,
    }


def _query_var(name: str, label: str, query: str, *, multi: bool = True) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DS,
        "query": {"query": query, "refId": f"{name}-values"},
        "definition": query,
        "refresh": 2,
        "sort": 1,
        "multi": multi,
        "includeAll": True,
        "allValue": ".*",
        "current": {},
        "hide": 0,
    }


def _dashboard(
    uid: str, title: str, panels: list[dict[str, Any]], variables: list[dict[str, Any]], time_from: str = "now-24h"
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "tags": ["bounceguard"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "refresh": "1m",
        "time": {"from": time_from, "to": "now"},
        "templating": {"list": [_datasource_var(), *variables]},
        "annotations": {"list": []},
        "links": [{"title": "bounceguard", "type": "dashboards", "tags": ["bounceguard"], "asDropdown": True}],
        "panels": panels,
    }


def overview(config: TrendConfig) -> dict[str, Any]:
    lay = _Layout()
    window = config.alert_windows[0]
    hard, complaint = config.thresholds.get(RateName.HARD), config.thresholds.get(RateName.COMPLAINT)
    tenant = 'tenant=~"$tenant"'
    panels = [
        _panel(
            lay,
            "Events per second by outcome",
            [("sum by (outcome) (rate(bounceguard_events_total[$__rate_interval]))", "{{outcome}}")],
            unit="ops",
        ),
        _panel(
            lay,
            "Events per second by category",
            [("sum by (category) (rate(bounceguard_events_total[$__rate_interval]))", "{{category}}")],
            unit="ops",
        ),
        _panel(
            lay,
            "Sends per minute by mailbox",
            [
                (
                    f"sum by (tenant, mailbox) (rate(bounceguard_mailbox_attempts_total{{{tenant}}}[$__rate_interval]))"
                    " * 60",
                    "{{tenant}} {{mailbox}}",
                )
            ],
            w=8,
        ),
        _panel(
            lay,
            f"Worst mailboxes: hard-bounce rate ({window})",
            [(f"topk(10, {promql.ratio(Scope.MAILBOX, RateName.HARD, window)}{{{tenant}}})", "{{tenant}} {{mailbox}}")],
            unit="percentunit",
            w=8,
            thresholds=(hard.warn, hard.critical) if hard else None,
        ),
        _panel(
            lay,
            f"Worst mailboxes: complaint rate ({window})",
            [
                (
                    f"topk(10, {promql.ratio(Scope.MAILBOX, RateName.COMPLAINT, window)}{{{tenant}}})",
                    "{{tenant}} {{mailbox}}",
                )
            ],
            unit="percentunit",
            w=8,
            thresholds=(complaint.warn, complaint.critical) if complaint else None,
        ),
        _panel(
            lay,
            f"Worst segments: bounce rate ({window})",
            [
                (
                    f"topk(10, {promql.ratio(Scope.SEGMENT, RateName.BOUNCE, window)}{{{tenant}}})",
                    "{{tenant}} {{segment}}",
                )
            ],
            unit="percentunit",
        ),
        _panel(
            lay,
            "Suppressions per minute by reason",
            [
                (
                    'sum by (reason) (rate(bounceguard_suppressions_total{action="suppress"}[$__rate_interval])) * 60',
                    "{{reason}}",
                ),
                (
                    'sum(rate(bounceguard_suppressions_total{action="unsuppress"}[$__rate_interval])) * 60',
                    "unsuppressed",
                ),
            ],
        ),
        _panel(
            lay,
            "Dead letters per minute",
            [
                (
                    "sum by (topic, error_type) (rate(bounceguard_deadletters_total[$__rate_interval])) * 60",
                    "{{topic}} {{error_type}}",
                )
            ],
            w=8,
        ),
        _panel(
            lay, "Consumer lag (messages)", [("sum by (topic) (bounceguard_consumer_lag_messages)", "{{topic}}")], w=8
        ),
        _panel(
            lay,
            "Event time to decision",
            [
                (
                    f"histogram_quantile({q}, sum by (le) (rate(bounceguard_processing_latency_seconds_bucket"
                    f"[$__rate_interval])))",
                    f"p{round(q * 100)}",
                )
                for q in (0.5, 0.95, 0.99)
            ],
            unit="s",
            w=8,
        ),
        _panel(
            lay,
            "Trend alerts emitted (per hour)",
            [("sum by (severity) (increase(bounceguard_alerts_total[1h]))", "{{severity}}")],
            w=8,
        ),
        _panel(
            lay,
            "Firing Prometheus alerts",
            [('count by (alertname) (ALERTS{alertname=~"Bounceguard.*", alertstate="firing"})', "{{alertname}}")],
            w=8,
        ),
        _panel(
            lay,
            'Label values folded into "other" (raise the cap if this grows)',
            [("sum by (label) (increase(bounceguard_label_overflow_total[1h]))", "{{label}}")],
            w=8,
        ),
    ]
    variables = [_query_var("tenant", "Tenant", "label_values(bounceguard_mailbox_attempts_total, tenant)")]
    return _dashboard("bounceguard-overview", "bounceguard / Overview", panels, variables)


def scope_dashboard(scope: Scope, config: TrendConfig) -> dict[str, Any]:
    lay = _Layout()
    s = scope.value
    sel = f'tenant=~"$tenant", {s}=~"${s}"'
    legend = f"{{{{tenant}}}} {{{{{s}}}}}"
    panels = [
        _panel(
            lay,
            "Sends per minute",
            [(f"sum by (tenant, {s}) (rate(bounceguard_{s}_attempts_total{{{sel}}}[$__rate_interval])) * 60", legend)],
            w=12,
        ),
        _panel(
            lay,
            "Outcomes per minute by category",
            [
                (
                    f"sum by (category) (rate(bounceguard_{s}_outcomes_total{{{sel}}}[$__rate_interval])) * 60",
                    "{{category}}",
                )
            ],
            w=12,
        ),
    ]
    conf = round(config.confidence * 100)
    for window in promql_windows(config):
        for rate in ALERT_RATES:
            threshold = config.thresholds.get(rate)
            targets = [(f"{promql.ratio(scope, rate, window)}{{{sel}}}", f"{legend} rate")]
            if threshold is not None:
                targets.append(
                    (
                        f"{promql.lower_bound(scope, rate, window, config.confidence)}{{{sel}}}",
                        f"{legend} {conf}% lower bound",
                    )
                )
            panels.append(
                _panel(
                    lay,
                    f"{rate.value.title()} rate ({window})",
                    targets,
                    unit="percentunit",
                    w=8,
                    description=f"{rate.value} / attempts over the last {window}; alerts fire on the lower bound.",
                    thresholds=(threshold.warn, threshold.critical) if threshold else None,
                )
            )
    panels.append(
        _panel(
            lay,
            "Windowed rates computed by the stream (event time)",
            [
                (
                    f'bounceguard_trend_rate{{scope="{s}", tenant=~"$tenant", key=~"${s}", '
                    f'rate=~"hard|bounce|complaint"}}',
                    "{{key}} {{window}} {{rate}}",
                )
            ],
            unit="percentunit",
            w=12,
        )
    )
    panels.append(
        _panel(
            lay,
            "Firing alerts",
            [(f'ALERTS{{alertstate="firing", {sel}}}', "{{alertname}} {{severity}}")],
            w=12,
            kind="table",
        )
    )
    variables = [
        _query_var("tenant", "Tenant", f"label_values(bounceguard_{s}_attempts_total, tenant)"),
        _query_var(s, s.title(), f'label_values(bounceguard_{s}_attempts_total{{tenant=~"$tenant"}}, {s})'),
    ]
    return _dashboard(f"bounceguard-{s}", f"bounceguard / {s.title()}", panels, variables)


def promql_windows(config: TrendConfig) -> list[str]:
    from bounceguard.observability.prometheus_rules import rule_windows

    return rule_windows(config)


def dashboards(config: TrendConfig) -> dict[str, dict[str, Any]]:
    return {
        "overview": overview(config),
        "mailbox": scope_dashboard(Scope.MAILBOX, config),
        "segment": scope_dashboard(Scope.SEGMENT, config),
    }

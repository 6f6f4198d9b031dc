"""Prometheus rules, their unit tests and Grafana dashboards, generated from the trend config.

The files under deploy/ are outputs of this package (`bounceguard observability generate`),
so the thresholds Prometheus alerts on are the ones the stream alerts on.
"""

"""deploy/prometheus and deploy/grafana: generated, fresh, and valid according to promtool."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bounceguard.core.models import RateName, Scope
from bounceguard.core.trends import DEFAULT_CONFIG
from bounceguard.observability import files, grafana_dashboards, prometheus_rules
from bounceguard.observability.promtool_check import check_dashboards, dashboard_expressions, substitute

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "check_observability.sh"


def promtool() -> str:
    path = shutil.which("promtool")
    assert path, "promtool is required (apt-get install prometheus)"
    return path


def test_check_script_passes_on_the_committed_files() -> None:
    promtool()
    proc = subprocess.run([str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for step in ("promtool check rules", "promtool test rules", "promtool check config", "dashboards:"):
        assert f"ok   {step}" in proc.stdout


def test_committed_files_match_the_generator() -> None:
    assert files.stale(ROOT, DEFAULT_CONFIG) == []


def test_every_alert_rule_has_a_unit_test_that_expects_it_to_fire() -> None:
    alerts = {r["alert"] for r in prometheus_rules.alert_rules(DEFAULT_CONFIG)}
    tests = prometheus_rules.rule_tests(DEFAULT_CONFIG)["tests"]
    tested = {c["alertname"] for t in tests for c in t["alert_rule_test"] if c["exp_alerts"]}
    assert tested == alerts
    # each test also feeds keys under min_volume and under the level, which must not fire
    for test in tests:
        keys = {s["series"] for s in test["input_series"]}
        assert any("low-volume" in k for k in keys) and any("under-level" in k for k in keys)


THRESHOLD_CASES = [
    (Scope.MAILBOX, RateName.HARD, "1h", "warning", "> 0.02) <= 0.05", ">= 100"),
    (Scope.MAILBOX, RateName.HARD, "1h", "critical", "> 0.05", ">= 100"),
    (Scope.SEGMENT, RateName.COMPLAINT, "24h", "warning", "> 0.001) <= 0.003", ">= 100"),
    (Scope.SEGMENT, RateName.TRAP, "1h", "critical", "> 0", ">= 1"),
]


@pytest.mark.parametrize(("scope", "rate", "window", "severity", "condition", "volume"), THRESHOLD_CASES)
def test_alert_rules_carry_the_core_thresholds(
    scope: Scope, rate: RateName, window: str, severity: str, condition: str, volume: str
) -> None:
    rules = {r["alert"]: r for r in prometheus_rules.alert_rules(DEFAULT_CONFIG)}
    rule = rules[prometheus_rules.alert_name(scope, rate, window, severity)]
    assert condition in rule["expr"] and rule["expr"].rstrip().endswith(volume)
    assert rule["labels"]["severity"] == severity


SUBSTITUTIONS = [
    ('rate(x{mailbox=~"$mailbox"}[$__rate_interval])', 'rate(x{mailbox=~".*"}[5m])'),
    ('x{tenant=~"${tenant}"}', 'x{tenant=~".*"}'),
    ('x{tenant=~"${tenant:regex}"}', 'x{tenant=~".*"}'),
    ("increase(x[$__range])", "increase(x[1h])"),
]


@pytest.mark.parametrize(("expr", "expected"), SUBSTITUTIONS)
def test_grafana_variables_are_substituted(expr: str, expected: str) -> None:
    assert substitute(expr) == expected


def test_dashboards_have_template_variables_and_queries() -> None:
    boards = grafana_dashboards.dashboards(DEFAULT_CONFIG)
    assert set(boards) == {"overview", "mailbox", "segment"}
    for scope in ("mailbox", "segment"):
        names = [v["name"] for v in boards[scope]["templating"]["list"]]
        assert names == ["datasource", "tenant", scope]
        assert all(
            f'{scope}=~"${scope}"' in expr
            for place, expr in dashboard_expressions(boards[scope])
            if place.startswith("panel") and "bounceguard_trend_rate" not in expr
        )


def test_a_broken_dashboard_expression_fails_the_check(tmp_path: Path) -> None:
    board = {"panels": [{"title": "bad", "targets": [{"refId": "A", "expr": "sum(rate(x[5m])"}]}]}
    (tmp_path / "bad.json").write_text(json.dumps(board))
    result = check_dashboards(promtool(), tmp_path)
    assert not result.ok
    assert "bad.json" in result.output

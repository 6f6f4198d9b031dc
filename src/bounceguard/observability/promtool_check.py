"""Validate the observability files with promtool: rules, rule unit tests, config, dashboard PromQL.

Grafana expressions are not PromQL until their variables are filled in, so each one is
substituted with a plausible value and checked by promtool as a recording rule.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bounceguard.core.trends.config import TrendConfig
from bounceguard.observability import files

# Grafana's built-in interval variables, with values of the right type (durations / numbers).
BUILTINS = {
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__interval_ms": "60000",
}
_VAR = re.compile(r"\$\{([A-Za-z0-9_]+)(?::[A-Za-z]+)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]")
_LABEL_VALUES = re.compile(r"^\s*label_values\((?P<selector>.+),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$", re.S)


class PromtoolMissing(RuntimeError):
    """promtool is not on PATH (Debian: apt-get install prometheus)."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    output: str


def substitute(expr: str) -> str:
    """Grafana variables -> values: built-in intervals become durations, dashboard variables ".*"."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or match.group(3)
        return BUILTINS.get(name, ".*")

    return _VAR.sub(repl, expr)


def dashboard_expressions(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, PromQL) for every panel target and every label_values() variable query."""
    out: list[tuple[str, str]] = []

    def panels(items: list[dict[str, Any]]) -> None:
        for panel in items:
            panels(panel.get("panels", []))
            for target in panel.get("targets", []):
                if target.get("expr"):
                    out.append((f"panel {panel.get('title')!r} {target.get('refId')}", target["expr"]))

    panels(dashboard.get("panels", []))
    for var in dashboard.get("templating", {}).get("list", []):
        query = var.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        if var.get("type") == "query" and isinstance(text, str):
            match = _LABEL_VALUES.match(text)
            out.append((f"variable {var.get('name')!r}", match.group("selector") if match else text))
    return out


def _run(args: list[str], cwd: Path) -> tuple[bool, str]:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def check_dashboards(promtool: str, dashboards_dir: Path) -> CheckResult:
    rules: list[dict[str, str]] = []
    where: list[str] = []
    for path in sorted(dashboards_dir.glob("*.json")):
        try:
            dashboard = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return CheckResult(f"dashboards: {path.name}", False, f"not readable JSON: {exc}")
        for place, expr in dashboard_expressions(dashboard):
            rules.append({"record": f"dashboard_expr_{len(rules)}", "expr": substitute(expr)})
            where.append(f"{path.name} {place}: {expr}")
    if not rules:
        return CheckResult("dashboards", False, f"no PromQL found under {dashboards_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        rules_path = Path(tmp) / "dashboard_exprs.yml"
        rules_path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}), "utf-8")
        ok, output = _run([promtool, "check", "rules", str(rules_path)], Path(tmp))
    if not ok:
        # promtool names the failing rule by index: map it back to the panel
        for i, text in enumerate(where):
            output = output.replace(f'dashboard_expr_{i}"', f'dashboard_expr_{i}" ({text})')
    return CheckResult(f"dashboards: {len(rules)} expressions parse", ok, output)


def check_all(
    root: Path, config: TrendConfig, *, promtool: str | None = None, dashboards_dir: Path | None = None
) -> list[CheckResult]:
    """Every check; `root` is the repository root holding deploy/."""
    tool = promtool or shutil.which("promtool")
    if tool is None:
        raise PromtoolMissing("promtool not found on PATH; install it with `apt-get install prometheus`")
    prom = root / "deploy" / "prometheus"
    results = []
    stale = files.stale(root, config)
    results.append(
        CheckResult(
            "generated files up to date",
            not stale,
            "stale, run `bounceguard observability generate`: " + ", ".join(stale) if stale else "",
        )
    )
    for name, args in (
        ("promtool check rules", [tool, "check", "rules", "rules.yml"]),
        ("promtool test rules", [tool, "test", "rules", "rules_test.yml"]),
        ("promtool check config", [tool, "check", "config", "prometheus.yml"]),
    ):
        ok, output = _run(args, prom)
        results.append(CheckResult(name, ok, output))
    results.append(check_dashboards(tool, dashboards_dir or root / "deploy" / "grafana" / "dashboards"))
    return results

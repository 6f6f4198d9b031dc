"""`bounceguard observability generate|check`: Prometheus rules, rule tests and Grafana dashboards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bounceguard.core.trends.config import DEFAULT_CONFIG


def _repo_root() -> Path:
    # src/bounceguard/cli/commands/observability.py -> repository root
    return Path(__file__).resolve().parents[4]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("observability", help="generate or check deploy/prometheus and deploy/grafana files")
    p.add_argument(
        "action",
        choices=["generate", "check"],
        help="generate: rewrite the generated files; check: run promtool on everything",
    )
    p.add_argument("--root", type=Path, default=None, help="repository root (default: this checkout)")
    p.add_argument("--dashboards", type=Path, default=None, help="dashboards directory to check")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bounceguard.observability import files
    from bounceguard.observability.promtool_check import PromtoolMissing, check_all

    root: Path = args.root or _repo_root()
    if args.action == "generate":
        for rel in files.write(root, DEFAULT_CONFIG):
            print(f"wrote {rel}")
        return 0
    try:
        results = check_all(root, DEFAULT_CONFIG, dashboards_dir=args.dashboards)
    except PromtoolMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for result in results:
        print(f"{'ok  ' if result.ok else 'FAIL'} {result.name}")
        if not result.ok and result.output:
            print("     " + result.output.replace("\n", "\n     "))
    return 0 if all(r.ok for r in results) else 1

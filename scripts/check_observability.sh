#!/usr/bin/env bash
# Checks deploy/prometheus and deploy/grafana with promtool: rules, rule unit tests, config,
# and that every PromQL expression in the dashboards parses. Needs promtool (apt-get install prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
exec "$PY" -m bounceguard observability check "$@"

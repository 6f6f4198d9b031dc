"""Helpers for integration tests: real producers/consumers and a real worker process."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import ConsumerRecord

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def create_topic(bootstrap: str, topic: str, partitions: int, config: dict[str, str] | None = None) -> None:
    """Create one topic (replication 1, the single local broker)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1, topic_configs=config or {})])
    finally:
        await admin.close()


async def produce(bootstrap: str, topic: str, records: Iterable[tuple[bytes | None, bytes]]) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    n = 0
    try:
        futures = []
        for key, value in records:
            futures.append(await producer.send(topic, value=value, key=key))
            n += 1
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return n


async def consume(
    bootstrap: str,
    topic: str,
    *,
    until: Callable[[list[ConsumerRecord]], bool],
    timeout: float = 60.0,
) -> list[ConsumerRecord]:
    """Read a topic from the beginning until `until(records)` holds or `timeout` passes."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if until(records):
                break
            batch = await consumer.getmany(timeout_ms=300)
            for recs in batch.values():
                records.extend(recs)
    finally:
        await consumer.stop()
    return records


def json_values(records: Sequence[ConsumerRecord]) -> list[dict[str, Any]]:
    return [orjson.loads(r.value) for r in records if r.value is not None]


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent() -> None:
    """In the forked child: ask Linux for SIGTERM when the parent goes.

    A test run killed from outside (Ctrl-C twice, a timeout) skips its `finally` blocks; the
    worker processes it started then ran on, and their CPU use skewed whatever ran next on the
    machine. The signal is tied to the thread that forked, so start workers from the main thread
    (all tests do), not from `asyncio.to_thread`.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class WorkerProcess:
    """`bounceguard worker` as a real child process with its own topic prefix and data dir."""

    bootstrap: str
    topic_prefix: str
    data_dir: Path
    web_port: int = field(default_factory=free_port)
    app_id: str = field(default_factory=lambda: f"bgtest-{uuid.uuid4().hex[:8]}")
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "BOUNCEGUARD_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
                "BOUNCEGUARD_TOPIC_PREFIX": self.topic_prefix,
                "BOUNCEGUARD_APP_ID": self.app_id,
                "BOUNCEGUARD_DATA_DIR": str(self.data_dir),
                "BOUNCEGUARD_WEB_PORT": str(self.web_port),
                "BOUNCEGUARD_STORE": "memory://",
                "BOUNCEGUARD_PARTITIONS": "4",
                "BOUNCEGUARD_TREND_EMIT_INTERVAL": "1",
                # A killed worker's partitions move after 10 s instead of the production 30 s.
                "BOUNCEGUARD_BROKER_SESSION_TIMEOUT": "10",
                "BOUNCEGUARD_API_TOKENS": "test-token:acme,admin-token:*",
                # Verification must never reach for the internet in tests: a dead local resolver.
                "BOUNCEGUARD_VERIFY_NAMESERVERS": "127.0.0.1:9",
                "BOUNCEGUARD_VERIFY_DNS_LIFETIME": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, wait: float = 90.0) -> WorkerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / f"worker-{self.web_port}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.proc = subprocess.Popen(
            # BOUNCEGUARD_TEST_WORKER_LOGLEVEL=info shows the worker's rebalances and commits in its log
            [
                sys.executable,
                "-m",
                "bounceguard",
                "worker",
                "--loglevel",
                os.environ.get("BOUNCEGUARD_TEST_WORKER_LOGLEVEL", "warning"),
            ],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.wait_ready(wait)
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=2) as resp:
                    if resp.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Fetch, format, start, probe and stop a local single-node KRaft broker.

The jars live in a per-version cache (`~/.cache/bounceguard/kafka-<version>/libs`), so only
the first start needs Maven Central. Each broker instance has its own run directory holding
its config, data, logs and pid file; `stop` only ever signals the pid it wrote itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

KAFKA_VERSION = "4.4.0"
DEFAULT_PORT = 19092


class BrokerError(RuntimeError):
    """The local broker could not be set up, started, probed or stopped."""


def _cache_root() -> Path:
    base = os.environ.get("BOUNCEGUARD_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "bounceguard"
    )
    return Path(base)


@dataclass(frozen=True)
class BrokerConfig:
    port: int = DEFAULT_PORT
    version: str = KAFKA_VERSION
    run_dir: Path | None = None  # default: <cache>/run/kafka-<port>
    heap: str = "768m"
    extra_properties: dict[str, str] = field(default_factory=dict)

    @property
    def controller_port(self) -> int:
        return self.port + 1

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def home(self) -> Path:
        return self.run_dir or _cache_root() / "run" / f"kafka-{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def pid_file(self) -> Path:
        return self.home / "kafka.pid"

    @property
    def properties_file(self) -> Path:
        return self.home / "server.properties"

    @property
    def libs_dir(self) -> Path:
        return _cache_root() / f"kafka-{self.version}" / "libs"


def free_port_pair(host: str = "127.0.0.1") -> int:
    """A port p with p+1 also free: the broker listens on p and its controller on p+1."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind((host, 0))
            port = int(first.getsockname()[1])
        with socket.socket() as second:
            try:
                second.bind((host, port + 1))
            except OSError:
                continue
        return port
    raise BrokerError("no free pair of adjacent ports")


def server_properties(cfg: BrokerConfig) -> str:
    """KRaft combined broker+controller on loopback, replication factors of one."""
    props = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@127.0.0.1:{cfg.controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{cfg.port},CONTROLLER://127.0.0.1:{cfg.controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{cfg.port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(cfg.data_dir),
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "4",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "4",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "num.partitions": "1",
        "num.network.threads": "2",
        "num.io.threads": "2",
        "log.cleaner.enable": "true",
        # Topics are created explicitly with their partition counts; an auto-created one would
        # silently get a single partition.
        "auto.create.topics.enable": "false",
        # Retention checks every 10 s so tests of retention-driven recovery do not wait minutes.
        "log.retention.check.interval.ms": "10000",
    }
    props.update(cfg.extra_properties)
    return "".join(f"{k}={v}\n" for k, v in props.items())


def _which(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BrokerError(f"`{tool}` was not found on PATH: {hint}")
    return path


def ensure_jars(cfg: BrokerConfig, *, quiet: bool = True) -> Path:
    """Resolve the broker classpath with Maven once; later calls reuse the cache."""
    libs = cfg.libs_dir
    marker = libs / ".complete"
    if marker.exists():
        return libs
    mvn = _which("mvn", "install Maven (Debian: apt-get install maven) to fetch the Kafka jars once")
    libs.mkdir(parents=True, exist_ok=True)
    pom = libs.parent / "pom.xml"
    pom.write_text(resources.files("bounceguard.devkafka").joinpath("pom.xml").read_text())
    cmd = [
        mvn,
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={libs}",
        "-DincludeScope=runtime",
        f"-Dkafka.version={cfg.version}",
    ]
    if quiet:
        cmd.insert(1, "-q")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        output = proc.stdout[-3000:] + proc.stderr[-2000:]
        raise BrokerError(f"Maven could not fetch Kafka {cfg.version}:\n{output}")
    if not any(libs.glob(f"kafka_2.13-{cfg.version}.jar")):
        raise BrokerError(f"Maven finished but kafka_2.13-{cfg.version}.jar is missing in {libs}")
    marker.write_text(cfg.version)
    return libs


def _java_cmd(cfg: BrokerConfig, main_class: str, *args: str) -> list[str]:
    java = _which("java", "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)")
    log4j = resources.files("bounceguard.devkafka").joinpath("log4j2.properties")
    return [
        java,
        f"-Xmx{cfg.heap}",
        "-Xms256m",
        "-XX:+UseG1GC",
        # Full tiered compilation: stopping at C1 started no faster here (3.0-4.0 s either way) and
        # the broker then spent 0.33-0.41 cores serving a worker at 500-6,000 events/s, against
        # 0.22-0.25 with C2 (docs/performance.md), on cores it shares with the worker.
        f"-Dlog4j2.configurationFile=file:{log4j}",
        f"-Dkafka.logs.dir={cfg.log_dir}",
        "-cp",
        f"{cfg.libs_dir}/*",
        main_class,
        *args,
    ]


def read_pid(cfg: BrokerConfig) -> int | None:
    try:
        pid = int(cfg.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _is_our_broker(pid, cfg) else None


def _is_our_broker(pid: int, cfg: BrokerConfig) -> bool:
    """True only for a live java process running kafka.Kafka with this instance's config."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"kafka.Kafka" in cmdline and str(cfg.properties_file).encode() in cmdline


def _format_storage(cfg: BrokerConfig) -> None:
    if (cfg.data_dir / "meta.properties").exists():
        return
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    cluster_id = _kafka_uuid()
    cmd = _java_cmd(
        cfg,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        cluster_id,
        "-c",
        str(cfg.properties_file),
        "--ignore-formatted",
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BrokerError(f"formatting KRaft storage failed:\n{proc.stdout}{proc.stderr}")


def _kafka_uuid() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding.

    Never one that starts with '-' (one in 64 would): the storage tool's argument parser reads
    it as an option and the format fails, as Kafka's own `Uuid.randomUuid` avoids too.
    """
    import base64

    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not text.startswith("-"):
            return text


async def probe(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when the broker answers a metadata request (an open port is not enough)."""
    import logging

    from aiokafka.admin import AIOKafkaAdminClient

    # Connection refusals are expected while the broker boots; keep them out of the terminal.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    client = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(client.start(), timeout)
        await asyncio.wait_for(client.list_topics(), timeout)
        return True
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            await client.close()


def wait_ready(cfg: BrokerConfig, proc: subprocess.Popen[bytes] | None = None, timeout: float = 90.0) -> None:
    """Probe until the broker answers. With `proc` (our own child), an early exit fails fast."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The java launcher may re-exec itself at start-up, so the child handle, not the
        # process's command line, is what tells an early exit apart.
        exited = proc.poll() is not None if proc is not None else read_pid(cfg) is None
        if exited:
            tail = _log_tail(cfg)
            raise BrokerError(f"the broker process exited during start-up; last log lines:\n{tail}")
        if asyncio.run(probe(cfg.bootstrap, timeout=3.0)):
            return
        time.sleep(0.3)
    raise BrokerError(f"no answer on {cfg.bootstrap} within {timeout:.0f}s:\n{_log_tail(cfg)}")


def _log_tail(cfg: BrokerConfig, lines: int = 30) -> str:
    try:
        return "\n".join((cfg.log_dir / "broker.out").read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start(cfg: BrokerConfig, *, fresh: bool = False, wait: bool = True) -> int:
    """Start the broker (idempotent: an already running instance is reused). Returns its pid."""
    existing = read_pid(cfg)
    if existing is not None and not fresh:
        if wait:
            wait_ready(cfg)
        return existing
    if existing is not None:
        stop(cfg)
    if fresh and cfg.home.exists():
        shutil.rmtree(cfg.data_dir, ignore_errors=True)
    ensure_jars(cfg)
    cfg.home.mkdir(parents=True, exist_ok=True)
    cfg.log_dir.mkdir(parents=True, exist_ok=True)
    cfg.properties_file.write_text(server_properties(cfg))
    _format_storage(cfg)
    out = open(cfg.log_dir / "broker.out", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        _java_cmd(cfg, "kafka.Kafka", str(cfg.properties_file)),
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the caller's terminal must not kill it half-way
    )
    out.close()
    cfg.pid_file.write_text(str(proc.pid))
    if wait:
        try:
            wait_ready(cfg, proc)
        except BrokerError:
            stop(cfg)
            raise
    return proc.pid


def stop(cfg: BrokerConfig, timeout: float = 30.0) -> bool:
    """Stop our broker by its own pid: TERM, then KILL after `timeout`. False if none ran."""
    pid = read_pid(cfg)
    if pid is None:
        time.sleep(0.5)  # a broker that is still exec-ing shows its command line a moment later
        pid = read_pid(cfg)
    if pid is None:
        cfg.pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_our_broker(pid, cfg):
            break
        _reap(pid)
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        _reap(pid)
    cfg.pid_file.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the broker is our own child (avoids a zombie)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@contextlib.contextmanager
def throwaway(run_dir: Path) -> Iterator[tuple[str, int]]:
    """A fresh broker on free ports under `run_dir` for the length of the block: (bootstrap, pid).

    For benchmarks and tools run without a broker of their own; stopped however the block ends.
    """
    cfg = BrokerConfig(port=free_port_pair(), run_dir=run_dir)
    pid = start(cfg, fresh=True)
    try:
        yield cfg.bootstrap, pid
    finally:
        stop(cfg)


def status(cfg: BrokerConfig) -> tuple[int | None, bool]:
    pid = read_pid(cfg)
    alive = pid is not None and asyncio.run(probe(cfg.bootstrap, timeout=3.0))
    return pid, alive

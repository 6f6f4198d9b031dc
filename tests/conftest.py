"""Shared fixtures: a real Kafka broker for integration tests, and unique topic prefixes.

Broker, in order of preference:
1. `KAFKA_BOOTSTRAP_SERVERS` when set (an existing broker, e.g. started by `.ci/run`);
2. testcontainers' Kafka container when a Docker engine answers;
3. the local broker from Maven Central jars (`bounceguard kafka start`) in a fresh run
   directory on free ports, stopped at the end of the session.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if env:
        yield env
        return
    if _docker_answers():
        from testcontainers.community.kafka import KafkaContainer

        with KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    from bounceguard.devkafka import broker

    cfg = broker.BrokerConfig(port=broker.free_port_pair(), run_dir=tmp_path_factory.mktemp("kafka"))
    broker.start(cfg, fresh=True)
    try:
        yield cfg.bootstrap
    finally:
        broker.stop(cfg)


@pytest.fixture
def topic_prefix() -> str:
    """A prefix no other test or run uses, so tests never see each other's data."""
    return f"bgtest-{uuid.uuid4().hex[:10]}."


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = Path(os.environ.get("BOUNCEGUARD_CORPUS", REPO_ROOT.parent / "shared" / "corpus" / "sisimai"))
    if not (path / "labels.jsonl").exists():
        pytest.fail(f"the labelled bounce corpus is missing at {path} (set BOUNCEGUARD_CORPUS)")
    return path

"""The client examples against a real broker: aiokafka publisher, kcat publisher, suppression follower."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from kafka_helpers import consume, create_topic, produce  # type: ignore[import-not-found]

from bounceguard.core.categories import Reason
from bounceguard.core.models import SendResult, Suppression, SuppressionAction

pytestmark = pytest.mark.kafka

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_LINES = (EXAMPLES / "sample_events.jsonl").read_text().splitlines()


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


publisher = _load("publish_send_results")
follower = _load("follow_suppressions")


def _check_round_trip(records: list[object]) -> None:
    assert len(records) == len(SAMPLE_LINES)
    sent = [SendResult.model_validate_json(line) for line in SAMPLE_LINES]
    got = [SendResult.model_validate_json(r.value) for r in records]  # type: ignore[attr-defined]
    assert sorted(got, key=lambda r: (r.event_id, r.timestamp)) == sorted(sent, key=lambda r: (r.event_id, r.timestamp))
    for record, result in zip(records, got, strict=True):
        assert record.key == f"{result.tenant}/{result.recipient.lower()}".encode()  # type: ignore[attr-defined]


def test_python_publisher_round_trip(kafka_bootstrap: str, topic_prefix: str) -> None:
    topic = f"{topic_prefix}send-results"
    asyncio.run(create_topic(kafka_bootstrap, topic, 4, {}))
    assert (
        publisher.main([str(EXAMPLES / "sample_events.jsonl"), "--bootstrap", kafka_bootstrap, "--topic", topic]) == 0
    )
    records = asyncio.run(consume(kafka_bootstrap, topic, until=lambda rs: len(rs) >= len(SAMPLE_LINES), timeout=60))
    _check_round_trip(records)


def test_kcat_publisher_round_trip(kafka_bootstrap: str, topic_prefix: str) -> None:
    if shutil.which("kcat") is None:
        if os.environ.get("CI"):
            pytest.fail("kcat is not installed (apt-get install -y kcat)")
        pytest.skip("kcat is not installed (apt-get install -y kcat)")
    topic = f"{topic_prefix}send-results-kcat"
    asyncio.run(create_topic(kafka_bootstrap, topic, 4, {}))
    proc = subprocess.run(
        ["bash", str(EXAMPLES / "publish_send_results.sh")],
        env={**os.environ, "BOOTSTRAP": kafka_bootstrap, "TOPIC": topic},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"published {len(SAMPLE_LINES)} send results" in proc.stdout
    records = asyncio.run(consume(kafka_bootstrap, topic, until=lambda rs: len(rs) >= len(SAMPLE_LINES), timeout=60))
    _check_round_trip(records)


def _decision(address: str, action: SuppressionAction) -> bytes:
    return (
        Suppression(
            transition_id=f"{address}-{action}",
            address=address,
            action=action,
            reason=Reason.USERUNKNOWN if action is SuppressionAction.SUPPRESS else None,
            decided_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
        .model_dump_json()
        .encode()
    )


def test_follow_suppressions_builds_latest_per_key(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> None:
    topic = f"{topic_prefix}suppressions"
    asyncio.run(create_topic(kafka_bootstrap, topic, 3, {"cleanup.policy": "compact"}))
    s, u = SuppressionAction.SUPPRESS, SuppressionAction.UNSUPPRESS
    records: list[tuple[bytes | None, bytes]] = [
        (b"default/a@example.com", _decision("a@example.com", s)),
        (b"default/b@example.com", _decision("b@example.com", s)),
        (b"default/c@example.com", _decision("c@example.com", s)),
        (b"default/b@example.com", _decision("b@example.com", u)),  # unsuppressed by hand
        (b"default/d@example.com", b"{broken"),
    ]
    asyncio.run(produce(kafka_bootstrap, topic, records))
    asyncio.run(produce(kafka_bootstrap, topic, [(b"default/c@example.com", None)]))  # type: ignore[list-item]
    out = tmp_path / "suppressed.txt"
    assert follower.main(["--bootstrap", kafka_bootstrap, "--topic", topic, "--out", str(out)]) == 0
    assert out.read_text().splitlines() == ["default/a@example.com"]

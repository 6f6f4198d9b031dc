"""A real Prometheus scrapes a running worker; the dashboard's PromQL returns the expected rate."""

from __future__ import annotations

import math
import time
import uuid

import orjson
import pytest
from kafka_helpers import WorkerProcess, produce  # type: ignore[import-not-found]
from prometheus_server import RULES, PrometheusServer  # type: ignore[import-not-found]

pytestmark = [pytest.mark.kafka]


def _batch(mailbox: str, sends: int, hard: int) -> list[tuple[bytes, bytes]]:
    out = []
    for i in range(sends):
        rcpt = f"p{uuid.uuid4().hex[:10]}@example.org"
        body: dict[str, object] = {
            "recipient": rcpt,
            "tenant": "promtest",
            "mailbox": mailbox,
            "segment": "s1",
            "timestamp": "2026-07-01T10:00:00Z",
            "event_id": uuid.uuid4().hex,
            "message_id": f"<{uuid.uuid4().hex}@x>",
        }
        if i < hard:
            body |= {"outcome": "bounced", "reply_code": 550, "enhanced_status": "5.1.1", "diagnostic": "550 5.1.1 no"}
        else:
            body |= {"outcome": "delivered", "reply_code": 250}
        out.append((rcpt.encode(), orjson.dumps(body)))
    return out


def _wait_value(prom: PrometheusServer, expr: str, expected: float, timeout: float = 60.0) -> float | None:
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        result = prom.query(expr)
        if result:
            last = float(result[0]["value"][1])
            if math.isclose(last, expected, rel_tol=1e-6):
                return last
        time.sleep(0.5)
    return last


async def test_prometheus_scrapes_the_worker(worker: WorkerProcess) -> None:
    mailbox = f"prom-{uuid.uuid4().hex[:6]}@shop.example"
    topic = f"{worker.topic_prefix}send-results"
    instance = f"127.0.0.1:{worker.web_port}"
    await produce(worker.bootstrap, topic, _batch(mailbox, 100, 10))
    with PrometheusServer([instance], rule_files=[RULES]) as prom:
        attempts = f'sum(bounceguard_mailbox_attempts_total{{mailbox="{mailbox}"}})'
        assert _wait_value(prom, attempts, 100.0) == 100.0
        before = prom.wait_for_scrape(instance)
        # Counters must move between scrapes for the recorded increase() to see them.
        await produce(worker.bootstrap, topic, _batch(mailbox, 100, 10))
        assert _wait_value(prom, attempts, 200.0) == 200.0
        prom.wait_for_scrape(instance, after=before + 1)
        # The recording rule the mailbox dashboard plots: hard bounces / attempts over 1h.
        rate = _wait_value(prom, f'tenant_mailbox:bounceguard_hard_ratio:1h{{mailbox="{mailbox}"}}', 0.1)
        assert rate == pytest.approx(0.1)
        assert float(prom.query('sum(bounceguard_suppressions_total{reason="userunknown"})')[0]["value"][1]) >= 20

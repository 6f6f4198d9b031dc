"""Stop and restart the broker mid-stream (same data dir): the worker reconnects and nothing is lost.

Uses a broker of its own on free ports, never the session broker other tests share.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_support import FaultResult, collect_suppressions, dead_letter_count, progress, send_result_stream
from kafka_helpers import WorkerProcess, produce  # type: ignore[import-not-found]

from bounceguard.devkafka import broker

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.slow, pytest.mark.timeout(1200)]

N_EVENTS = 12_000
N_ADDRESSES = 1_500
DOWN_SECONDS = 8.0  # long enough for the worker's requests to time out and its reconnect loop to run


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[broker.BrokerConfig]:
    cfg = broker.BrokerConfig(port=broker.free_port_pair(), run_dir=tmp_path / "kafka")
    broker.start(cfg, fresh=True)
    try:
        yield cfg
    finally:
        broker.stop(cfg)


async def test_broker_restart_mid_stream_worker_resumes_and_loses_nothing(
    own_broker: broker.BrokerConfig, topic_prefix: str, tmp_path: Path
) -> None:
    bootstrap = own_broker.bootstrap
    tag = uuid.uuid4().hex[:8]
    stream = send_result_stream(N_EVENTS, N_ADDRESSES, seed=99, tag=tag)
    oracle = stream.oracle()
    worker = WorkerProcess(bootstrap, topic_prefix, tmp_path / "worker")
    worker.start()
    topic = f"{topic_prefix}suppressions"
    try:
        await produce(bootstrap, f"{topic_prefix}send-results", stream.records)
        at_stop = await progress(bootstrap, topic, len(oracle) // 4, timeout=240)
        t_stop = time.monotonic()
        await asyncio.to_thread(broker.stop, own_broker)
        await asyncio.sleep(DOWN_SECONDS)
        alive_while_down = worker.alive()
        await asyncio.to_thread(broker.start, own_broker)
        down_for = time.monotonic() - t_stop
        tally = await collect_suppressions(bootstrap, topic, oracle, timeout=300)
        dead = await dead_letter_count(bootstrap, f"{topic_prefix}deadletter")
        alive = worker.alive()
    finally:
        worker.stop()
    counts = {**tally.counts(), "dead_lettered": dead}
    FaultResult(
        "broker-restart",
        counts,
        {
            "events": N_EVENTS,
            "suppressions_on_topic_at_stop": at_stop,
            "broker_down_seconds": round(down_for, 1),
            "worker_alive_while_broker_down": alive_while_down,
        },
    ).report()
    assert alive_while_down and alive, worker.log_tail()
    assert counts["lost"] == 0, f"lost {counts['lost']}, e.g. {tally.lost_keys()}"
    assert counts["duplicates_differing"] == 0 and counts["content_differs_from_oracle"] == 0
    assert counts["unexpected"] == 0 and counts["dead_lettered"] == 0

"""SIGKILL the worker mid-stream and restart it: no suppression the oracle emits may be lost.

At-least-once may re-emit a suppression after the restart, but the copy must be identical
(same key, same transition_id, same content): subscribers then see no difference. Exactly-once
(Kafka transactions, read with isolation_level=read_committed) should also show no duplicates;
whether it does is recorded, and the at-least-once invariant is what is asserted.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fault_support import (
    FaultResult,
    collect_suppressions,
    dead_letter_count,
    phase,
    progress,
    send_result_stream,
)
from kafka_helpers import WorkerProcess, produce  # type: ignore[import-not-found]

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.timeout(1200)]

N_EVENTS = 20_000
N_ADDRESSES = 2_500


@pytest.mark.parametrize(
    ("store", "guarantee"),
    [
        pytest.param("memory://", "at_least_once", id="memory-at_least_once"),
        pytest.param("rocksdb://", "at_least_once", id="rocksdb-at_least_once", marks=pytest.mark.slow),
        pytest.param("memory://", "exactly_once", id="memory-exactly_once", marks=pytest.mark.slow),
        pytest.param("rocksdb://", "exactly_once", id="rocksdb-exactly_once", marks=pytest.mark.slow),
    ],
)
async def test_sigkill_mid_stream_then_restart_loses_nothing(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, store: str, guarantee: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    stream = send_result_stream(N_EVENTS, N_ADDRESSES, seed=20260202, tag=tag)
    oracle = stream.oracle()
    env = {"BOUNCEGUARD_STORE": store, "BOUNCEGUARD_PROCESSING_GUARANTEE": guarantee}
    first = WorkerProcess(kafka_bootstrap, topic_prefix, tmp_path / "worker", extra_env=env)
    first.start()
    second = WorkerProcess(
        kafka_bootstrap, topic_prefix, tmp_path / "worker", web_port=first.web_port, app_id=first.app_id, extra_env=env
    )
    try:
        await produce(kafka_bootstrap, f"{topic_prefix}send-results", stream.records)
        # Kill once a quarter of the suppressions are out: thousands of events in, most still to come.
        seen_at_kill = await progress(kafka_bootstrap, f"{topic_prefix}suppressions", len(oracle) // 4, timeout=240)
        assert first.alive(), f"worker exited early ({first.proc and first.proc.returncode}): {first.log_tail()}"
        first.kill()  # SIGKILL: no commit, no flush, no rebalance handshake
        phase(f"SIGKILL with {seen_at_kill} of {len(oracle)} suppressions on the topic")
        second.start(wait=180)
        phase("restarted worker ready")
        tally = await collect_suppressions(kafka_bootstrap, f"{topic_prefix}suppressions", oracle, timeout=300)
        dead = await dead_letter_count(kafka_bootstrap, f"{topic_prefix}deadletter")
        alive = second.alive()
    finally:
        second.stop()
        first.stop()
    counts = {**tally.counts(), "dead_lettered": dead}
    result = FaultResult(
        f"sigkill-{store.rstrip(':/')}-{guarantee}",
        counts,
        {
            "events": N_EVENTS,
            "addresses": N_ADDRESSES,
            "suppressions_on_topic_at_kill": seen_at_kill,
            "exactly_once_held": counts["duplicated"] == 0 if guarantee == "exactly_once" else None,
        },
    )
    result.report()
    assert alive, second.log_tail()
    assert counts["lost"] == 0, f"lost {counts['lost']}, e.g. {tally.lost_keys()}"
    assert counts["duplicates_differing"] == 0, "a re-emitted suppression differs from its first copy"
    assert counts["content_differs_from_oracle"] == 0
    assert counts["unexpected"] == 0
    assert counts["dead_lettered"] == 0

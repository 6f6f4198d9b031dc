"""A second worker joins mid-stream, then the first leaves: nothing is lost and tables move.

Every partition the second worker ends up holding was the first worker's, so once the first
is gone a suppression API lookup on the second, for keys of every partition, proves the
address table followed its partitions (rebuilt from the changelog on the new owner).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from fault_support import (
    FaultResult,
    TopicReader,
    api_get,
    collect_suppressions,
    dead_letter_count,
    progress,
    send_result_stream,
    start_paced,
)
from kafka_helpers import WorkerProcess  # type: ignore[import-not-found]

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.slow, pytest.mark.timeout(1200)]

N_EVENTS = 12_000
PACE = 800  # send results per second
N_ADDRESSES = 1_500


async def _partition_of_keys(bootstrap: str, topic: str) -> dict[str, int]:
    async with TopicReader(bootstrap, topic) as reader:
        await reader.drain()
        return {r.key.decode(): r.partition for r in reader.records if r.key is not None}


@pytest.mark.parametrize("store", ["memory://", "rocksdb://"])
async def test_second_worker_joins_then_first_leaves_loses_nothing(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, store: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    stream = send_result_stream(N_EVENTS, N_ADDRESSES, seed=4242, tag=tag)
    oracle = stream.oracle()
    env = {"BOUNCEGUARD_STORE": store}
    first = WorkerProcess(kafka_bootstrap, topic_prefix, tmp_path / "first", extra_env=env)
    first.start()
    second = WorkerProcess(kafka_bootstrap, topic_prefix, tmp_path / "second", app_id=first.app_id, extra_env=env)
    topic = f"{topic_prefix}suppressions"
    # Paced (15 s of input), so the fault lands mid-stream however fast the worker is.
    publishing = start_paced(kafka_bootstrap, f"{topic_prefix}send-results", stream.records, PACE)
    try:
        at_join = await progress(kafka_bootstrap, topic, len(oracle) // 5, timeout=240)
        second.start(wait=180)
        at_leave = await progress(kafka_bootstrap, topic, len(oracle) // 2, timeout=240)
        first.stop()  # a clean leave: the group rebalances and the second worker takes every partition
        first_exit = first.proc.returncode if first.proc is not None else None
        await publishing
        tally = await collect_suppressions(kafka_bootstrap, topic, oracle, timeout=300)
        dead = await dead_letter_count(kafka_bootstrap, f"{topic_prefix}deadletter")
        partitions = await _partition_of_keys(kafka_bootstrap, topic)
        second.wait_ready(120)
        lookups: Counter[str] = Counter()
        wrong_samples: list[tuple[str, int, dict[str, object]]] = []
        per_partition: Counter[int] = Counter()
        for key, tid in oracle:
            tenant, address = key.split("/", 1)
            status, body = await asyncio.to_thread(
                api_get, second.web_port, f"/suppressions/{tenant}/{quote(address, safe='@')}"
            )
            good = status == 200 and body.get("status") == "suppressed" and body.get("transition_id") == tid
            lookups["ok" if good else "wrong"] += 1
            if not good and len(wrong_samples) < 5:
                wrong_samples.append((key, status, body))
            if good:
                per_partition[partitions[key]] += 1
        alive = second.alive()
    finally:
        publishing.cancel()
        second.stop()
        first.stop()
    counts = {**tally.counts(), "dead_lettered": dead, "lookups_ok": lookups["ok"], "lookups_wrong": lookups["wrong"]}
    FaultResult(
        f"rebalance-{store.rstrip(':/')}",
        counts,
        {
            "events": N_EVENTS,
            "suppressions_on_topic_at_join": at_join,
            "suppressions_on_topic_at_leave": at_leave,
            "first_worker_exit_code": first_exit,
            "lookups_ok_per_partition": dict(sorted(per_partition.items())),
        },
    ).report()
    assert alive, second.log_tail()
    assert counts["lost"] == 0, f"lost {counts['lost']}, e.g. {tally.lost_keys()}"
    assert counts["duplicates_differing"] == 0 and counts["content_differs_from_oracle"] == 0
    assert counts["unexpected"] == 0 and counts["dead_lettered"] == 0
    assert counts["lookups_wrong"] == 0, wrong_samples
    assert len(per_partition) == len(set(partitions.values())) > 1  # keys of every partition answered

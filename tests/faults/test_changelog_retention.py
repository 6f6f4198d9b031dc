"""Recovery after compaction and retention removed old changelog segments does not hang.

Faust's windowed tables can stall in recovery ("No event received for active tp") once a
changelog's earliest offset has moved past where recovery expects to start. bounceguard's
tables are plain compacted tables; this proves their recovery still completes when:

- the changelogs roll segments every second and the cleaner has compacted many overwrites
  of the same keys away (offset gaps inside the log), and
- the log start offset has moved (what retention does), here by deleting every record before
  the oldest latest-value of each partition (DeleteRecords, so the changelogs are switched to
  ``compact,delete`` first), so no current value is lost.

The worker's local state is then wiped and a new worker must be ready within a bound, answer
from the recovered tables, and keep processing.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.structs import TopicPartition
from fault_support import T0, FaultResult, Stream, TopicReader, api_get, collect_suppressions
from kafka_helpers import WorkerProcess, produce  # type: ignore[import-not-found]

from bounceguard.core.intake import event_from_send_result, parse_send_result
from bounceguard.stream.topics import TABLES

pytestmark = [pytest.mark.faults, pytest.mark.kafka, pytest.mark.slow, pytest.mark.timeout(1200)]

N_ADDRESSES = 300
ROUNDS = 8  # deliveries per address: every round overwrites every address-state key
RECOVERY_BOUND = 90.0  # seconds to readiness on an empty data dir; a stalled recovery never gets there
COMPACTION_WAIT = 120.0

# Small segments and no lag, so the cleaner has closed segments to compact within seconds.
FAST_CLEANING = {
    "segment.ms": "1000",
    "min.cleanable.dirty.ratio": "0.01",
    "min.compaction.lag.ms": "0",
    "delete.retention.ms": "1000",
    "file.delete.delay.ms": "1000",
}


def _event(tag: str, i: int, seq: int, outcome: str, **extra: Any) -> tuple[bytes, bytes]:
    tenant = "acme"
    recipient = f"{tag}-r{i}@d{i % 11}.example.net"
    body = {
        "event_id": f"{tag}-{seq}",
        "tenant": tenant,
        "recipient": recipient,
        "outcome": outcome,
        "mailbox": "news@sender.example",
        "segment": f"seg{i % 3}",
        "message_id": f"<{tag}-{seq}@sender.example>",
        "timestamp": (T0 + timedelta(minutes=seq)).isoformat(),
        **extra,
    }
    return f"{tenant}/{recipient}".encode(), orjson.dumps(body)


def _stream(records: list[tuple[bytes, bytes]]) -> Stream:
    return Stream(records, [event_from_send_result(parse_send_result(v)) for _, v in records])


async def _configure_changelogs(bootstrap: str, app_id: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.alter_configs(
            [
                ConfigResource(
                    ConfigResourceType.TOPIC,
                    f"{app_id}-{table}-changelog",
                    # compact,delete: the broker refuses DeleteRecords on a compact-only topic; the
                    # default retention.ms (7 days) keeps time-based deletion out of the test.
                    configs={"cleanup.policy": "compact,delete", **FAST_CLEANING},
                )
                for table in TABLES
            ]
        )
    finally:
        await admin.close()


async def _changelog(bootstrap: str, topic: str) -> list[Any]:
    async with TopicReader(bootstrap, topic, isolation_level="read_uncommitted") as reader:
        await reader.drain()
        return reader.records


async def _wait_compacted(bootstrap: str, topic: str, written: int) -> int:
    """Poll until the cleaner removed overwritten records (fewer left than written); returns the count left."""
    deadline = time.monotonic() + COMPACTION_WAIT
    left = written
    while time.monotonic() < deadline:
        left = len(await _changelog(bootstrap, topic))
        if left < written:
            return left
        await asyncio.sleep(3)
    return left


async def _move_log_start(bootstrap: str, topic: str) -> dict[int, int]:
    """Delete, per partition, every record before the oldest record that is still some key's latest value."""
    records = await _changelog(bootstrap, topic)
    latest: dict[tuple[int, bytes], int] = {}
    for r in records:
        latest[(r.partition, r.key)] = r.offset
    cut: dict[int, int] = {}
    for (partition, _), offset in latest.items():
        cut[partition] = min(cut.get(partition, offset), offset)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        done = await admin.delete_records(
            {TopicPartition(topic, p): RecordsToDelete(before_offset=o) for p, o in cut.items() if o > 0}
        )
    finally:
        await admin.close()
    return {tp.partition: low for tp, low in done.items()}


async def test_recovery_after_compaction_and_retention_does_not_hang(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    env = {"BOUNCEGUARD_STORE": "rocksdb://"}
    data_dir = tmp_path / "worker"
    first = WorkerProcess(kafka_bootstrap, topic_prefix, data_dir, extra_env=env)
    first.start()
    second = WorkerProcess(
        kafka_bootstrap, topic_prefix, data_dir, web_port=first.web_port, app_id=first.app_id, extra_env=env
    )
    address_changelog = f"{first.app_id}-address-state-changelog"
    records: list[tuple[bytes, bytes]] = []
    try:
        await _configure_changelogs(kafka_bootstrap, first.app_id)
        seq = 0
        for _ in range(ROUNDS):
            batch = []
            for i in range(N_ADDRESSES):
                batch.append(_event(tag, i, seq, "delivered", reply_code=250))
                seq += 1
            records += batch
            await produce(kafka_bootstrap, f"{topic_prefix}send-results", batch)
            await asyncio.sleep(1.2)  # let the changelog segments roll between rounds
        hard = {"reply_code": 550, "enhanced_status": "5.1.1", "diagnostic": "550 5.1.1 user unknown"}
        batch = []
        for i in range(0, N_ADDRESSES, 2):
            batch.append(_event(tag, i, seq, "bounced", **hard))
            seq += 1
        records += batch
        await produce(kafka_bootstrap, f"{topic_prefix}send-results", batch)
        oracle = _stream(records).oracle()
        tally = await collect_suppressions(kafka_bootstrap, f"{topic_prefix}suppressions", oracle, timeout=300)
        assert tally.counts()["lost"] == 0, first.log_tail()
        written = len(records)  # every event rewrites its address-state key
        await asyncio.sleep(2)  # let the last segment roll before compaction is awaited
        await produce(kafka_bootstrap, f"{topic_prefix}send-results", [_event(tag, 0, seq, "sent")])  # rolls it
        seq += 1
        records.append(_event(tag, 0, seq - 1, "sent"))
        left = await _wait_compacted(kafka_bootstrap, address_changelog, written)
        log_start = {}
        for table in TABLES:
            log_start[table] = await _move_log_start(kafka_bootstrap, f"{first.app_id}-{table}-changelog")
        first.stop()
        shutil.rmtree(data_dir / "v1", ignore_errors=True)  # wipe the RocksDB tables: recover from changelogs only
        shutil.rmtree(data_dir / f"{first.app_id}-data", ignore_errors=True)
        t0 = time.monotonic()
        second.start(wait=RECOVERY_BOUND)
        recovery_seconds = time.monotonic() - t0
        # Recovered state answers: suppressed addresses and active ones.
        wrong = 0
        for key, tid in oracle:
            tenant, address = key.split("/", 1)
            status, body = await asyncio.to_thread(api_get, second.web_port, f"/suppressions/{tenant}/{quote(address)}")
            wrong += not (status == 200 and body.get("status") == "suppressed" and body.get("transition_id") == tid)
        status, body = await asyncio.to_thread(
            api_get, second.web_port, f"/suppressions/acme/{quote(f'{tag}-r1@d1.example.net')}"
        )
        active_known = status == 200 and body.get("known") is True and body.get("status") == "active"
        # And it keeps processing on top of the recovered state.
        late = _event(tag, 1, seq, "bounced", **hard)
        records.append(late)
        await produce(kafka_bootstrap, f"{topic_prefix}send-results", [late])
        final_oracle = _stream(records).oracle()
        final = await collect_suppressions(kafka_bootstrap, f"{topic_prefix}suppressions", final_oracle, timeout=120)
        alive = second.alive()
    finally:
        second.stop()
        first.stop()
    counts = {**final.counts(), "lookups_wrong": wrong}
    FaultResult(
        "changelog-retention-recovery",
        counts,
        {
            "address_state_writes": written,
            "address_state_changelog_records_after_compaction": left,
            "compacted": left < written,
            "log_start_offsets_after_delete": {t: {str(p): o for p, o in v.items()} for t, v in log_start.items()},
            "recovery_seconds": round(recovery_seconds, 1),
            "recovery_bound_seconds": RECOVERY_BOUND,
            "recovered_active_address_known": active_known,
        },
    ).report()
    assert alive, second.log_tail()
    assert any(o > 0 for o in log_start["address-state"].values()), "the log start offset never moved"
    assert wrong == 0 and active_known
    assert counts["lost"] == 0 and counts["duplicates_differing"] == 0 and counts["unexpected"] == 0

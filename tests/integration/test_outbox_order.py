"""The outbox on a real broker: consecutive submits keep a key's records in order, even when
each acknowledgement is awaited only later (a stage's tail), and record offsets are reported.

A key's table state is written once per batch; recovery keeps the last record per key, so a
newer state landing before an older one would bring the older state back after a rebalance.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from kafka_helpers import create_topic  # type: ignore[import-not-found]

from bounceguard.stream.outbox import Outbox, Producer

pytestmark = [pytest.mark.kafka]

BATCHES = 300
KEYS = [f"tenant/user{i}@example.com".encode() for i in range(5)]


class _AppProducer:
    """What `Producer` needs from Faust's producer: the aiokafka producer behind it."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    def _ensure_producer(self) -> Any:
        return self._producer


@contextlib.asynccontextmanager
async def _topic_and_producer(bootstrap: str, name: str, partitions: int) -> AsyncIterator[tuple[str, Producer]]:
    """A fresh topic and the outbox's `Producer` over a started aiokafka producer (acks=all)."""
    topic = f"bgtest-{name}-{uuid.uuid4().hex[:8]}"
    await create_topic(bootstrap, topic, partitions)
    raw = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await raw.start()
    try:
        yield topic, Producer(_AppProducer(raw))
    finally:
        await raw.stop()


async def test_submits_keep_each_keys_records_in_order(kafka_bootstrap: str) -> None:
    tails: list[asyncio.Future[Any]] = []
    handles = []
    async with _topic_and_producer(kafka_bootstrap, "outbox", 2) as (topic, producer):
        for n in range(BATCHES):
            outbox = Outbox(producer)
            for key in KEYS:
                handles.append(outbox.send(topic, key, f"{n}".encode(), 0))
                outbox.send(topic, key, f"{n}".encode())  # Kafka's default partition for the key
            tails.append(await outbox.submit())  # acknowledged later, as a stage's tail is
            if n % 7 == 0:
                await asyncio.sleep(0)
        await asyncio.gather(*tails)
    offsets = [h.offset for h in handles]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)

    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        seen: dict[tuple[int, bytes], list[int]] = {}
        tps = [TopicPartition(topic, p) for p in (0, 1)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        total = 0
        while total < BATCHES * len(KEYS) * 2:
            batch = await consumer.getmany(timeout_ms=2000)
            assert batch, f"only {total} records came back"
            for tp, records in batch.items():
                for record in records:
                    seen.setdefault((tp.partition, record.key or b""), []).append(int(record.value or b"-1"))
                    total += 1
    finally:
        await consumer.stop()
    for (partition, key), values in seen.items():
        assert values == sorted(values), f"{key!r} in partition {partition} out of order"
    assert sum(len(v) for v in seen.values()) == BATCHES * len(KEYS) * 2


async def test_early_submits_keep_order_and_flush_waits_for_them(kafka_bootstrap: str) -> None:
    handles = []
    async with _topic_and_producer(kafka_bootstrap, "outbox-early", 1) as (topic, producer):
        for n in range(50):
            outbox = Outbox(producer)
            for part in range(3):  # a suppression decided early, more decisions, another early one
                handles.append(outbox.send(topic, KEYS[0], f"{n * 3 + part}".encode(), 0))
                if part < 2:
                    await outbox.submit_early()
            await outbox.submit_early()  # nothing queued: nothing happens
            await outbox.flush()
            assert all(h.offset >= 0 for h in handles[-3:])  # flushed means every part acknowledged
    assert [h.offset for h in handles] == list(range(150))


async def test_early_records_and_unawaited_batches_of_one_partition_keep_send_order(kafka_bootstrap: str) -> None:
    # Early records go one by one into the producer's open batch, `submit` hands over batches of
    # its own; a lane does both while earlier batches are still unacknowledged (its tails).
    handles = []
    tails = []
    async with _topic_and_producer(kafka_bootstrap, "outbox-early-tails", 1) as (topic, producer):
        for n in range(60):
            outbox = Outbox(producer)
            handles.append(outbox.send(topic, KEYS[n % len(KEYS)], f"{len(handles)}".encode(), 0))
            await outbox.submit_early()
            for _ in range(n % 4):
                handles.append(outbox.send(topic, KEYS[0], f"{len(handles)}".encode(), 0))
            tails.append(await outbox.submit())
        await asyncio.gather(*tails)
    assert [h.offset for h in handles] == list(range(len(handles)))

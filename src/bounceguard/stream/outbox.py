"""The records one batch produces, sent together and acknowledged before the batch counts as done.

A batch's input offsets are acked only after `flush` returned, so every output of a batch is in
Kafka before the offsets that caused it can be committed (at least once).

Records wait in the outbox until `flush`, which builds one record batch per topic partition
(the producer's public `create_batch` / `send_batch`) in the order they were queued. A record
sent one by one through `AIOKafkaProducer.send` paid for a metadata wait, a partitioner call, a
size estimate and a future of its own; here that is paid once per partition per flush, and the
partition of a keyed record is Kafka's default (murmur2 of the key), as the producer would pick.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from bounceguard.stream.partitioning import partition_of

# Partition counts are asked again after this many seconds (a topic may be given more).
_PARTITIONS_TTL = 30.0


class Sent:
    """One queued record; `offset` is known once the outbox flushed."""

    __slots__ = ("_batch", "_index")

    def __init__(self) -> None:
        self._batch: asyncio.Future[Any] | None = None
        self._index = 0

    @property
    def offset(self) -> int:
        if self._batch is None or not self._batch.done():
            raise RuntimeError("record not acknowledged yet: flush the outbox first")
        return int(self._batch.result().offset) + self._index


class Producer:
    """The app's aiokafka producer seen as batches, with each topic's partitions remembered."""

    def __init__(self, producer: Any) -> None:
        self._faust_producer = producer
        self._partitions: dict[str, tuple[float, list[int]]] = {}

    @property
    def aiokafka(self) -> Any:
        return self._faust_producer._ensure_producer()

    async def partitions(self, topic: str) -> list[int]:
        now = asyncio.get_running_loop().time()
        known = self._partitions.get(topic)
        if known is not None and now - known[0] < _PARTITIONS_TTL:
            return known[1]
        parts = sorted(await self.aiokafka.partitions_for(topic))
        self._partitions[topic] = (now, parts)
        return parts


class Outbox:
    def __init__(self, producer: Producer) -> None:
        self._producer = producer
        # (topic, partition or None) -> [(key, value, handle)], in the order queued
        self._pending: dict[tuple[str, int | None], list[tuple[bytes | None, bytes, Sent]]] = {}
        self._count = 0
        self._early: list[asyncio.Future[Any]] = []  # acknowledgements of `submit_early` calls

    def send(self, topic: str, key: bytes | None, value: bytes, partition: int | None = None) -> Sent:
        """Queue a record (partition None: Kafka's default for its key); sent by `flush`."""
        handle = Sent()
        records = self._pending.get((topic, partition))
        if records is None:
            records = self._pending[(topic, partition)] = []
        records.append((key, value, handle))
        self._count += 1
        return handle

    def __len__(self) -> int:
        return self._count

    async def submit_early(self) -> None:
        """Hand what is queued to the producer now, without waiting for its acknowledgement.

        For a record that should not wait for the rest of its batch (a suppression decided early
        in a long one). The next `submit` or `flush` covers its acknowledgement.
        """
        if not self._count:
            return
        # Record by record into the producer's open batch of each partition. A batch of our own
        # (`submit`) must wait until the partition's previous one left for the broker, up to a
        # round trip; a lane that hands over a suppression every few dozen events was held that
        # long each time. The accumulator keeps each partition's records in the order added,
        # whether they came one by one or as a batch, so order between the two paths holds.
        pending, self._pending, self._count = self._pending, {}, 0
        producer = self._producer.aiokafka
        for (topic, partition), records in pending.items():
            parts = None if partition is not None else await self._producer.partitions(topic)
            for key, value, handle in records:
                chosen = partition if parts is None else _default_partition(parts, key)
                acknowledged = await producer.send(topic, value, key=key, partition=chosen)
                handle._batch, handle._index = acknowledged, 0
                self._early.append(acknowledged)

    async def flush(self) -> None:
        """Send everything queued and wait until Kafka acknowledged it; a refused record raises."""
        await (await self.submit())

    async def submit(self) -> asyncio.Future[Any]:
        """Hand everything queued to the producer now; the returned future resolves once Kafka
        acknowledged it all (and raises if a record was refused).

        Records reach each partition's log in the order they were submitted: a stage submits in
        its lane and may wait for the acknowledgement after the lane moved on (a tail), but two
        submits of one lane never overlap. The producer does not keep concurrent `send_batch`
        calls for one partition in call order, so overlapping flushes of consecutive batches
        could write a key's older state after its newer one.
        """
        pending, self._pending, self._count = self._pending, {}, 0
        by_partition: dict[tuple[str, int], list[tuple[bytes | None, bytes, Sent]]] = {}
        for (topic, partition), records in pending.items():
            if partition is not None:
                by_partition.setdefault((topic, partition), []).extend(records)
                continue
            parts = await self._producer.partitions(topic)
            for record in records:
                key = record[0]
                chosen = _default_partition(parts, key)
                by_partition.setdefault((topic, chosen), []).append(record)
        futures = []
        if by_partition:
            producer = self._producer.aiokafka
            for (topic, partition), records in by_partition.items():
                batch, handles = producer.create_batch(), list[Sent]()
                for key, value, handle in records:
                    if batch.append(timestamp=None, key=key, value=value) is None:
                        futures.append(await _submit(producer, batch, topic, partition, handles))
                        batch, handles = producer.create_batch(), []
                        if batch.append(timestamp=None, key=key, value=value) is None:
                            raise ValueError(f"a record of {len(value)} bytes does not fit a batch for {topic}")
                    handles.append(handle)
                futures.append(await _submit(producer, batch, topic, partition, handles))
        futures.extend(self._early)
        self._early = []
        return asyncio.gather(*futures)


def _default_partition(parts: list[int], key: bytes | None) -> int:
    """The partition the producer would pick: murmur2 of the key, any one for no key."""
    return random.choice(parts) if key is None else parts[partition_of(key, len(parts))]


async def _submit(producer: Any, batch: Any, topic: str, partition: int, handles: list[Sent]) -> Any:
    future = await producer.send_batch(batch, topic, partition=partition)
    for index, handle in enumerate(handles):
        handle._batch, handle._index = future, index
    return future

"""Table writes of a batch: into the local store at once, into the changelog through the batch's outbox.

Faust writes a table key by queueing a changelog record on its producer buffer, which a
background task sends later, and its pre-commit flush does not wait for records already taken
off that buffer: offsets could be committed before the state that goes with them was in Kafka,
and after a crash the events of the last seconds were decided again (identical duplicates).
Here the changelog records go out with the batch's other outputs and are acknowledged before
the batch's offsets are acked, so a committed offset always has its state in the changelog.
The store's persisted offset (RocksDB resumes recovery from it) is advanced from the
acknowledgements, as Faust does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import rocksdict
from faust.stores.memory import Store as MemoryStore
from faust.types import TP

from bounceguard.stream.outbox import Outbox, Sent


def read_raw(table: Any, key: bytes) -> bytes | None:
    """A table value by raw key, straight from its store.

    Keys and values are raw bytes, so Faust's per-call key/value codecs, sensors and
    `Mapping.get` round trip (5 % of the worker's samples) add nothing. RocksDB reads the
    partition of the current event (`as_partition`) or, outside one, finds the key's partition;
    `partition_reader` reads many keys of a known partition.
    """
    store = table.data
    if isinstance(store, MemoryStore):
        value: bytes | None = store.data.get(key)
        return value
    raw: bytes | None = store._get(key)
    return raw


def partition_reader(table: Any, partition: int) -> Callable[[bytes], bytes | None]:
    """`read_raw` for many keys of one partition: the store and its database are looked up once
    (other stores read through `read_raw`, inside `as_partition` of that partition)."""
    store = table.data
    if isinstance(store, MemoryStore):
        get: Callable[[bytes], bytes | None] = store.data.get
        return get
    if getattr(store, "use_rocksdict", False):
        db_get: Callable[[bytes], bytes | None] = store._db_for_partition(partition).get
        return db_get
    return lambda key: read_raw(table, key)


class TableWrites:
    """The writes one batch makes to one partition of Faust tables (call inside `as_partition`).

    A memory store is written at once. A RocksDB store gets the batch's values in one write
    batch per table when the batch is submitted, as Faust's own recovery writes changelog
    records: one write-ahead-log append for the batch instead of one per key (in-process,
    0.7 against 3.0 us per key). Until then, the stage reads the batch's new values from its
    own state, not from the store.
    """

    def __init__(self, partition: int) -> None:
        self._partition = partition
        # table -> (its changelog topic, the batch's last record for it): the records of one
        # changelog partition are acknowledged in the order sent, so the last has the highest offset
        self._last: dict[Any, tuple[str, Sent]] = {}
        self._pending: dict[Any, Any] = {}  # RocksDB store -> its write batch for this partition

    def put(self, outbox: Outbox, table: Any, key: bytes, value: bytes) -> None:
        store = table.data
        if isinstance(store, MemoryStore):
            store.data[key] = value
            # as Faust's recovery does: lets the store drop the keys of partitions that moved away
            store._key_partition[key] = self._partition
        elif getattr(store, "use_rocksdict", False):
            batch = self._pending.get(store)
            if batch is None:
                batch = self._pending[store] = rocksdict.WriteBatch(raw_mode=True)
            batch.put(key, value)
            store._key_index[key] = self._partition  # as Faust's `_set`: finds the key outside an event
        else:
            store._set(key, value)  # python-rocksdb: the current event (as_partition) picks the partition
        last = self._last.get(table)
        topic = last[0] if last is not None else table.changelog_topic.get_topic_name()
        self._last[table] = (topic, outbox.send(topic, key, value, self._partition))

    def apply(self) -> None:
        """Write the RocksDB write batches into their stores (`submit` does it first)."""
        pending, self._pending = self._pending, {}
        for store, batch in pending.items():
            store._db_for_partition(self._partition).write(batch)

    async def submit(self, outbox: Outbox) -> asyncio.Future[None]:
        """Write the stores, then submit `outbox` (holding these writes) now; the returned task
        records the acknowledged offsets once Kafka has them. Submitting in the lane keeps a
        key's changelog records in the order its batches ran (see Outbox.submit)."""
        self.apply()
        acknowledged = await outbox.submit()

        async def recorded() -> None:
            await acknowledged
            self.acknowledged()

        return asyncio.ensure_future(recorded())

    def acknowledged(self) -> None:
        """After the outbox flushed: remember the highest changelog offset per table partition."""
        for table, (topic, sent) in self._last.items():
            table.data.set_persisted_offset(TP(topic, self._partition), sent.offset)
        self._last.clear()

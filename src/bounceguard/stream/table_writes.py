"""Table writes of a batch: into the local store at once, into the changelog through the batch's outbox.

Faust writes a table key by queueing a changelog record on its producer buffer, which a
background task sends later; offsets may then be committed before the state that goes with
them is in Kafka (stream.commit_barrier exists for that), and after a crash the events of the
last seconds are decided again (identical duplicates). Here the changelog records go out with
the batch's other outputs and are acknowledged before the batch's offsets are acked, so a
committed offset always has its state in the changelog. The store's persisted offset (RocksDB
resumes recovery from it) is advanced from the acknowledgements, as Faust does.
"""

from __future__ import annotations

from typing import Any

from faust.types import TP

from bounceguard.stream.outbox import Outbox


class TableWrites:
    """The writes one batch makes to one partition of Faust tables (call inside `as_partition`)."""

    def __init__(self, partition: int) -> None:
        self._partition = partition
        self._sent: list[tuple[Any, Any]] = []  # (table, future of its changelog record)

    async def put(self, outbox: Outbox, table: Any, key: bytes, value: bytes) -> None:
        table.data[key] = value  # the store; the current event (as_partition) picks the partition
        future = await outbox.send(table.changelog_topic.get_topic_name(), key, value, self._partition)
        self._sent.append((table, future))

    def acknowledged(self) -> None:
        """After the outbox flushed: remember the highest changelog offset per table partition."""
        highest: dict[Any, int] = {}
        for table, future in self._sent:
            offset = future.result().offset
            if offset > highest.get(table, -1):
                highest[table] = offset
        for table, offset in highest.items():
            table.data.set_persisted_offset(TP(table.changelog_topic.get_topic_name(), self._partition), offset)
        self._sent.clear()

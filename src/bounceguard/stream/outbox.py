"""The records one batch produces, sent together and acknowledged before the batch counts as done.

A batch's input offsets are acked only after `flush` returned, so every output of a batch is in
Kafka before the offsets that caused it can be committed (at least once). The app's producer
gets bytes and hands back futures, skipping the per-message wrappers of `Topic.send`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

# (topic name, key, value, partition or None) -> a future resolved when Kafka acknowledged it
Sender = Callable[[str, bytes | None, bytes, int | None], Awaitable[Any]]


def raw_sender(producer: Any) -> Sender:
    async def send(topic: str, key: bytes | None, value: bytes, partition: int | None) -> Any:
        # awaits only while the producer's buffer is full (back-pressure), not for the broker
        return await producer.send(topic, key, value, partition, None, None)

    return send


class Outbox:
    def __init__(self, sender: Sender) -> None:
        self._sender = sender
        self._pending: list[Any] = []

    async def send(self, topic: str, key: bytes | None, value: bytes, partition: int | None = None) -> Any:
        """Queue a record; returns its future (resolved with its metadata once acknowledged)."""
        future = await self._sender(topic, key, value, partition)
        self._pending.append(future)
        return future

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self) -> list[Any]:
        """Wait until Kafka acknowledged everything sent so far; a refused record raises."""
        pending, self._pending = self._pending, []
        if not pending:
            return []
        return list(await asyncio.gather(*pending))

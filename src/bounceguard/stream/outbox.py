"""The records one batch produces, sent together and acknowledged before the batch counts as done.

A batch's input offsets are acked only after `flush` returned, so every output of a batch is in
Kafka before the offsets that caused it can be committed (at least once), and the per-message
wrappers of `Topic.send` are skipped: the app's producer gets bytes and hands back futures.
"""

from __future__ import annotations

import asyncio
from typing import Any


class Outbox:
    def __init__(self, producer: Any) -> None:
        self._producer = producer
        self._pending: list[asyncio.Future[Any]] = []

    async def send(self, topic: str, key: bytes | None, value: bytes, partition: int | None = None) -> None:
        # awaits only while the producer's buffer is full (back-pressure), not for the broker
        self._pending.append(await self._producer.send(topic, key, value, partition, None, None))

    def __len__(self) -> int:
        return len(self._pending)

    async def flush(self) -> list[Any]:
        """Wait until Kafka acknowledged everything sent so far; a refused record raises."""
        pending, self._pending = self._pending, []
        if not pending:
            return []
        return list(await asyncio.gather(*pending))

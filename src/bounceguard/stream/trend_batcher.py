"""Trend inputs grouped per mailbox/segment key before they cross the repartition topic.

Every event belongs to two scopes, and sending one trend message per scope per event doubled
the worker's Kafka traffic for what is, per key, a short list of counts. The address agent adds
inputs here; they leave as one message per key holding a JSON list, when `max_items` are
waiting or every `interval` seconds. Order per key is kept (one flusher at a time).
A crash can lose the inputs of the last interval: trend counts, never a suppression decision.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson


class TrendBatcher:
    def __init__(self, topic: Any, *, max_items: int = 2000) -> None:
        self._topic = topic
        self._max_items = max_items
        self._pending: dict[str, list[dict[str, Any]]] = {}
        self._count = 0
        self._lock = asyncio.Lock()

    async def add(self, key: str, payload: dict[str, Any]) -> None:
        self._pending.setdefault(key, []).append(payload)
        self._count += 1
        if self._count >= self._max_items:
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            pending, self._pending, self._count = self._pending, {}, 0
            for key, items in pending.items():
                await self._topic.send(key=key.encode(), value=orjson.dumps(items))

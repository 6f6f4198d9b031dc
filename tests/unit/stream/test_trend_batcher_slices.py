"""Trend inputs leave in slices: each key once per round of `flush_next`, all of them on `flush`."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.stream.trend_batcher import TREND_SLICES, TrendBatcher, flush_slice


class _Sink:
    """Stands in for the outbox: records what would be produced, and which flush sent it."""

    def __init__(self, sent: list[list[tuple[bytes, Any]]]) -> None:
        self._sent = sent
        self._records: list[tuple[bytes, Any]] = []

    def send(self, topic: str, key: bytes, value: bytes, partition: int | None = None) -> None:
        assert topic == "trend-input"
        self._records.append((key, orjson.loads(value)))

    async def flush(self) -> None:
        self._sent.append(self._records)


def _batcher(sent: list[list[tuple[bytes, Any]]], **kwargs: Any) -> TrendBatcher:
    return TrendBatcher(lambda: _Sink(sent), "trend-input", **kwargs)  # type: ignore[arg-type, return-value]


def _add(batcher: TrendBatcher, name: str, second: int = 1_700_000_000) -> bool:
    return batcher.add("acme", [(Scope.SEGMENT, name)], (second, 0), Category.NONE, Reason.DELIVERED, True, True)


def test_a_round_of_slices_sends_every_key_once_with_all_its_inputs() -> None:
    async def run() -> None:
        sent: list[list[tuple[bytes, Any]]] = []
        batcher = _batcher(sent)
        names = [f"seg-{i}" for i in range(200)]
        for name in names:
            for _ in range(3):
                _add(batcher, name)
        assert len(batcher) == 600
        for _ in range(TREND_SLICES):
            await batcher.flush_next()
        assert len(batcher) == 0
        keys = Counter(key for flush in sent for key, _ in flush)
        assert set(keys) == {f"segment/acme/{name}".encode() for name in names}
        assert set(keys.values()) == {1}
        for flush in sent:
            for _, value in flush:
                assert sum(len(group[5]) for group in value["groups"]) == 3  # three inputs, one message
        # each flush carried one slice: the keys of one slice, and no slice twice
        slices = [{flush_slice("acme", Scope.SEGMENT, v["key"]) for _, v in flush} for flush in sent]
        assert all(len(s) == 1 for s in slices) and len(slices) == len({next(iter(s)) for s in slices})
        assert len(sent) == TREND_SLICES  # 200 keys reach every slice
        await batcher.flush_next()
        assert len(sent) == TREND_SLICES  # nothing waiting: nothing sent

    asyncio.run(run())


def test_inputs_added_after_their_slice_left_wait_for_the_next_round() -> None:
    async def run() -> None:
        sent: list[list[tuple[bytes, Any]]] = []
        batcher = _batcher(sent)
        index = flush_slice("acme", Scope.SEGMENT, "late")
        for _ in range(index + 1):
            await batcher.flush_next()  # the key's slice has just gone
        _add(batcher, "late")
        for _ in range(TREND_SLICES - 1):
            await batcher.flush_next()
        assert sent == [] and len(batcher) == 1
        await batcher.flush_next()
        assert [key for flush in sent for key, _ in flush] == [b"segment/acme/late"]

    asyncio.run(run())


def test_full_batcher_asks_for_a_flush_of_every_slice() -> None:
    async def run() -> None:
        sent: list[list[tuple[bytes, Any]]] = []
        batcher = _batcher(sent, max_inputs=50)
        full = [_add(batcher, f"seg-{i}") for i in range(50)]
        assert full == [False] * 49 + [True]
        await batcher.flush()
        assert len(sent) == 1 and len(sent[0]) == 50 and len(batcher) == 0

    asyncio.run(run())


def test_ticks_send_slices_while_inputs_arrive_and_everything_once_they_stop() -> None:
    async def run() -> None:
        sent: list[list[tuple[bytes, Any]]] = []
        batcher = _batcher(sent)
        names = [f"seg-{i}" for i in range(200)]
        for name in names:
            _add(batcher, name)
        await batcher.tick()  # inputs came since the last tick: one slice
        assert len(sent) == 1
        assert {flush_slice("acme", Scope.SEGMENT, v["key"]) for _, v in sent[0]} == {0}
        _add(batcher, "seg-0")
        await batcher.tick()  # still arriving: the next slice only
        assert len(sent) == 2
        assert {flush_slice("acme", Scope.SEGMENT, v["key"]) for _, v in sent[1]} == {1}
        waiting = len(batcher)
        assert waiting > 0
        await batcher.tick()  # nothing new since the last tick: all that waits, at once
        assert len(sent) == 3 and len(batcher) == 0
        assert sum(len(group[5]) for _, v in sent[2] for group in v["groups"]) == waiting
        await batcher.tick()
        assert len(sent) == 3  # nothing waiting, nothing sent

    asyncio.run(run())

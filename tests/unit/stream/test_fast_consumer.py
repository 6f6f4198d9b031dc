"""The inline hand-over: a delivery that suspends is resumed by a task exactly as if the task
had driven it from the start (results, errors, cancellation), and one that does not suspend
never needs a task."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from bounceguard.stream.fast_consumer import _finish, _seek_assigned, inactive_records


async def _no_wait(log: list[str]) -> str:
    log.append("ran")
    return "done"


async def _waits_on_future(log: list[str]) -> str:
    fut: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.01, fut.set_result, "from-future")
    log.append("before")
    value = await fut
    log.append("after")
    return value


async def _yields_twice(log: list[str]) -> str:
    await asyncio.sleep(0)
    log.append("one")
    await asyncio.sleep(0.005)
    log.append("two")
    return "slept"


async def _fails_after_wait(log: list[str]) -> str:
    await asyncio.sleep(0)
    log.append("raising")
    raise ValueError("bad message")


Case = Callable[[list[str]], Coroutine[Any, Any, str]]


@pytest.mark.parametrize(
    ("make", "suspends", "result", "log"),
    [
        (_no_wait, False, "done", ["ran"]),
        (_waits_on_future, True, "from-future", ["before", "after"]),
        (_yields_twice, True, "slept", ["one", "two"]),
        (_fails_after_wait, True, ValueError, ["raising"]),
    ],
)
async def test_started_inline_then_finished_by_a_task(
    make: Case, suspends: bool, result: object, log: list[str]
) -> None:
    seen: list[str] = []
    coro = make(seen)
    try:
        pending = coro.send(None)
    except StopIteration as stop:
        assert not suspends
        assert stop.value == result
        assert seen == log
        return
    assert suspends
    task = asyncio.ensure_future(_finish(coro, pending))
    if isinstance(result, type) and issubclass(result, BaseException):
        with pytest.raises(result):
            await task
    else:
        assert await task == result
    assert seen == log


async def test_cancelling_the_task_cancels_the_suspended_delivery() -> None:
    cleaned: list[str] = []

    async def blocked() -> None:
        try:
            await asyncio.get_running_loop().create_future()  # never completes: a full buffer
        finally:
            cleaned.append("finally")

    coro = blocked()
    task = asyncio.ensure_future(_finish(coro, coro.send(None)))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == ["finally"]


class _Record:
    def __init__(self, offset: int) -> None:
        self.offset = offset


def _fetched(**partitions: range) -> dict[str, list[_Record]]:
    return {tp: [_Record(o) for o in offsets] for tp, offsets in partitions.items()}


def test_records_of_partitions_not_active_are_marked_for_a_refetch_from_their_first_offset() -> None:
    records = _fetched(standby=range(0, 424), stream=range(10, 20), full=range(5, 7))
    assert inactive_records(records, {"stream"}, {"full"}) == {"standby": 0}


def test_nothing_is_refetched_when_every_partition_is_active_or_the_client_takes_all() -> None:
    records = _fetched(a=range(3), b=range(2))
    assert inactive_records(records, {"a", "b"}, set()) == {}
    assert inactive_records(records, None, set()) == {}
    assert inactive_records({"a": []}, set(), set()) == {}


class _Consumer:
    def __init__(self, assigned: set[str]) -> None:
        self._assigned = assigned
        self.seeks: list[tuple[str, int]] = []

    def assignment(self) -> set[str]:
        return self._assigned

    def seek(self, tp: str, offset: int) -> None:
        self.seeks.append((tp, offset))


async def test_refetch_seeks_only_partitions_still_assigned() -> None:
    consumer = _Consumer({"standby", "stream"})
    await _seek_assigned(consumer, {"standby": 0, "moved": 40})
    assert consumer.seeks == [("standby", 0)]

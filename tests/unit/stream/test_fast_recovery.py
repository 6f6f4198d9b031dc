"""The recovery replacements keep upstream's answers: records in order, waiting and timeouts as
asyncio.Queue, thrown errors raised, flow control obeyed, need_recovery() as Faust computes it,
and the fetch wait put back after recovery."""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace
from typing import Any

import faust
import pytest
from faust.tables.recovery import Recovery
from faust.types import TP
from mode.utils.queues import FlowControlEvent

from bounceguard.stream import fast_recovery
from bounceguard.stream.fast_recovery import ChangelogQueue, FastRecovery, FastTableManager, FetchWait


def _queue(maxsize: int = 10, *, suspended: bool = False) -> ChangelogQueue:
    flow = FlowControlEvent(initially_suspended=suspended)
    return ChangelogQueue(maxsize=maxsize, flow_control=flow, clear_on_resume=True)


async def _take(queue: ChangelogQueue) -> Any:
    # exactly how faust's Recovery._slurp_changelogs takes a record
    return await asyncio.wait_for(queue.get(), timeout=5.0)


async def test_records_come_out_in_the_order_they_went_in() -> None:
    queue = _queue(maxsize=100)
    for i in range(50):
        queue.put_nowait(i)
    assert [await _take(queue) for _ in range(50)] == list(range(50))
    assert queue.empty()


async def test_a_waiting_record_is_handed_over_as_a_resolved_future() -> None:
    queue = _queue()
    queue.put_nowait("record")
    got = queue.get()
    assert isinstance(got, asyncio.Future) and got.done()
    assert await got == "record"


async def test_get_on_an_empty_queue_waits_for_the_next_put() -> None:
    queue = _queue()
    taker = asyncio.ensure_future(_take(queue))
    await asyncio.sleep(0.01)
    assert not taker.done()
    queue.put_nowait("late")
    assert await taker == "late"


async def test_get_on_an_empty_queue_times_out_and_leaves_the_queue_usable() -> None:
    queue = _queue()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(queue.get(), timeout=0.01)
    queue.put_nowait("after")
    assert await _take(queue) == "after"


async def test_a_thrown_error_is_raised_before_the_records() -> None:
    queue = _queue()
    queue.put_nowait("record")
    await queue.throw(KeyError("rebalanced"))
    with pytest.raises(KeyError):
        await _take(queue)
    assert await _take(queue) == "record"


async def test_a_thrown_error_reaches_a_waiting_get() -> None:
    queue = _queue()
    taker = asyncio.ensure_future(_take(queue))
    await asyncio.sleep(0.01)
    await queue.throw(KeyError("rebalanced"))
    with pytest.raises(KeyError):
        await taker


async def test_a_full_queue_blocks_its_producer_until_drained_to_the_pressure_drop_level() -> None:
    queue = _queue(maxsize=10)  # pressure drop level: 4
    for i in range(10):
        queue.put_nowait(i)
    producer = asyncio.ensure_future(queue.put(10))
    await asyncio.sleep(0)  # the producer finds the queue full and waits
    taken = []
    for _ in range(5):  # 10 -> 5 waiting: still above the drop level
        taken.append(await _take(queue))
        await asyncio.sleep(0)
    assert not producer.done()
    taken.append(await _take(queue))  # 4 waiting: the producer goes on
    await asyncio.wait_for(producer, timeout=5.0)
    while not queue.empty():
        taken.append(await _take(queue))
    assert taken == list(range(11))


async def test_put_into_a_queue_with_room_does_not_wait() -> None:
    queue = _queue(maxsize=10)
    for i in range(9):
        queue.put_nowait(i)
    await asyncio.wait_for(queue.put(9), timeout=5.0)
    assert queue.full()


async def test_a_cancelled_producer_leaves_no_waiter_behind() -> None:
    queue = _queue(maxsize=2)
    queue.put_nowait(0)
    queue.put_nowait(1)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(queue.put(2), timeout=0.01)
    assert [await _take(queue), await _take(queue)] == [0, 1]
    assert queue.empty()


async def test_clearing_the_queue_cancels_a_blocked_producer() -> None:
    queue = _queue(maxsize=2)
    queue.put_nowait(0)
    queue.put_nowait(1)
    producer = asyncio.ensure_future(queue.put(2))
    await asyncio.sleep(0.01)
    queue.clear()  # what flow control does on resume after a rebalance
    with pytest.raises(asyncio.CancelledError):
        await producer
    assert queue.empty()


async def test_put_waits_while_the_flow_is_suspended() -> None:
    queue = _queue(suspended=True)
    producer = asyncio.ensure_future(queue.put("record"))
    await asyncio.sleep(0.01)
    assert not producer.done() and queue.empty()
    queue._flow_control.resume()
    await asyncio.wait_for(producer, timeout=5.0)
    assert await _take(queue) == "record"


A, B, C = TP("cl", 0), TP("cl", 1), TP("cl", 2)


@pytest.mark.parametrize(
    ("highwaters", "offsets", "expected"),
    [
        ({}, {}, False),
        ({A: 10}, {A: 10}, False),
        ({A: 10}, {A: 9}, True),
        ({A: 10}, {}, True),  # offset unknown: counts as 0
        ({A: 0}, {}, False),
        ({A: None}, {A: 3}, False),  # highwater unknown
        ({A: 10}, {A: None}, False),  # offset unknown (None)
        ({A: 10, B: 5, C: 7}, {A: 10, B: 5, C: 7}, False),
        ({A: 10, B: 5, C: 7}, {A: 10, B: 4, C: 7}, True),
        ({A: 10, B: 5}, {A: 12, B: 5}, False),  # ahead (compacted tail)
        ({A: 10, B: 5}, {A: 12, B: 3}, True),  # one ahead, one behind
    ],
)
def test_need_recovery_answers_as_upstream(
    highwaters: dict[TP, int | None], offsets: dict[TP, int | None], expected: bool
) -> None:
    recovery = FastRecovery.__new__(FastRecovery)  # only the two counters are read
    recovery.active_highwaters = Counter(highwaters)
    recovery.active_offsets = Counter(offsets)
    assert Recovery.need_recovery(recovery) is expected
    assert recovery.need_recovery() is expected


class _Fetcher:
    def __init__(self, wait_ms: int) -> None:
        self._fetch_max_wait_ms = wait_ms


@pytest.mark.parametrize(
    ("configured", "short", "during", "after"),
    [
        (1500, 25, 25, 1500),  # faust's hard-coded wait is shortened, then put back
        (10, 25, 10, 10),  # already shorter: left alone
        (25, 25, 25, 25),
    ],
)
def test_fetch_wait_is_shortened_during_recovery_and_put_back(
    configured: int, short: int, during: int, after: int
) -> None:
    fetcher = _Fetcher(configured)
    wait = FetchWait(lambda: fetcher, short)
    wait.shorten()
    wait.shorten()  # recovery start is signalled twice per rebalance
    assert fetcher._fetch_max_wait_ms == during
    wait.restore()
    wait.restore()
    assert fetcher._fetch_max_wait_ms == after


@pytest.mark.parametrize("fetcher", [None, SimpleNamespace(), SimpleNamespace(_fetch_max_wait_ms="1500")])
def test_fetch_wait_without_an_aiokafka_fetcher_changes_nothing(fetcher: object) -> None:
    wait = FetchWait(lambda: fetcher, 25)
    wait.shorten()
    wait.restore()
    assert getattr(fetcher, "_fetch_max_wait_ms", None) in (None, "1500")


def test_a_negative_fetch_wait_is_refused() -> None:
    with pytest.raises(ValueError, match="fetch wait"):
        FetchWait(lambda: None, -1)


def test_install_gives_the_app_the_fast_table_manager() -> None:
    app = faust.App("fast-recovery-unit", broker="kafka://127.0.0.1:1")
    fast_recovery.install(app)
    assert isinstance(app.tables, FastTableManager)
    assert isinstance(app.tables.changelog_queue, ChangelogQueue)
    assert app.tables.changelog_queue is app.tables.changelog_queue
    assert app.tables.changelog_queue.maxsize == app.conf.stream_buffer_maxsize
    assert isinstance(app.tables.recovery, FastRecovery)
    assert app.tables.recovery is app.tables.recovery


def test_install_after_the_table_manager_exists_is_refused() -> None:
    app = faust.App("fast-recovery-late", broker="kafka://127.0.0.1:1")
    assert app.tables is not None
    with pytest.raises(RuntimeError, match="before the app's table manager"):
        fast_recovery.install(app)


async def test_waiting_records_are_taken_without_a_loop_turn_except_every_yield_every() -> None:
    queue = _queue(maxsize=0)
    n = 3 * fast_recovery.YIELD_EVERY
    for i in range(n):
        queue.put_nowait(i)
    loop = asyncio.get_running_loop()
    turns, taken = 0, []
    for _ in range(n):
        ran: list[bool] = []
        loop.call_soon(ran.append, True)
        taken.append(await _take(queue))
        turns += bool(ran)
        await asyncio.sleep(0)  # let a marker that did not run yet run before the next take
    assert taken == list(range(n))
    assert turns == 3  # the fetch loop and the web server still get the loop while it drains


async def test_a_ready_record_runs_a_callback_added_later_at_once() -> None:
    queue = _queue()
    queue.put_nowait("record")
    got = queue.get()
    seen: list[object] = []
    assert isinstance(got, asyncio.Future)
    got.add_done_callback(lambda fut: seen.append(fut.result()))
    assert seen == ["record"]

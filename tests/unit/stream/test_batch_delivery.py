"""Batch delivery bookkeeping: which fetched offsets are handled, which gaps are noted, and how
partition lanes order, overlap, hold back and stop."""

from __future__ import annotations

import asyncio

import pytest

from bounceguard.stream.batch_delivery import BatchLanes, BatchPlan, plan_batch


@pytest.mark.parametrize(
    ("offsets", "previous", "acks", "expected"),
    [
        ([0, 1, 2], None, True, BatchPlan(keep=3)),
        ([5, 6, 7], 4, True, BatchPlan(keep=3)),
        # fetched again after a seek: what was already handed over is dropped
        ([3, 4, 5, 6], 5, True, BatchPlan(keep=2)),
        ([3, 4], 9, True, BatchPlan(keep=0)),
        # compacted or transaction-marker offsets: noted as gaps, so commits can pass them
        ([7, 8], 4, True, BatchPlan(keep=2, gaps=[(5, 7)])),
        ([0, 5, 6, 9], None, True, BatchPlan(keep=4, gaps=[(1, 5), (7, 9)])),
        # offset 0 read before: a gap right after it is still a gap
        ([3], 0, True, BatchPlan(keep=1, gaps=[(1, 3)])),
        # topics without acks need no gaps
        ([0, 5], None, False, BatchPlan(keep=2)),
        ([], 3, True, BatchPlan(keep=0)),
    ],
)
def test_plan_batch(offsets: list[int], previous: int | None, acks: bool, expected: BatchPlan) -> None:
    assert plan_batch(offsets, previous, acks_enabled=acks) == expected


def _recorder(log: list[str], name: str, delay: float = 0.0, fail: bool = False):  # type: ignore[no-untyped-def]
    async def run() -> None:
        log.append(f"start {name}")
        await asyncio.sleep(delay)
        if fail:
            raise RuntimeError(f"{name} failed")
        log.append(f"end {name}")

    return run


async def test_a_lane_runs_its_batches_in_order_while_other_lanes_overlap() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    await lanes.start("p0", _recorder(log, "a1", 0.03))
    await lanes.start("p0", _recorder(log, "a2"))
    await lanes.start("p1", _recorder(log, "b1"))
    await lanes.wait_idle()
    assert log.index("end a1") < log.index("start a2")  # same lane: one after the other
    assert log.index("end b1") < log.index("end a1")  # another lane did not wait for p0
    assert lanes.idle


async def test_start_holds_back_only_when_a_lane_is_full() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    for i in range(BatchLanes.LIMIT):
        await lanes.start("p0", _recorder(log, f"{i}", 0.02))
    await lanes.start("p1", _recorder(log, "other"))  # another lane: no wait
    assert "end 0" not in log  # LIMIT batches in the lane: start returned at once each time
    await lanes.start("p0", _recorder(log, "last"))
    assert "end 0" in log  # one more waited until the lane had room
    await lanes.wait_idle()
    ends = [e for e in log if e.startswith("end") and e != "end other"]
    assert ends == [f"end {i}" for i in range(BatchLanes.LIMIT)] + ["end last"]


async def test_a_failure_is_kept_and_nothing_later_runs() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    await lanes.start("p0", _recorder(log, "bad", 0.01, fail=True))
    await lanes.start("p0", _recorder(log, "after"))
    await lanes.wait_idle()
    await lanes.start("p1", _recorder(log, "other lane, later"))
    await lanes.wait_idle()
    assert isinstance(lanes.failure, RuntimeError)
    assert log == ["start bad"]


async def test_cancel_stops_running_batches_and_their_successors() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    await lanes.start("p0", _recorder(log, "slow", 5.0))
    await lanes.start("p0", _recorder(log, "next"))
    await asyncio.sleep(0)
    await lanes.cancel()
    assert log == ["start slow"]
    assert lanes.idle
    assert lanes.failure is None


async def _tail(log: list[str], name: str, delay: float, fail: bool = False) -> None:
    await asyncio.sleep(delay)
    if fail:
        raise RuntimeError(f"tail {name} failed")
    log.append(f"tail {name}")


async def test_tails_ack_in_order_while_the_lane_goes_on() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    await lanes.after("tp0", _tail(log, "1", 0.03), lambda: log.append("ack 1"))
    await lanes.start("tp0", _recorder(log, "next batch"))  # runs while tail 1 is in flight
    await lanes.after("tp0", _tail(log, "2", 0.0), lambda: log.append("ack 2"))
    await lanes.wait_idle()  # a rebalance waits for tails and their acks too
    assert log.index("end next batch") < log.index("tail 1")
    assert log.index("tail 2") < log.index("tail 1")  # the second tail finished first...
    assert log.index("ack 1") < log.index("ack 2")  # ...and was still acked after the first
    assert lanes.idle


async def test_a_failed_tail_stops_later_acks_and_batches() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    await lanes.after("tp0", _tail(log, "bad", 0.01, fail=True), lambda: log.append("ack bad"))
    await lanes.after("tp0", _tail(log, "good", 0.0), lambda: log.append("ack good"))
    await lanes.wait_idle()
    await lanes.start("tp0", _recorder(log, "later"))
    await lanes.wait_idle()
    assert isinstance(lanes.failure, RuntimeError)
    assert log == ["tail good"]


async def test_after_holds_back_when_limit_tails_are_pending() -> None:
    lanes = BatchLanes()
    log: list[str] = []
    for i in range(BatchLanes.LIMIT):
        await lanes.after("tp0", _tail(log, f"{i}", 0.02), lambda: None)
    assert log == []
    await lanes.after("tp0", _tail(log, "last", 0.0), lambda: None)
    assert "tail 0" in log  # the oldest finished before one more was taken
    await lanes.wait_idle()

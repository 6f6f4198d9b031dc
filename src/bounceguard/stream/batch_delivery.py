"""Bookkeeping for handing a fetched partition batch to a handler in one call.

Kept apart from the consumer so the offset arithmetic can be tested without a broker.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# (topic partition, the records fetched for it, in offset order) -> processed, or a tail: an
# awaitable the batch's offsets must also wait for, while the lane goes on (BatchLanes.after)
BatchHandler = Callable[[Any, list[Any]], Awaitable[Awaitable[None] | None]]


@dataclass(frozen=True)
class BatchPlan:
    """What to do with a fetched batch: how many trailing records to handle, which gaps to note.

    `keep` counts from the end: records before `previous` (the last offset already read) were
    fetched again after a seek and are dropped. A gap is a range of offsets Kafka will never
    deliver (compacted away, transaction markers); it is noted so commits can move past it.
    """

    keep: int
    gaps: list[tuple[int, int]] = field(default_factory=list)


def plan_batch(offsets: Sequence[int], previous: int | None, *, acks_enabled: bool) -> BatchPlan:
    start = 0
    if previous is not None:
        while start < len(offsets) and offsets[start] < previous:
            start += 1
    kept = offsets[start:]
    gaps: list[tuple[int, int]] = []
    if acks_enabled:
        last = previous
        for offset in kept:
            if last is not None and offset - last > 1:
                gaps.append((last + 1, offset))
            last = offset
    return BatchPlan(keep=len(kept), gaps=gaps)


class BatchLanes:
    """One lane per partition: a partition's batches run one after another, lanes side by side.

    The fetch loop starts a batch and goes on fetching, so a slow stage (trends) does not hold
    a fast one (a hard bounce on its way to a suppression). It waits only when a lane already
    holds `LIMIT` unfinished batches (back-pressure). Pausing just that partition instead was
    tried: Faust's fetch waits up to a second on the partitions active when it began, so a
    resumed partition lost up to a second. Once a batch failed (or its predecessor was
    cancelled) no later batch runs: their offsets stay unacked and are read again.
    """

    LIMIT = 4

    def __init__(self) -> None:
        self._acks: dict[Any, deque[asyncio.Task[None]]] = {}
        self._last: dict[Any, asyncio.Task[None]] = {}
        self._depth: dict[Any, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.failure: BaseException | None = None

    async def start(self, lane: Any, run: Callable[[], Awaitable[None]]) -> None:
        previous = self._last.get(lane)
        if previous is not None and self._depth.get(lane, 0) >= self.LIMIT:
            await asyncio.wait([previous])
        task = asyncio.ensure_future(self._run(lane, previous, run))
        self._last[lane] = task
        self._depth[lane] = self._depth.get(lane, 0) + 1
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, lane: Any, previous: asyncio.Task[None] | None, run: Callable[[], Awaitable[None]]) -> None:
        try:
            if previous is not None:
                await asyncio.wait([previous])
                if previous.cancelled():
                    return
            if self.failure is None:  # after a failure the consumer stops; nothing more may run
                await run()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.failure = self.failure or exc
        finally:
            self._depth[lane] -= 1
            if self._last.get(lane) is asyncio.current_task():
                del self._last[lane]

    async def after(self, key: Any, tail: Awaitable[None], ack: Callable[[], None]) -> None:
        """Call `ack` once `tail` and every earlier tail of `key` finished, in order.

        A stage hands back its last round trip (the table changelog's acknowledgement) as a
        tail, so the lane starts its next batch meanwhile; the offsets still wait for it. A
        failed tail stops every later ack, as a failed batch does. At most `LIMIT` tails per
        key are pending: the caller waits for the oldest beyond that.
        """
        pending = self._acks.setdefault(key, deque())
        while pending and pending[0].done():
            pending.popleft()
        if len(pending) >= self.LIMIT:
            await asyncio.wait([pending[0]])
        previous = pending[-1] if pending else None
        task = asyncio.ensure_future(self._ack_after(previous, tail, ack))
        pending.append(task)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ack_after(
        self, previous: asyncio.Task[None] | None, tail: Awaitable[None], ack: Callable[[], None]
    ) -> None:
        try:
            await tail
            if previous is not None:
                await asyncio.wait([previous])
            if self.failure is None:
                ack()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.failure = self.failure or exc

    @property
    def idle(self) -> bool:
        return not self._tasks

    async def wait_idle(self) -> None:
        """Wait until every started batch finished (rebalance, stop)."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    async def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.wait_idle()

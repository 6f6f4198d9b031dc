"""Table recovery that keeps the changelog fetches flowing and does little work per record.

Measured on a worker recovering 200k address records (bench/recovery.py), upstream spends
about half of the time idle and most of the rest on per-record overhead:

- aiokafka keeps one fetch request in flight per broker and leaves a partition out of the
  next request while records fetched for it are still buffered. Right after a fetch that
  filled the changelog partitions' buffers, the next request holds only partitions with
  nothing to read (the paused input topics, other tables' changelogs), and the broker holds
  it for the whole `fetch_max_wait_ms`, which faust-streaming 0.15.3 hard-codes to 1500 ms.
  The changelog records are consumed long before that, and then nothing can be fetched
  until that request returns: about a second lost per fetch round.
- `Recovery._slurp_changelogs` takes each record with
  `asyncio.wait_for(changelog_queue.get(), timeout=5.0)`; on Python 3.11 `wait_for` wraps a
  coroutine in a new Task, so every record costs a task, three turns of the event loop and
  a timer (9% of the profile).
- The changelog queue holds 4096 records. Once it is full, every delivery into it takes the
  conductor's slow path (a task for the put, an `asyncio.wait`, a suspended delivery in the
  consumer), one record at a time, for as long as recovery lasts.
- After each record it asks `need_recovery()`, which builds a `Counter` of every active
  partition's remaining offsets only to test whether any is positive (7%).

The replacements below leave Faust's recovery loop, its offsets, active/standby bookkeeping
and recovery-end signalling as they are:

- `FastRecovery` shortens aiokafka's fetch wait (read afresh for every request) to
  `RECOVERY_FETCH_WAIT_MS` while active tables recover, and restores it when they are done
  (`fast_consumer` already lowers it to 50 ms for good; this covers the plain consumer too);
- `ChangelogQueue.get()` hands back an already resolved future when a record is waiting, whose
  callbacks run at once: `wait_for` takes a future as it is (no task) and returns without
  suspending; every `YIELD_EVERY` records it takes one turn of the loop. An empty queue, or
  one holding an error to throw, takes the upstream coroutine, so waiting, timeouts and thrown
  errors behave exactly as before;
- `ChangelogQueue.put()`, called only when the queue is full, waits until it has drained to
  Faust's pressure-drop level, so the deliveries after it take the fast path again;
- `FastRecovery.need_recovery()` gives upstream's answer by scanning the highwaters and
  stopping at the first partition still behind.

`install(app)` makes the app build its table manager from `FastTableManager`, which creates
the queue and the recovery service in place of the upstream classes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import Context
from typing import Any, cast

from faust.tables.manager import TableManager
from faust.tables.recovery import Recovery
from mode.utils.queues import ThrowableQueue

logger = logging.getLogger(__name__)

# Long enough that a fetch round with nothing to read does not spin the consumer thread
# (at most 40 empty requests a second), short enough that it ends well before the records
# of the previous round are consumed (a 1 MiB partition fetch holds ~2,500 address records).
RECOVERY_FETCH_WAIT_MS = 25

# Records handed over without a turn of the event loop before one that takes a turn, so the
# fetch loop, the web server and timers still run while a full queue drains (as the consumer's
# own fetch loop yields every 100 messages).
YIELD_EVERY = 100


class _ReadyRecord(asyncio.Future[Any]):
    """A future created resolved, whose done-callbacks run at once instead of a loop turn later.

    Python 3.11's `asyncio.wait_for` registers a callback on the future it waits for and then
    awaits its own waiter: with a plain resolved future that costs two turns of the event loop
    (each with a selector poll) per changelog record. Running the callback at once resolves
    the waiter before it is awaited, so `wait_for` returns without suspending.
    """

    def add_done_callback(self, fn: Callable[[Any], object], *, context: Context | None = None) -> None:
        if not self.done():
            super().add_done_callback(fn, context=context)
        elif context is None:
            fn(self)
        else:
            context.run(fn, self)


class ChangelogQueue(ThrowableQueue):  # type: ignore[type-arg,misc]  # mode's queue is generic, faust untyped
    """The changelog queue: no task per record taken, and a full queue refills in one go.

    A producer that finds the queue full waits until it has drained to Faust's pressure-drop
    level (40% of its size), not merely until one slot is free: upstream, once the queue is
    full, every single delivery takes the conductor's slow path (a task for the put, an
    `asyncio.wait`, and a suspended delivery in the consumer), which is most of the per-record
    cost on the fetching side during recovery. Records still come out in the order they went in.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refill_waiters: deque[asyncio.Future[None]] = deque()
        self._since_yield = 0

    def get(self) -> Awaitable[Any]:  # type: ignore[override]  # a future instead of a coroutine
        """Return a resolved future holding the next record, or upstream's waiting coroutine.

        Callers only ever await the result (or pass it to `asyncio.wait_for`), for which a
        future and a coroutine are interchangeable.
        """
        if self._errors or not self.qsize():
            # Nothing to hand over at once: wait (or raise the thrown error) as upstream does.
            return super().get()  # type: ignore[no-any-return]
        loop = asyncio.get_running_loop()
        self._since_yield += 1
        if self._since_yield >= YIELD_EVERY:
            self._since_yield = 0
            ready: asyncio.Future[Any] = loop.create_future()  # wait_for takes a loop turn
        else:
            ready = _ReadyRecord(loop=loop)
        # get_nowait is what upstream's get() ends with too: it takes the oldest record,
        # wakes a blocked producer, and reports pressure drops to the flow control.
        ready.set_result(self.get_nowait())
        return ready

    def get_nowait(self) -> Any:
        item = super().get_nowait()
        if self._refill_waiters and self.qsize() <= self.pressure_drop_size:
            _wake_all(self._refill_waiters)
        return item

    async def put(self, value: Any) -> None:
        await self._flow_control.acquire()  # as upstream: no puts while the flow is suspended
        while self.full():
            while self.qsize() > self.pressure_drop_size:
                waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                self._refill_waiters.append(waiter)
                try:
                    await waiter
                finally:
                    if waiter in self._refill_waiters:
                        self._refill_waiters.remove(waiter)
        self.put_nowait(value)

    def clear(self) -> None:
        super().clear()  # cancels upstream's blocked putters; ours are cancelled alike
        while self._refill_waiters:
            self._refill_waiters.popleft().cancel()


def _wake_all(waiters: deque[asyncio.Future[None]]) -> None:
    while waiters:
        waiter = waiters.popleft()
        if not waiter.done():
            waiter.set_result(None)


class FetchWait:
    """Shortens, and later restores, the broker wait of an aiokafka consumer's fetch requests.

    `fetcher` returns the consumer's `aiokafka.consumer.fetcher.Fetcher`, or None when there
    is none (not started yet, or another transport): then nothing changes.
    """

    def __init__(self, fetcher: Any, wait_ms: int) -> None:
        if wait_ms < 0:
            raise ValueError(f"fetch wait must be >= 0 ms, got {wait_ms}")
        self._fetcher = fetcher
        self._wait_ms = wait_ms
        self._saved: tuple[Any, int] | None = None

    def shorten(self) -> None:
        if self._saved is not None:
            return  # already short (recovery start is signalled twice per rebalance)
        fetcher = self._fetcher()
        current = getattr(fetcher, "_fetch_max_wait_ms", None)
        if not isinstance(current, int):
            logger.debug("no aiokafka fetcher to shorten the fetch wait of")
            return
        if current > self._wait_ms:
            self._saved = (fetcher, current)
            fetcher._fetch_max_wait_ms = self._wait_ms

    def restore(self) -> None:
        if self._saved is not None:
            fetcher, wait_ms = self._saved
            fetcher._fetch_max_wait_ms = wait_ms
            self._saved = None


def aiokafka_fetcher(app: Any) -> Any:
    """The aiokafka Fetcher behind a Faust app's consumer thread, or None if there is none."""
    thread = getattr(app.consumer, "_thread", None)
    consumer = getattr(thread, "_consumer", None)
    return getattr(consumer, "_fetcher", None)


class FastRecovery(Recovery):  # type: ignore[misc]  # faust is untyped
    """Faust's recovery service, fetching without long waits and building nothing per record."""

    def __init__(self, app: Any, tables: Any, **kwargs: Any) -> None:
        super().__init__(app, tables, **kwargs)
        self.fetch_wait = FetchWait(lambda: aiokafka_fetcher(self.app), RECOVERY_FETCH_WAIT_MS)

    def _set_recovery_started(self) -> None:
        super()._set_recovery_started()
        self.fetch_wait.shorten()

    def _set_recovery_ended(self) -> None:
        super()._set_recovery_ended()
        self.fetch_wait.restore()

    def need_recovery(self) -> bool:
        """True while an active partition's recovered offset is still below its highwater.

        Same answer as upstream (which counts the remainder of every partition first):
        partitions whose highwater or offset is unknown (None) do not count.
        """
        offsets = self.active_offsets
        for tp, highwater in self.active_highwaters.items():
            if highwater is None:
                continue
            offset = offsets[tp]
            if offset is not None and highwater > offset:
                return True
        return False


class FastTableManager(TableManager):  # type: ignore[misc]  # faust is untyped
    """Faust's table manager, recovering through `ChangelogQueue` and `FastRecovery`."""

    @property
    def changelog_queue(self) -> ChangelogQueue:
        if self._changelog_queue is None:
            # Same size and flow control as upstream: cleared when the flow resumes after a rebalance.
            self._changelog_queue = ChangelogQueue(
                maxsize=self.app.conf.stream_buffer_maxsize,
                flow_control=self.app.flow_control,
                clear_on_resume=True,
            )
        return cast(ChangelogQueue, self._changelog_queue)

    @property
    def recovery(self) -> FastRecovery:
        if self._recovery is None:
            self._recovery = FastRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return cast(FastRecovery, self._recovery)


def install(app: Any) -> None:
    """Make `app` manage its tables with `FastTableManager` (call before any table is declared)."""
    if "tables" in vars(app):
        raise RuntimeError("fast_recovery.install must run before the app's table manager is created")
    app.conf.TableManager = FastTableManager

"""A Faust consumer whose fetch loop hands records over in batches, or at least without a task each.

Topics registered with `register_batch_topic` (the stages' inputs) get each fetched partition
batch in one call on its partition's lane (stream.batch_delivery), their offsets acked in bulk
once the call returned. Every other topic (table changelogs) takes the per-message path below.

faust-streaming 0.15's `Consumer._drain_messages` passes every fetched message to the
conductor through `Service.wait_first(callback(message), suspend_flow.wait())`: four tasks
and an `asyncio.wait` per message, so that a delivery blocked on a full stream buffer can
be abandoned when a rebalance suspends the flow (or the consumer stops or crashes). Nearly
every delivery finishes without ever waiting, which makes that machinery pure overhead.

`FastConsumer` starts the delivery inline. If it completes without suspending (the common
case) nothing else happens. If it suspends (a full buffer, producer back-pressure, flow
control), the rest of it runs under the same `wait_first` as upstream, so a rebalance,
stop or crash still cancels it exactly as before. While the flow is suspended, every
message takes the upstream path from the start. Offsets, acks, gaps and commits follow
the upstream loop unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import types
from collections.abc import Coroutine, Generator, Mapping, Set
from typing import Any, cast

from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types.tuples import ack_lock
from mode.utils.futures import notify

from bounceguard.stream.batch_delivery import BatchHandler, BatchLanes, plan_batch
from bounceguard.stream.in_loop_consumer import in_loop

# Messages between forced yields to the event loop, as upstream: a long fetched batch that
# never suspends must not starve the agents and timers.
_YIELD_EVERY = 100


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], pending: Any) -> Generator[Any, Any, Any]:
    """Drive a coroutine that has already run up to its first suspension point.

    `pending` is what it yielded (the future it waits on); each yield is passed up to the
    task running this generator, and the task's answer (a value or an exception such as a
    cancellation) is passed back down, exactly as a task would drive the coroutine itself.
    """
    while True:
        try:
            value = yield pending
        except BaseException as exc:  # cancellation and errors go to the coroutine
            try:
                pending = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                pending = coro.send(value)
            except StopIteration as stop:
                return stop.value


async def _finish(coro: Coroutine[Any, Any, Any], pending: Any) -> Any:
    return await _resume(coro, pending)


# How long the broker may hold a fetch request with nothing to return (ms). Faust hard-codes
# 1500. aiokafka keeps one fetch in flight per broker and leaves out partitions whose records
# are still buffered, so new records for a partition just drained wait for the request in
# flight: up to 1.5 s on a quiet topic, which was the tail of the hard-bounce-to-suppression
# latency. At 50 ms an idle worker sends 20 empty fetches a second.
FETCH_MAX_WAIT_MS = 50


class FastConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):  # type: ignore[misc]  # faust is untyped
    """The consumer thread, creating its aiokafka consumer with `FETCH_MAX_WAIT_MS`."""

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS  # read by the Fetcher created at start()
        return consumer

    async def refetch(self, offsets: dict[Any, int]) -> None:
        """Seek each still-assigned partition back to `offsets[tp]`, in the consumer's own thread."""
        await self.call_thread(_seek_assigned, self._ensure_consumer(), offsets)


InLoopFastConsumerThread = in_loop(FastConsumerThread)


async def _seek_assigned(consumer: Any, offsets: dict[Any, int]) -> None:
    assigned = consumer.assignment()
    for tp, offset in offsets.items():
        if tp in assigned:  # a partition moved away is read again by its new owner
            consumer.seek(tp, offset)


def inactive_records(records: Mapping[Any, list[Any]], active: Set[Any] | None, buffered: Set[Any]) -> dict[Any, int]:
    """First offset of each fetched partition that is not to be delivered now (paused or not active).

    Faust passes its live set of active partitions to the fetch, and aiokafka reads an empty
    set as "every partition": when recovery has paused all partitions for a moment, the
    fetch drains partitions that are paused, such as standby changelogs fetched since their
    seek. Upstream drops those records without a word, and the consumer's position is past
    them: a standby then misses a stretch of its changelog for good.
    """
    if active is None:
        return {}
    return {tp: rs[0].offset for tp, rs in records.items() if rs and tp not in active and tp not in buffered}


class FastConsumer(faust_aiokafka.Consumer):  # type: ignore[misc]  # faust is untyped
    """The aiokafka consumer with batch delivery and an inline delivery fast path (module docstring)."""

    def _new_consumer_thread(self) -> Any:
        in_loop_ = cast(FastTransport, self.transport).consumer_in_loop
        thread_class = InLoopFastConsumerThread if in_loop_ else FastConsumerThread
        return thread_class(self, loop=self.loop, beacon=self.beacon)

    async def _deliver(self, message: Any) -> None:
        if self.suspend_flow.is_set():
            await self.wait_first(self.callback(message), self.suspend_flow.wait())
            return
        coro = cast(Coroutine[Any, Any, Any], self.callback(message))
        try:
            pending = coro.send(None)
        except StopIteration:
            return  # delivered without waiting
        except BaseException:
            coro.close()
            raise
        await self.wait_first(_finish(coro, pending), self.suspend_flow.wait())

    async def _drain_messages(self, fetcher: Any) -> None:  # pragma: no cover - needs a broker
        consumer_should_stop = self._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        handlers = cast(FastTransport, self.transport).batch_handlers
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                records, active_partitions = await self._wait_next_records(1.0)
                await self.sleep(0)  # the fetch can return at once, again and again
                lanes_failure = cast(FastTransport, self.transport).batch_lanes.failure
                if lanes_failure is not None:  # processing failed (not bad input, which stages dead-letter)
                    raise lanes_failure
                if records is None or self.should_stop:
                    continue
                if not self.flow_active:  # fetched across a rebalance: resume from the committed offsets
                    await self._seek_back()
                    continue
                generation_id = self.app.consumer_generation_id
                per_message: dict[Any, list[Any]] = {}
                batches: list[tuple[Any, list[Any], tuple[BatchHandler, str]]] = []
                refetch = inactive_records(records, active_partitions, self._buffered_partitions)
                if refetch:  # read again once the partition is resumed: nothing fetched is dropped
                    await cast(FastConsumerThread, self._thread).refetch(refetch)
                for tp, tp_records in records.items():
                    if tp in refetch:
                        continue
                    handler = handlers.get(tp.topic)
                    if handler is None:
                        per_message[tp] = tp_records
                    else:
                        batches.append((tp, tp_records, handler))
                if batches and self.flow_active and self.app.consumer_generation_id == generation_id:
                    await self._handle_batches(batches, generation_id)
                if per_message:
                    await self._deliver_each(per_message, generation_id)
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                self.log.info("Broker stopped consumer, shutting down...")
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                self.log.info("Consumer shutting down for user cancel.")
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise

    async def _seek_back(self) -> None:  # pragma: no cover - needs a broker
        try:
            await self.perform_seek()
        except Exception as exc:  # as upstream: the next assignment seeks again
            self.log.warning("seek to committed offsets failed: %r", exc)

    async def _handle_batches(
        self, batches: list[tuple[Any, list[Any], tuple[BatchHandler, str]]], generation_id: int
    ) -> None:  # pragma: no cover - needs a broker
        """Start each partition's fetched records on its lane (see `BatchLanes`)."""
        lanes = cast(FastTransport, self.transport).batch_lanes
        for tp, records, (handler, lane) in batches:
            if not self.flow_active or self.app.consumer_generation_id != generation_id:
                # A rebalance ran while `lanes.start` waited for room, and its seek reset the read
                # offsets: handing these over now would mark them read, and the re-fetched
                # records of the partition would be dropped as already handed over.
                return
            acks_enabled = self.app.topics.acks_enabled_for(tp.topic)
            plan = plan_batch([r.offset for r in records], self._read_offset[tp], acks_enabled=acks_enabled)
            if not plan.keep:
                continue
            for gap_from, gap_to in plan.gaps:
                await self._add_gap(tp, gap_from, gap_to)
            batch = records[len(records) - plan.keep :]
            self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
            self._read_offset[tp] = batch[-1].offset  # handed over, as upstream after a delivery
            run = functools.partial(self._run_batch, tp, batch, handler, generation_id, acks_enabled)
            await lanes.start((lane, tp.partition), run)

    async def _run_batch(
        self, tp: Any, batch: list[Any], handler: BatchHandler, generation_id: int, acks_enabled: bool
    ) -> None:  # pragma: no cover - needs a broker
        if not self.flow_active or self.app.consumer_generation_id != generation_id:
            # Queued in the lane while a rebalance began (the flow stops first, the generation
            # changes later): the partition may be moving, and its next owner recovers the table
            # and reads these records again from the committed offset. Running them here would
            # write state for a partition this worker is handing over.
            return
        tail = await handler(tp, batch)

        def ack() -> None:
            if self.app.consumer_generation_id != generation_id:
                return  # the partition may have moved: its new owner reads these again (at least once)
            if acks_enabled:
                self._ack_offsets(tp, [r.offset for r in batch])

        if tail is None:
            ack()
        else:
            await cast(FastTransport, self.transport).batch_lanes.after(tp, tail, ack)

    async def wait_empty(self) -> None:  # pragma: no cover - needs a broker
        """Before a rebalance or stop hands partitions on, finish the batches already started."""
        await cast(FastTransport, self.transport).batch_lanes.wait_idle()
        await super().wait_empty()

    def _ack_offsets(self, tp: Any, offsets: list[int]) -> None:  # pragma: no cover - needs a broker
        """`Consumer.ack` for a whole batch: the same bookkeeping, once instead of per message.

        Batches are not counted towards `broker_commit_every`: a commit inside the fetch loop
        would hold every partition's next batch for the commit's round trips; the consumer's
        periodic commit (every `broker_commit_interval`) covers them.
        """
        with ack_lock:
            committed = self._committed_offset[tp]
            index = self._acked_index[tp]
            fresh = [o for o in offsets if (committed is None or o >= committed) and o not in index]
            index.update(fresh)
            self._acked[tp].extend(fresh)
            notify(self._waiting_for_ack)

    async def _deliver_each(self, records: dict[Any, list[Any]], generation_id: int) -> None:  # pragma: no cover
        """Topics without a batch handler (table changelogs, stock agents): one message at a time."""
        read_offset = self._read_offset
        acks_enabled_for = self.app.topics.acks_enabled_for
        commit_every = self._commit_every
        deliver = self._deliver
        to_message = self._to_message
        since_yield = 0
        for tp in records:  # once per partition, not per record (changelog recovery comes this way)
            self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
        for tp, record in self.scheduler.iterate(records):
            if not self.flow_active or self.app.consumer_generation_id != generation_id:
                break
            since_yield += 1
            if since_yield > _YIELD_EVERY:
                await asyncio.sleep(0)
                since_yield = 0
            message = to_message(tp, record)
            offset = message.offset
            previous = read_offset[tp]
            if previous is not None and offset < previous:
                self.log.dev("DROPPED MESSAGE ROFF %r: k=%r v=%r", offset, message.key, message.value)
                continue
            if previous and offset - previous > 1 and acks_enabled_for(message.topic):
                await self._add_gap(tp, previous + 1, offset)  # e.g. compacted or aborted offsets
            if commit_every is not None and self._n_acked >= commit_every:
                self._n_acked = 0
                await self.commit()
            await deliver(message)
            read_offset[tp] = offset


class FastTransport(faust_aiokafka.Transport):  # type: ignore[misc]  # faust is untyped
    """The aiokafka transport, creating `FastConsumer`s, with the registry of batch handlers."""

    Consumer = FastConsumer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch_handlers: dict[str, tuple[BatchHandler, str]] = {}  # topic -> (handler, lane)
        self.batch_lanes = BatchLanes()
        self.consumer_in_loop = True


def install(app: Any, *, in_loop: bool = True) -> None:
    """Make `app` consume through `FastTransport` (call before the worker starts).

    `in_loop`: run the aiokafka consumer on the app's event loop (stream.in_loop_consumer)
    instead of Faust's consumer thread.
    """
    transport = FastTransport(app.conf.broker_consumer, app)
    transport.consumer_in_loop = in_loop
    app.transport = transport


def register_batch_topic(app: Any, topic: Any, handler: BatchHandler, *, lane: str) -> None:
    """Deliver `topic`'s records to `handler` a fetched partition batch at a time.

    The topic is subscribed like an agent's; its offsets are acked after the handler returns,
    so they are committed only after processing (at least once). Batches of one `lane` and
    partition number run one after another.
    """
    transport = app.transport
    if not isinstance(transport, FastTransport):
        raise TypeError("batch topics need the fast consumer: call fast_consumer.install(app) first")
    for name in topic.topics:
        transport.batch_handlers[name] = (handler, lane)
    app.topics.add(topic)

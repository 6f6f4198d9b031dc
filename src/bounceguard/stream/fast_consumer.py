"""A Faust consumer whose fetch loop hands most messages over without a task per message.

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
import types
from collections.abc import Coroutine, Generator
from typing import Any, cast

from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as faust_aiokafka

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


class FastConsumer(faust_aiokafka.Consumer):  # type: ignore[misc]  # faust is untyped
    """The aiokafka consumer with an inline delivery fast path (see the module docstring)."""

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
        read_offset = self._read_offset
        acks_enabled_for = self.app.topics.acks_enabled_for
        commit_every = self._commit_every
        deliver = self._deliver
        since_yield = 0
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                batch = cast(Any, self.getmany(timeout=1.0))
                await self.sleep(0)  # getmany can return at once, again and again
                if self.should_stop:
                    continue
                async for tp, message in batch:
                    since_yield += 1
                    if since_yield > _YIELD_EVERY:
                        await asyncio.sleep(0)
                        since_yield = 0
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


class FastTransport(faust_aiokafka.Transport):  # type: ignore[misc]  # faust is untyped
    """The aiokafka transport, creating `FastConsumer`s."""

    Consumer = FastConsumer


def install(app: Any) -> None:
    """Make `app` consume through `FastTransport` (call before the worker starts)."""
    app.transport = FastTransport(app.conf.broker_consumer, app)

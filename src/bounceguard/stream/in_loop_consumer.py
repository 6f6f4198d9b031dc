"""Faust's consumer "thread" run as a task on the worker's own event loop.

faust-streaming runs its aiokafka consumer in a `mode.ServiceThread`: a second thread with its
own event loop, reached through method queues. Each fetch is a round trip between the two
loops (a queued call, a future resolved across threads, a wake-up of the other loop), and the
consumer's thread holds the GIL while it parses a fetch response, so the agents' loop and the
fetch take turns at the interpreter every few milliseconds. On two cores shared with the
broker, that hand-over was the tail of hard-bounce-to-suppression latency
(docs/performance.md).

`in_loop(cls)` makes a consumer-thread class whose service runs as a task on the app's loop
and whose calls into "the thread" are plain awaits. Everything else is Faust's: the same
aiokafka consumer, rebalance listener, commits and seeks. aiokafka keeps its heartbeat in its
own task, so a stage step that held the loop for longer than the heartbeat interval would
delay it; the stages yield every few dozen events (stream/intake_agents.py,
stream/address_agent.py), table recovery every 100 records (stream/fast_recovery.py),
and the session timeout is 30 s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from mode.utils.futures import maybe_async


class InLoopServiceThread:
    """Overrides for a `mode.QueueServiceThread` subclass so that it runs on its parent's loop.

    Mixed in before the thread class (`in_loop`), so these come first in the MRO.
    """

    _serve_task: asyncio.Task[None] | None = None

    def __init__(self, *args: Any, loop: asyncio.AbstractEventLoop | None = None, **kwargs: Any) -> None:
        loop = loop or asyncio.get_event_loop_policy().get_event_loop()
        super().__init__(*args, loop=loop, thread_loop=loop, **kwargs)  # type: ignore[call-arg]

    async def start(self) -> None:
        """As `ServiceThread.start`, with the service's body as a task instead of a thread."""
        this: Any = self
        assert not this._thread_started.is_set()
        this._thread_started.set()
        this._thread_running = this.parent_loop.create_future()
        try:
            self._serve_task = this.parent_loop.create_task(this._serve())
            # a crash is reported through `crash` (and start's error); the task's copy is read here
            self._serve_task.add_done_callback(_retrieve)
            if not this.should_stop:
                await this._thread_running  # set once started, or to the start-up error
        finally:
            this._thread_running = None

    async def call_thread(self, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The "thread" is this loop: call directly, no method queue (as the queue, sync or async)."""
        return await maybe_async(fun(*args, **kwargs))

    async def _gather_remaining_tasks(self) -> None:
        """Upstream cancels every task left on the thread's loop; this loop is the app's own.

        The aiokafka consumer's own tasks end with `consumer.stop()` in `on_thread_stop`.
        """


def _retrieve(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()


def in_loop(thread_class: type[Any]) -> type[Any]:
    """`thread_class` (a Faust consumer thread) running on the app's loop."""
    return type(f"InLoop{thread_class.__name__}", (InLoopServiceThread, thread_class), {})

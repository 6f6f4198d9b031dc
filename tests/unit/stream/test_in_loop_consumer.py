"""A mode service thread made to run on its parent's loop: same thread, plain calls, clean stop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from mode.threads import QueueServiceThread, WorkerThread

from bounceguard.stream.in_loop_consumer import in_loop


class _Recorder(QueueServiceThread):  # type: ignore[misc]  # mode is untyped
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_in: tuple[int, asyncio.AbstractEventLoop] | None = None
        self.stopped = False

    async def on_start(self) -> None:
        self.started_in = (threading.get_ident(), asyncio.get_running_loop())

    async def on_thread_stop(self) -> None:
        await super().on_thread_stop()
        self.stopped = True


class _Failing(QueueServiceThread):  # type: ignore[misc]  # mode is untyped
    async def on_start(self) -> None:
        raise ConnectionError("broker unreachable")


def _sync_add(a: int, b: int) -> int:
    return a + b


async def _async_where() -> tuple[int, asyncio.AbstractEventLoop]:
    return threading.get_ident(), asyncio.get_running_loop()


def test_runs_on_the_callers_thread_and_loop() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        service = in_loop(_Recorder)(loop=loop)
        bystander = asyncio.ensure_future(asyncio.sleep(30))  # another task on the same loop
        await service.start()
        assert service.started_in == (threading.get_ident(), loop)
        assert service._thread is None  # no worker thread was made for it...
        assert not any(isinstance(t, WorkerThread) for t in threading.enumerate())  # ...nor started
        assert await service.call_thread(_sync_add, 2, 3) == 5
        assert await service.call_thread(_async_where) == (threading.get_ident(), loop)
        await service.stop()
        assert service.stopped
        # upstream cancels every task left on the thread's loop when it stops: not the app's own
        assert not bystander.done()
        bystander.cancel()

    asyncio.run(scenario())


def test_start_up_error_reaches_the_caller() -> None:
    async def scenario() -> None:
        service = in_loop(_Failing)(loop=asyncio.get_running_loop())
        with pytest.raises(ConnectionError, match="unreachable"):
            await service.start()

    asyncio.run(scenario())


def test_class_keeps_the_thread_class_behaviour() -> None:
    cls = in_loop(_Recorder)
    assert issubclass(cls, _Recorder)
    assert cls.__name__ == "InLoop_Recorder"

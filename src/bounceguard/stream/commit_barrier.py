"""Commit input offsets only after every table write made before the commit is acknowledged.

With at-least-once, faust-streaming 0.15 flushes its producer before committing offsets, but its
``ProducerBuffer.flush`` (the queue that table changelog writes go through) returns as soon as
100 ms pass without a message leaving the queue, and never waits for a message already taken off
the queue that is still blocked on a full aiokafka accumulator. Under load the consumer offset
was then committed ahead of the changelog records of the events before it. After a SIGKILL those
events were never read again while their table updates were gone: a memory store forgot them,
and a RocksDB store was rolled back to the older values at the changelog's tail, so later
decisions diverged (tests/faults/test_sigkill.py measured hundreds of lost suppressions).

The barrier remembers every future the buffer is given and makes ``flush`` wait for all of them:
each resolves when Kafka acknowledged (or refused) the record.
"""

from __future__ import annotations

import asyncio
from typing import Any


def hold_commits_for_table_writes(app: Any) -> None:
    """Make the app's producer flush (run before every at-least-once commit) wait for acknowledgements."""
    buffer = app.producer.buffer
    pending: set[asyncio.Future[Any]] = set()
    put = buffer.put
    flush = buffer.flush

    def tracked_put(fut: asyncio.Future[Any]) -> None:
        pending.add(fut)
        fut.add_done_callback(pending.discard)
        put(fut)

    async def acknowledged_flush() -> None:
        await flush()
        if pending:
            await asyncio.wait(list(pending))

    buffer.put = tracked_put
    buffer.flush = acknowledged_flush

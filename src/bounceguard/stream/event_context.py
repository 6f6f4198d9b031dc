"""Which event a table write belongs to, when an agent processes events in batches.

Faust picks a table write's changelog partition from the *current event* (a context variable
its stream sets while iterating one event at a time). A batch from `take_events` is handled in
the agent's own task, where no current event is set; writing a key there must name the event
the key came from, or the write fails (no event) or lands in another partition's changelog.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faust import streams as _faust_streams


@contextmanager
def as_current_event(event: Any) -> Iterator[None]:
    """Make `event` the current event of this task for the duration of the block."""
    # faust-streaming 0.15: `faust.streams._current_event` holds a weak reference to the event.
    # Only the context variable is set, never `Stream.current_event`, which the stream's own
    # background buffering reads.
    token = _faust_streams._current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _faust_streams._current_event.reset(token)


class _PartitionMessage:
    __slots__ = ("partition", "topic", "tp")

    def __init__(self, tp: Any) -> None:
        self.tp = tp
        self.topic = tp.topic
        self.partition = tp.partition


class _PartitionEvent:
    """Just enough of a Faust event for table reads and writes: its message's topic and partition."""

    __slots__ = ("__weakref__", "message")

    def __init__(self, tp: Any) -> None:
        self.message = _PartitionMessage(tp)


@contextmanager
def as_partition(tp: Any) -> Iterator[None]:
    """Table reads and writes in this block belong to partition `tp` (a batch of one partition)."""
    event = _PartitionEvent(tp)
    with as_current_event(event):
        yield

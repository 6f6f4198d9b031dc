"""How a processing stage receives its input: fetched batches straight from the consumer, or a Faust agent.

A stage is one coroutine, `process(tp, records)`, over the records of one partition in offset
order (aiokafka records or Faust messages: both carry topic, partition, offset, key, value).
With the fast consumer and at-least-once, the consumer calls it with each fetched partition
batch and acks the offsets once it returned: no task, channel, event or ack per message. With
the fast consumer switched off (BOUNCEGUARD_FAST_CONSUMER=false), a stock Faust agent calls
the same coroutine with one event at a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bounceguard.stream.app import Pipeline
from bounceguard.stream.outbox import Outbox

# -> None once done, or a tail to wait for before the offsets count as processed (the lane
# meanwhile starts the next batch: stream.batch_delivery.BatchLanes.after)
Process = Callable[[Any, list[Any]], Awaitable[Awaitable[None] | None]]

# The lane shared by every stage that writes the address tables: the intake stages decide
# events of their own partition in place, so partition N of every intake topic and of the
# events topic must never run at the same time (see stream.address_agent.AddressStage).
ADDRESS_LANE = "addresses"


def batch_delivery(pipeline: Pipeline) -> bool:
    return pipeline.settings.fast_consumer


def outbox_factory(pipeline: Pipeline) -> Callable[[], Outbox]:
    """New outboxes on the app's producer (see stream.outbox)."""
    producer = pipeline.producer
    return lambda: Outbox(producer)


def run_stage(pipeline: Pipeline, source: str, name: str, process: Process, *, lane: str | None = None) -> None:
    """Feed `pipeline.topic(source)` to `process`, by the transport the settings allow.

    Batches of stages in the same `lane` (default: their own) and partition number run one
    after another; all others run side by side.
    """
    topic = pipeline.topic(source)
    if batch_delivery(pipeline):
        from bounceguard.stream.fast_consumer import register_batch_topic

        register_batch_topic(pipeline.app, topic, process, lane=lane or source)
        return

    async def agent(stream: Any) -> None:
        # One event at a time: the stock consumer's path, kept as the reference to compare with.
        async for event in stream.events():
            tail = await process(event.message.tp, [event.message])
            if tail is not None:
                await tail

    agent.__name__ = agent.__qualname__ = name.rsplit(".", 1)[-1].replace("-", "_")
    pipeline.app.agent(topic, name=name, concurrency=1)(agent)

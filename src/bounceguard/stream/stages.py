"""How a processing stage receives its input: fetched batches straight from the consumer, or a Faust agent.

A stage is one coroutine, `process(tp, records)`, over the records of one partition in offset
order (aiokafka records or Faust messages: both carry topic, partition, offset, key, value).
With the fast consumer and at-least-once, the consumer calls it with each fetched partition
batch and acks the offsets once it returned: no task, channel, event or ack per message. With
exactly-once (whose transactions are bound to Faust's per-event path) or the fast consumer
switched off, a stock Faust agent takes events in batches and calls the same coroutine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bounceguard.stream.app import Pipeline

Process = Callable[[Any, list[Any]], Awaitable[None]]

# For the agent transport: inputs per call and how long a partial batch may wait (seconds).
_AGENT_BATCH = 500
_AGENT_WITHIN = 0.05


def batch_delivery(pipeline: Pipeline) -> bool:
    settings = pipeline.settings
    return settings.fast_consumer and settings.processing_guarantee == "at_least_once"


def run_stage(pipeline: Pipeline, source: str, name: str, process: Process) -> None:
    """Feed `pipeline.topic(source)` to `process`, by the transport the settings allow."""
    topic = pipeline.topic(source)
    if batch_delivery(pipeline):
        from bounceguard.stream.fast_consumer import register_batch_topic

        register_batch_topic(pipeline.app, topic, process)
        return

    async def agent(stream: Any) -> None:
        async for events in stream.take_events(_AGENT_BATCH, within=_AGENT_WITHIN):
            by_tp: dict[Any, list[Any]] = {}
            for event in events:
                by_tp.setdefault(event.message.tp, []).append(event.message)
            for tp, messages in by_tp.items():
                await process(tp, messages)

    agent.__name__ = agent.__qualname__ = name.rsplit(".", 1)[-1].replace("-", "_")
    pipeline.app.agent(topic, name=name, concurrency=1)(agent)

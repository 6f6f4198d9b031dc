"""Agents that turn raw input (send results, provider webhooks, bounce e-mails) into BounceEvents.

Every input either becomes zero or more events on `<prefix>events`, keyed tenant/address,
or lands on `<prefix>deadletter` with its error and original bytes. Nothing raises out of
an agent: a crash would stop the partition and, with at-least-once, loop on the same input.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from bounceguard.core.addresses import address_key
from bounceguard.core.deadletters import dead_letter
from bounceguard.core.models import BounceEvent
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline

log = logging.getLogger(__name__)

Converter = Callable[[bytes], Iterable[BounceEvent]]


def install(pipeline: Pipeline) -> None:
    from bounceguard.stream import converters

    settings = pipeline.settings
    _intake_agent(pipeline, "send-results", converters.from_send_result)
    _intake_agent(pipeline, "webhooks", converters.from_webhook)
    _intake_agent(pipeline, "dsn", converters.from_dsn(settings.default_tenant))


def _intake_agent(pipeline: Pipeline, source: str, convert: Converter) -> None:
    app = pipeline.app
    events_topic = pipeline.topic("events")
    limit = pipeline.settings.max_message_bytes

    async def intake(stream: Any) -> None:
        async for event in stream.events():
            message = event.message
            value: bytes | None = message.value
            try:
                if value is None:
                    raise ValueError("empty message (no value)")
                if len(value) > limit:
                    raise ValueError(f"message of {len(value)} bytes exceeds the {limit}-byte limit")
                produced = list(convert(value))
            except Exception as exc:  # any bad input: dead-letter it, keep the partition moving
                await send_dead_letter(pipeline, message, exc)
                continue
            for bounce in produced:
                key = address_key(bounce.tenant, bounce.recipient).encode()
                await events_topic.send(key=key, value=bounce.model_dump_json().encode())

    intake.__name__ = intake.__qualname__ = f"intake_{source.replace('-', '_')}"
    app.agent(pipeline.topic(source), name=f"bounceguard.intake.{source}", concurrency=1)(intake)


async def send_dead_letter(pipeline: Pipeline, message: Any, exc: BaseException) -> None:
    record = dead_letter(
        source_topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        error=exc,
    )
    await pipeline.topic("deadletter").send(key=message.key, value=record.model_dump_json().encode())
    metrics.observe_dead_letter(message.topic, record.error_type)
    log.warning("dead-lettered %s[%s]@%s: %s", message.topic, message.partition, message.offset, record.error[:200])

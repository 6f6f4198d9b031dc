"""Stages that turn raw input (send results, provider webhooks, bounce e-mails) into BounceEvents.

Every input either becomes zero or more events on `<prefix>events`, keyed tenant/address,
or lands on `<prefix>deadletter` with its error and original bytes. Nothing raises out of
a stage for bad input: a crash would stop the partition and, with at-least-once, loop on it.
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
from bounceguard.stream.outbox import Outbox
from bounceguard.stream.stages import run_stage

log = logging.getLogger(__name__)

Converter = Callable[[bytes], Iterable[BounceEvent]]


def install(pipeline: Pipeline) -> None:
    from bounceguard.stream import converters

    settings = pipeline.settings
    _intake_stage(pipeline, "send-results", converters.from_send_result)
    _intake_stage(pipeline, "webhooks", converters.from_webhook)
    _intake_stage(pipeline, "dsn", converters.from_dsn(settings.default_tenant))


def _intake_stage(pipeline: Pipeline, source: str, convert: Converter) -> None:
    producer = pipeline.app.producer
    events_topic = pipeline.settings.topic("events")
    limit = pipeline.settings.max_message_bytes

    async def intake(tp: Any, records: list[Any]) -> None:
        outbox = Outbox(producer)
        for message in records:
            value: bytes | None = message.value
            try:
                if value is None:
                    raise ValueError("empty message (no value)")
                if len(value) > limit:
                    raise ValueError(f"message of {len(value)} bytes exceeds the {limit}-byte limit")
                produced = list(convert(value))
            except Exception as exc:  # any bad input: dead-letter it, keep the partition moving
                await dead_letter_to(outbox, pipeline, message, exc)
                continue
            for bounce in produced:
                key = address_key(bounce.tenant, bounce.recipient).encode()
                await outbox.send(events_topic, key, bounce.model_dump_json().encode())
        await outbox.flush()

    run_stage(pipeline, source, f"bounceguard.intake.{source}", intake)


async def dead_letter_to(outbox: Outbox, pipeline: Pipeline, message: Any, exc: BaseException) -> None:
    """Put `message` on the dead-letter topic with its error (acknowledged with the outbox)."""
    record = dead_letter(
        source_topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        error=exc,
    )
    await outbox.send(pipeline.settings.topic("deadletter"), message.key, record.model_dump_json().encode())
    metrics.observe_dead_letter(message.topic, record.error_type)
    log.warning("dead-lettered %s[%s]@%s: %s", message.topic, message.partition, message.offset, record.error[:200])

"""Stages that turn raw input (send results, provider webhooks, bounce e-mails) into BounceEvents.

Every input either becomes zero or more events on `<prefix>events`, keyed tenant/address,
or lands on `<prefix>deadletter` with its error and original bytes. An event whose key hashes
to the input's own partition is decided in place, without the events topic (AddressStage). Nothing raises out of
a stage for bad input: a crash would stop the partition and, with at-least-once, loop on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from bounceguard.core.addresses import address_key
from bounceguard.core.deadletters import dead_letter
from bounceguard.core.models import BounceEvent
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.outbox import Outbox
from bounceguard.stream.stages import ADDRESS_LANE, outbox_factory, run_stage

if TYPE_CHECKING:
    from bounceguard.stream.address_agent import AddressStage

log = logging.getLogger(__name__)

# Records converted between yields to the event loop (~25 us each: parse and classify).
_YIELD_EVERY = 64

Converter = Callable[[bytes], Iterable[BounceEvent]]


def install(pipeline: Pipeline, addresses: AddressStage) -> None:
    from bounceguard.stream import converters

    settings = pipeline.settings
    _intake_stage(pipeline, "send-results", converters.from_send_result, addresses)
    _intake_stage(pipeline, "webhooks", converters.from_webhook, addresses)
    _intake_stage(pipeline, "dsn", converters.from_dsn(settings.default_tenant), addresses)


def _intake_stage(pipeline: Pipeline, source: str, convert: Converter, addresses: AddressStage) -> None:
    new_outbox = outbox_factory(pipeline)
    events_topic = pipeline.settings.topic("events")
    limit = pipeline.settings.max_message_bytes

    async def intake(tp: Any, records: list[Any]) -> Awaitable[None] | None:
        outbox = new_outbox()
        await addresses.prepare(tp.topic)
        local: list[tuple[Any, bytes, BounceEvent]] = []  # events of this very partition: decided here
        for n, message in enumerate(records, 1):
            if n % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # a fetched batch holds thousands: other partitions share this loop
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
                partition, here = addresses.route(tp, key)
                if here:
                    local.append((message, key, bounce))
                else:
                    outbox.send(events_topic, key, bounce.model_dump_json().encode(), partition)
        if local:
            return await addresses.decide(tp.partition, local, outbox)  # flushes the forwarded events too
        await outbox.flush()
        return None

    run_stage(pipeline, source, f"bounceguard.intake.{source}", intake, lane=ADDRESS_LANE)


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
    outbox.send(pipeline.settings.topic("deadletter"), message.key, record.model_dump_json().encode())
    metrics.observe_dead_letter(message.topic, record.error_type)
    log.warning("dead-lettered %s[%s]@%s: %s", message.topic, message.partition, message.offset, record.error[:200])

"""Per-address state: the events topic (key tenant/address) drives the suppression policy.

The table value is the AddressHistory JSON; the policy itself is the pure
`bounceguard.core.address_step.step`. Each accepted event is forwarded, once per scope, to the
trend repartition topic so rates are computed per mailbox and per segment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from bounceguard.core.address_step import AddressRecord, StepResult, step, trend_inputs
from bounceguard.core.addresses import domain_of
from bounceguard.core.categories import Category
from bounceguard.core.models import BounceEvent, utcnow
from bounceguard.core.suppression_policy import Effect, domain_delivery_advances
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.intake_agents import send_dead_letter
from bounceguard.stream.trend_batcher import TrendBatcher
from bounceguard.stream.verify_mount import DOMAIN_REASONS, RecentDomainFailures

log = logging.getLogger(__name__)


def install(pipeline: Pipeline, domain_failures: RecentDomainFailures) -> None:
    app = pipeline.app
    settings = pipeline.settings
    policy = settings.policy
    addresses = app.Table(
        "address-state",
        default=None,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.partitions,
        help="AddressRecord JSON per tenant/address",
    )
    domains = app.Table(
        "domain-delivery",
        default=None,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.partitions,
        help="last delivery time per tenant/domain, as seen by this partition",
    )
    pipeline.tables["address-state"] = addresses
    pipeline.tables["domain-delivery"] = domains
    suppressions = pipeline.topic("suppressions")
    retries = pipeline.topic("retries")
    trends = TrendBatcher(pipeline.topic("trend-input"))

    async def track_addresses(stream: Any) -> None:
        try:
            await _track(stream)
        finally:  # a clean stop (or rebalance) sends what is still grouped
            with contextlib.suppress(Exception):
                await trends.flush()

    async def _track(stream: Any) -> None:
        async for ev in stream.events():
            message = ev.message
            key: bytes = message.key or b""
            try:
                event = BounceEvent.model_validate_json(message.value)
                raw = addresses.get(key)
                record = AddressRecord.model_validate_json(raw) if raw else None
                domain_key = f"{event.tenant}/{domain_of(event.recipient)}".encode()
                domain_raw = domains.get(domain_key)
                domain_last = datetime.fromisoformat(domain_raw.decode()) if domain_raw else None
                result: StepResult = step(record, event, policy, domain_last_delivery=domain_last)
            except (ValidationError, ValueError, TypeError) as exc:  # bad input, InvalidAddress, PolicyError
                await send_dead_letter(pipeline, message, exc)
                continue
            if result.duplicate:
                metrics.observe_duplicate()
                continue
            metrics.observe_event(event, attempt=result.counts_as_attempt)
            # Decisions are acknowledged by Kafka before the state that remembers them is written:
            # a crash in between re-decides the event (an identical copy, same transition id),
            # where the other order would find the event id already seen and never send them.
            # Only suppressions and retry advice pay this round trip (a few % of events); trend
            # inputs are counts, sent after the state (a crash may lose a few of them).
            acks = []
            if result.suppression is not None:
                acks.append(await suppressions.send(key=key, value=result.suppression.model_dump_json().encode()))
            if result.retry is not None:
                retry_key = (result.retry.message_id or result.retry.event_id).encode()
                acks.append(await retries.send(key=retry_key, value=result.retry.model_dump_json().encode()))
            if acks:
                await asyncio.gather(*acks)
            if result.suppression is not None:
                metrics.observe_suppression(result.suppression)
            addresses[key] = result.record.model_dump_json().encode()
            if result.decision.effect is Effect.DELIVERY and domain_delivery_advances(domain_last, event.occurred_at):
                domains[domain_key] = event.occurred_at.isoformat().encode()
            if event.category is Category.HARD and event.reason in DOMAIN_REASONS:
                domain_failures.record(domain_of(event.recipient), event.reason, event.occurred_at)
            for trend_key, payload in trend_inputs(event, result):
                await trends.add(trend_key, payload)
            if event.category is not Category.NONE or result.suppression is not None:
                metrics.observe_decision_latency((utcnow() - event.occurred_at).total_seconds())

    app.timer(interval=0.2, name="bounceguard.flush_trend_inputs")(trends.flush)

    track_addresses.__qualname__ = "track_addresses"
    app.agent(pipeline.topic("events"), name="bounceguard.addresses", concurrency=1)(track_addresses)

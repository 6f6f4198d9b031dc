"""Per-address state: the events topic (key tenant/address) drives the suppression policy.

The table value is the AddressHistory JSON; the policy itself is the pure
`bounceguard.core.address_step.step`. Each accepted event is forwarded, once per scope, to the
trend repartition topic so rates are computed per mailbox and per segment.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from bounceguard.core.address_step import AddressRecord, StepResult, step, trend_inputs
from bounceguard.core.addresses import domain_of
from bounceguard.core.categories import Category
from bounceguard.core.models import BounceEvent, Suppression, utcnow
from bounceguard.core.suppression_policy import Effect, domain_delivery_advances
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.event_context import as_partition
from bounceguard.stream.intake_agents import dead_letter_to
from bounceguard.stream.outbox import Outbox
from bounceguard.stream.stages import run_stage
from bounceguard.stream.topics import TREND_INPUT
from bounceguard.stream.trend_batcher import FLUSH_INTERVAL, TrendBatcher
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
    producer = app.producer
    suppressions_topic = settings.topic("suppressions")
    retries_topic = settings.topic("retries")
    trends = TrendBatcher(producer, settings.topic(TREND_INPUT))

    async def track_addresses(tp: Any, records: list[Any]) -> None:
        outbox = Outbox(producer)
        states: dict[bytes, AddressRecord] = {}  # this batch's new state per key, written once at the end
        domain_updates: dict[bytes, datetime] = {}
        suppressed: list[Suppression] = []
        trend_items: list[tuple[str, dict[str, Any]]] = []
        with as_partition(tp):  # the table partition is the events partition (co-partitioned)
            for message in records:
                key: bytes = message.key or b""
                try:
                    event = BounceEvent.model_validate_json(message.value)
                    if key in states:
                        record: AddressRecord | None = states[key]
                    else:
                        raw = addresses.get(key)
                        record = AddressRecord.model_validate_json(raw) if raw else None
                    domain_key = f"{event.tenant}/{domain_of(event.recipient)}".encode()
                    domain_last = domain_updates.get(domain_key)
                    if domain_last is None:
                        domain_raw = domains.get(domain_key)
                        domain_last = datetime.fromisoformat(domain_raw.decode()) if domain_raw else None
                    result: StepResult = step(record, event, policy, domain_last_delivery=domain_last)
                except (ValidationError, ValueError, TypeError) as exc:  # bad input, InvalidAddress, PolicyError
                    await dead_letter_to(outbox, pipeline, message, exc)
                    continue
                if result.duplicate:
                    metrics.observe_duplicate()
                    continue
                metrics.observe_event(event, attempt=result.counts_as_attempt)
                if result.suppression is not None:
                    await outbox.send(suppressions_topic, key, result.suppression.model_dump_json().encode())
                    suppressed.append(result.suppression)
                if result.retry is not None:
                    retry_key = (result.retry.message_id or result.retry.event_id).encode()
                    await outbox.send(retries_topic, retry_key, result.retry.model_dump_json().encode())
                states[key] = result.record
                if result.decision.effect is Effect.DELIVERY and domain_delivery_advances(
                    domain_last, event.occurred_at
                ):
                    domain_updates[domain_key] = event.occurred_at
                if event.category is Category.HARD and event.reason in DOMAIN_REASONS:
                    domain_failures.record(domain_of(event.recipient), event.reason, event.occurred_at)
                trend_items.extend(trend_inputs(event, result))
                if event.category is not Category.NONE or result.suppression is not None:
                    metrics.observe_decision_latency((utcnow() - event.occurred_at).total_seconds())
            # Decisions are acknowledged by Kafka before the state that remembers them is written:
            # a crash in between re-decides the events (identical copies, same transition ids),
            # where the other order would find the event ids already seen and never send them.
            # Trend inputs are counts, sent after the state (a crash may lose a few of them).
            await outbox.flush()
            for suppression in suppressed:
                metrics.observe_suppression(suppression)
            for key, state in states.items():
                addresses[key] = state.model_dump_json().encode()
            for domain_key, delivered_at in domain_updates.items():
                domains[domain_key] = delivered_at.isoformat().encode()
        for trend_key, payload in trend_items:
            await trends.add(trend_key, payload)

    async def flush_trends(sender: Any, *args: Any, **kwargs: Any) -> None:
        """A rebalance or clean stop sends what is still grouped."""
        with contextlib.suppress(Exception):
            await trends.flush()

    app.timer(interval=FLUSH_INTERVAL, name="bounceguard.flush_trend_inputs")(trends.flush)
    app.on_partitions_revoked.connect(flush_trends)
    app.on_before_shutdown.connect(flush_trends)
    run_stage(pipeline, "events", "bounceguard.addresses", track_addresses)

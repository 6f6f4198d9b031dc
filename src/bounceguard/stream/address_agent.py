"""Per-address state: the events topic (key tenant/address) drives the suppression policy.

The table value is the AddressHistory JSON; the policy itself is the pure
`bounceguard.core.address_step.step`. Each accepted event is counted, once per scope, into the
grouped trend inputs (stream.trend_batcher) so rates are computed per mailbox and per segment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import Any

from faust.types import TP
from pydantic import ValidationError

from bounceguard.core.address_step import (
    AddressRecord,
    StepResult,
    record_from_json,
    record_to_json,
    step,
    trend_scopes,
)
from bounceguard.core.addresses import domain_of
from bounceguard.core.categories import Category
from bounceguard.core.models import BounceEvent, Outcome, Scope, Suppression, utcnow
from bounceguard.core.suppression_policy import Effect, domain_delivery_advances
from bounceguard.core.trends.groups import split_time
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.event_context import as_partition
from bounceguard.stream.intake_agents import dead_letter_to
from bounceguard.stream.outbox import Outbox
from bounceguard.stream.partitioning import partition_of
from bounceguard.stream.stages import ADDRESS_LANE, batch_delivery, outbox_factory, run_stage
from bounceguard.stream.table_writes import TableWrites, partition_reader
from bounceguard.stream.topics import TREND_INPUT
from bounceguard.stream.trend_batcher import FLUSH_INTERVAL, TREND_SLICES, TrendBatcher
from bounceguard.stream.urgent_first import urgent_first
from bounceguard.stream.verify_mount import DOMAIN_REASONS, RecentDomainFailures

log = logging.getLogger(__name__)

# Events between yields to the event loop within one batch (~200 us each).
_YIELD_EVERY = 32
# States written (or events counted for trends) between yields.
_YIELD_EVERY_WRITES = 256


class AddressStage:
    """The address table, the policy over it, and the outputs of each decision.

    Fed by the events topic, and, when a source record is already in the partition its event
    belongs to, straight from the intake stage of that partition (`route`): a send
    result keyed the way the events topic is keyed skips the repartition hop.
    """

    def __init__(self, pipeline: Pipeline, domain_failures: RecentDomainFailures) -> None:
        settings = pipeline.settings
        self._pipeline = pipeline
        self._policy = settings.policy
        self._domain_failures = domain_failures
        self.addresses = pipeline.table("address-state", help="AddressRecord JSON per tenant/address")
        self.domains = pipeline.table(
            "domain-delivery", help="last delivery time per tenant/domain, as seen by this partition"
        )
        self._new_outbox = outbox_factory(pipeline)
        self.events_topic = settings.topic("events")
        self._suppressions_topic = settings.topic("suppressions")
        self._retries_topic = settings.topic("retries")
        self._partitions = settings.partitions
        self._copartitioned: dict[str, bool] = {}  # source topic -> decided in place (see route)
        self.local_decisions = batch_delivery(pipeline)  # the agent transport runs stages concurrently
        self.trends = TrendBatcher(self._new_outbox, settings.topic(TREND_INPUT))

    def events_partition(self, key: bytes) -> int:
        """The events partition of `key`: Kafka's default partitioner (murmur2), as producers use."""
        return partition_of(key, self._partitions)

    def route(self, source_tp: Any, key: bytes) -> tuple[int | None, bool]:
        """Where the event of `key`, read from `source_tp`, goes: (its events partition, decide it here?).

        The partition is hashed once here, and given to the producer when the event crosses the
        events topic (None: let the producer hash it). Decided here only when the key hashes to
        the source record's own partition number and the source topic has as many partitions as
        the events topic: Faust then assigns both partitions (and the table partition) to this
        worker, and the lane of that partition number is the one running. Call `prepare` for the
        source topic first: the answer must never change for a key, or its events would take
        two paths and could be decided out of order.
        """
        if not self.local_decisions:
            return None, False
        same = self._copartitioned.get(source_tp.topic)
        if same is None:
            raise RuntimeError(f"routes of {source_tp.topic} not prepared")
        if not same:
            return None, False
        partition = self.events_partition(key)
        return partition, partition == source_tp.partition

    async def prepare(self, topic: str) -> None:
        """Learn (once, from the broker's metadata) whether `topic` is co-partitioned with events."""
        if not self.local_decisions or topic in self._copartitioned:
            return
        counts = {
            len(await self._pipeline.producer.partitions(topic)),
            len(await self._pipeline.producer.partitions(self.events_topic)),
        }
        same = self._copartitioned[topic] = counts == {self._partitions}
        if not same:
            log.warning("%s and %s differ in partitions: events take the topic", topic, self.events_topic)

    async def handle_events(self, tp: Any, records: list[Any]) -> Awaitable[None]:
        outbox = self._new_outbox()
        return await self.decide(tp.partition, [(message, message.key or b"", None) for message in records], outbox)

    async def decide(
        self, partition: int, inputs: Sequence[tuple[Any, bytes, BounceEvent | None]], outbox: Outbox
    ) -> Awaitable[None]:
        """Run the policy over `inputs` (source record, key, event or None to parse the record's value),
        those that suppress on their own first (`urgent_first`).

        Everything already in `outbox` is acknowledged together with the decisions. Returns the
        tail: done once the new state is in the changelog.
        """
        pipeline = self._pipeline
        addresses, domains, policy = self.addresses, self.domains, self._policy
        states: dict[bytes, AddressRecord] = {}  # this batch's new state per key, written once at the end
        domain_updates: dict[bytes, datetime] = {}
        domains_read: dict[bytes, datetime | None] = {}  # this batch's view of the domain table
        suppressed: list[Suppression] = []
        tally = metrics.EventTally()
        counted: list[tuple[BounceEvent, bool, list[tuple[Scope, str]]]] = []  # (event, attempt?, trend scopes)
        early = False  # a suppression is queued that has not been handed to the producer yet
        read_address, read_domain = partition_reader(addresses, partition), partition_reader(domains, partition)
        with as_partition(TP(self.events_topic, partition)):  # tables are co-partitioned with events
            ordered, leading = urgent_first(inputs)
            after_leading = leading + 1 if leading else 0
            for n, (message, key, given) in enumerate(ordered, 1):
                if n % _YIELD_EVERY == 0 or n == after_leading:
                    if early:  # it leaves now, not after the rest of a batch of thousands
                        await outbox.submit_early()
                        early = False
                    await asyncio.sleep(0)  # other partitions' lanes (and their hard bounces) share this loop
                try:
                    event = given if given is not None else BounceEvent.model_validate_json(message.value)
                    record: AddressRecord | None = states.get(key)
                    if record is None:
                        raw = read_address(key)
                        record = record_from_json(raw) if raw else None
                    # the key of a converted event is address_key's: its domain is the key's
                    domain_key = _domain_key(key) if given is not None else _event_domain_key(event)
                    if domain_key in domains_read:
                        domain_last = domains_read[domain_key]
                    else:
                        domain_raw = read_domain(domain_key)
                        domain_last = datetime.fromisoformat(domain_raw.decode()) if domain_raw else None
                        domains_read[domain_key] = domain_last
                    result: StepResult = step(record, event, policy, domain_last_delivery=domain_last)
                except (ValidationError, ValueError, TypeError) as exc:  # bad input, InvalidAddress, PolicyError
                    await dead_letter_to(outbox, pipeline, message, exc)
                    continue
                if result.duplicate:
                    metrics.observe_duplicate()
                    continue
                tally.add(event, attempt=result.counts_as_attempt)
                if result.suppression is not None:
                    outbox.send(self._suppressions_topic, key, result.suppression.model_dump_json().encode())
                    suppressed.append(result.suppression)
                    early = True
                if result.retry is not None:
                    retry_key = (result.retry.message_id or result.retry.event_id).encode()
                    outbox.send(self._retries_topic, retry_key, result.retry.model_dump_json().encode())
                states[key] = result.record
                if result.decision.effect is Effect.DELIVERY and domain_delivery_advances(
                    domain_last, event.occurred_at
                ):
                    domain_updates[domain_key] = domains_read[domain_key] = event.occurred_at
                if event.category is Category.HARD and event.reason in DOMAIN_REASONS:
                    self._domain_failures.record(domain_of(event.recipient), event.reason, event.occurred_at)
                scopes = trend_scopes(event, result)
                if scopes:
                    counted.append((event, result.counts_as_attempt, scopes))
                if event.category is not Category.NONE or result.suppression is not None:
                    metrics.observe_decision_latency((utcnow() - event.occurred_at).total_seconds())
            # Decisions are acknowledged by Kafka before the state that remembers them is written:
            # a crash in between re-decides the events (identical copies, same transition ids),
            # where the other order would find the event ids already seen and never send them.
            # Trend inputs are counts, sent after the state (a crash may lose a few of them).
            await outbox.flush()
            metrics.observe_tally(tally)
            for suppression in suppressed:
                metrics.observe_suppression(suppression)
            writes = TableWrites(partition)
            for n, (key, state) in enumerate(states.items(), 1):
                if n % _YIELD_EVERY_WRITES == 0:
                    await asyncio.sleep(0)  # a state dump is ~5 us, and a batch may hold thousands
                writes.put(outbox, addresses, key, record_to_json(state))
            for domain_key, delivered_at in domain_updates.items():
                writes.put(outbox, domains, domain_key, delivered_at.isoformat().encode())
        # The store already holds the new state, so the lane may decide its next batch while the
        # changelog records travel; this batch's offsets wait for them (BatchLanes.after).
        tail = await writes.submit(outbox)
        trends = self.trends
        for n, (event, attempt, scopes) in enumerate(counted, 1):
            if n % _YIELD_EVERY_WRITES == 0:
                await asyncio.sleep(0)
            delivered = event.outcome is Outcome.DELIVERED
            at = split_time(event.occurred_at)
            if trends.add(event.tenant, scopes, at, event.category, event.reason, attempt, delivered):
                await trends.flush()
        return tail


def _domain_key(address_key: bytes) -> bytes:
    """`tenant/domain` of an address key (`tenant/normalized-address`), without normalizing again."""
    return address_key[: address_key.index(b"/") + 1] + address_key.rpartition(b"@")[2]


def _event_domain_key(event: BounceEvent) -> bytes:
    return f"{event.tenant}/{domain_of(event.recipient)}".encode()


def install(pipeline: Pipeline, domain_failures: RecentDomainFailures) -> AddressStage:
    app = pipeline.app
    stage = AddressStage(pipeline, domain_failures)
    trends = stage.trends

    async def flush_trends(sender: Any, *args: Any, **kwargs: Any) -> None:
        """A rebalance or clean stop sends what is still grouped."""
        with contextlib.suppress(Exception):
            await trends.flush()

    app.timer(interval=FLUSH_INTERVAL / TREND_SLICES, name="bounceguard.flush_trend_inputs")(trends.tick)
    app.on_partitions_revoked.connect(flush_trends)
    app.on_before_shutdown.connect(flush_trends)
    run_stage(pipeline, "events", "bounceguard.addresses", stage.handle_events, lane=ADDRESS_LANE)
    return stage

"""Build the Faust app: topics, tables, agents and web views, all from one Settings object.

A factory rather than a module-level app, so tests and benchmarks can run several workers
with their own topic prefixes in one machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import faust

from bounceguard.settings import Settings
from bounceguard.stream.outbox import Producer
from bounceguard.stream.topics import TREND_INPUT


@dataclass
class Pipeline:
    """Everything the agents share: the app, its topics and tables, and the settings."""

    settings: Settings
    app: Any  # faust.App (untyped library)
    topics: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)

    def topic(self, short: str) -> Any:
        return self.topics[short]

    @cached_property
    def producer(self) -> Producer:
        """The app's producer as the stages use it (record batches, partition counts remembered)."""
        return Producer(self.app.producer)

    def table(self, name: str, help: str) -> Any:
        """A table of raw bytes, partitioned like the topics, registered under `name`."""
        table = self.app.Table(
            name,
            default=None,
            key_type=bytes,
            value_type=bytes,
            partitions=self.settings.partitions,
            help=help,
        )
        self.tables[name] = table
        return table


def create_app(settings: Settings) -> Pipeline:
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust's mkdir is not recursive
    extra: dict[str, Any] = {}
    if settings.canonical_url:
        extra["canonical_url"] = settings.canonical_url
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        store=settings.store,
        datadir=str(settings.data_dir),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,  # contract topics already exist (stream.topics); Faust adds changelogs
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        processing_guarantee=settings.processing_guarantee,
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        table_cleanup_interval=60.0,
        # Offsets acknowledged by every stage are committed four times a second: a commit is one
        # request (and a flush of what the producer holds), and the consumer lag that operators
        # watch, and what a restart re-reads, trail the work by a quarter second instead of one.
        broker_commit_interval=0.25,
        producer_acks=-1,
        producer_linger_ms=2,
        # With batch delivery a rebalance or stop waits for the batches already started (and then
        # commits them); the stock agents keep Faust's per-message path without that wait.
        stream_wait_empty=settings.fast_consumer,
        broker_session_timeout=settings.broker_session_timeout,
        **extra,
    )
    from bounceguard.stream import flow_control

    flow_control.install(app)  # before the consumer and the queues take it
    if settings.fast_consumer:
        from bounceguard.stream import fast_consumer

        fast_consumer.install(app, in_loop=settings.consumer_in_loop)
    from bounceguard.stream import fast_recovery

    fast_recovery.install(app)  # table recovery without a task per changelog record
    from bounceguard.edges import metrics

    metrics.configure(settings.metrics)
    pipeline = Pipeline(settings=settings, app=app)
    from bounceguard.stream.topics import topic_specs

    for spec in topic_specs(settings):
        if not spec.name.startswith(settings.topic_prefix):
            continue  # table changelogs: Faust declares its own handles for them
        short = spec.name[len(settings.topic_prefix) :]
        pipeline.topics[short] = app.topic(
            spec.name, key_type=bytes, value_type=bytes, partitions=spec.partitions, internal=False
        )
    assert TREND_INPUT in pipeline.topics

    from bounceguard.stream import address_agent, intake_agents, trend_agent, verify_mount, views

    domain_failures = verify_mount.RecentDomainFailures()
    addresses = address_agent.install(pipeline, domain_failures)
    intake_agents.install(pipeline, addresses)
    trend_agent.install(pipeline)
    views.install(pipeline)
    verify_mount.install(pipeline, domain_failures)
    return pipeline

"""Rolling rates per mailbox and per segment, from the trend repartition topic.

Windows are event-time buckets inside a plain table value (core.trends.TrendState), not
Faust windowed tables: those recover through `compact,delete` changelogs that can stall
after retention and use wall-clock `now()`. Alerts are evaluated per event (inside the
stream, so the alert state lands in the changelog with the counts); trend snapshots are
published by a timer for the keys that changed since the last tick.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import TrendState, evaluate_alerts, record, snapshot
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.intake_agents import send_dead_letter

log = logging.getLogger(__name__)


def install(pipeline: Pipeline) -> None:
    app = pipeline.app
    settings = pipeline.settings
    config = settings.trends
    states = app.Table(
        "trend-state",
        default=None,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.partitions,
        help="TrendState JSON per scope/tenant/key",
    )
    pipeline.tables["trend-state"] = states
    trends_topic = pipeline.topic("trends")
    alerts_topic = pipeline.topic("alerts")
    dirty: set[bytes] = set()

    async def aggregate_trends(stream: Any) -> None:
        async for ev in stream.events():
            message = ev.message
            try:
                item = orjson.loads(message.value)
                scope = Scope(item["scope"])
                occurred_at = datetime.fromisoformat(item["occurred_at"])
                category = Category(item["category"])
                reason = Reason(item["reason"])
            except (ValueError, KeyError, TypeError) as exc:
                await send_dead_letter(pipeline, message, exc)
                continue
            key: bytes = message.key or b""
            raw = states.get(key)
            state = TrendState.model_validate_json(raw) if raw else TrendState()
            state = record(
                state,
                occurred_at=occurred_at,
                category=category,
                reason=reason,
                counts_as_attempt=bool(item.get("attempt")),
                delivered=bool(item.get("delivered")),
                config=config,
            )
            state, alerts = evaluate_alerts(
                state, tenant=item["tenant"], scope=scope, key=item["key"], now=occurred_at, config=config
            )
            states[key] = state.model_dump_json().encode()
            dirty.add(key)
            for alert in alerts:
                await alerts_topic.send(key=key, value=alert.model_dump_json().encode())
                metrics.observe_alert(alert)

    aggregate_trends.__qualname__ = "aggregate_trends"
    app.agent(pipeline.topic("trend-input"), name="bounceguard.trends", concurrency=1)(aggregate_trends)

    async def publish_trends() -> None:
        """Publish a snapshot of each key that changed since the last tick (read-only on the table)."""
        keys = list(dirty)
        dirty.clear()
        for key in keys:
            raw = states.get(key)
            if not raw:
                continue
            state = TrendState.model_validate_json(raw)
            if state.watermark is None:
                continue
            scope, tenant, name = key.decode().split("/", 2)
            for trend in snapshot(
                state, tenant=tenant, scope=Scope(scope), key=name, now=state.watermark, config=config
            ):
                await trends_topic.send(key=key, value=trend.model_dump_json().encode())
                metrics.observe_trend(trend)

    app.timer(interval=settings.trend_emit_interval, name="bounceguard.publish_trends")(publish_trends)

"""Rolling rates per mailbox and per segment, from the trend repartition topic.

Windows are event-time buckets inside a plain table value (core.trends.TrendState), not
Faust windowed tables: those recover through `compact,delete` changelogs that can stall
after retention and use wall-clock `now()`. Alerts are evaluated per event (inside the
stream, so the alert state lands in the changelog with the counts); trend snapshots are
published by a timer for the keys that changed since the last tick.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import TrendState, evaluate_alerts, record, snapshot
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.event_context import as_current_event
from bounceguard.stream.intake_agents import send_dead_letter

log = logging.getLogger(__name__)

# Inputs per batch, and how long a partial batch may wait (seconds): trends are minutes-scale,
# so 200 ms adds nothing a reader can see.
_BATCH_MAX = 500
_BATCH_WITHIN = 0.2
# Inputs between yields to the event loop inside a batch (~100 us each): the address agent
# shares this loop, and a suppression must not wait for a whole batch of trend arithmetic.
_YIELD_EVERY = 32


class DecodedStates:
    """The trend table read through a memo of decoded states.

    Validating a state's JSON on every input cost more than updating it. The memo keeps the
    bytes it decoded and answers only while the table still holds exactly those bytes, so a
    recovery, rebalance or another writer can never be masked by a stale entry.
    """

    def __init__(self, table: Any) -> None:
        self._table = table
        self._memo: dict[bytes, tuple[bytes, TrendState]] = {}

    def get(self, key: bytes) -> TrendState | None:
        raw = self._table.get(key)
        if not raw:
            self._memo.pop(key, None)
            return None
        memo = self._memo.get(key)
        if memo is not None and memo[0] == raw:
            return memo[1]
        state = TrendState.model_validate_json(raw)
        self._memo[key] = (raw, state)
        return state

    def remember(self, key: bytes, state: TrendState) -> bytes:
        """The bytes to store for `state`, remembered as already decoded."""
        raw = state.model_dump_json().encode()
        self._memo[key] = (raw, state)
        return raw


def _parse(item: Any) -> tuple[dict[str, Any], Scope, datetime, Category, Reason]:
    if not isinstance(item, dict):
        raise TypeError("a trend input must be a JSON object")
    return (
        item,
        Scope(item["scope"]),
        datetime.fromisoformat(item["occurred_at"]),
        Category(item["category"]),
        Reason(item["reason"]),
    )


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
    decoded = DecodedStates(states)

    async def aggregate_trends(stream: Any) -> None:
        # Inputs are taken in batches and each key's state is written once per batch: the
        # table value is ~4 KB, and writing it per input (a changelog send each time) was the
        # worker's largest cost. Alerts are still evaluated after every input, in order.
        # take_events acks a batch only after this loop body finished with it.
        async for batch in stream.take_events(_BATCH_MAX, within=_BATCH_WITHIN):
            touched: dict[bytes, tuple[TrendState, Any]] = {}
            done = 0
            for ev in batch:
                message = ev.message
                key: bytes = message.key or b""
                try:
                    # One message carries a key's inputs in order (stream.trend_batcher); a bare
                    # object is a single input.
                    loaded = orjson.loads(message.value)
                    items = [_parse(item) for item in (loaded if isinstance(loaded, list) else [loaded])]
                except (ValueError, KeyError, TypeError) as exc:
                    await send_dead_letter(pipeline, message, exc)
                    continue
                pending = touched.get(key)
                state = pending[0] if pending is not None else (decoded.get(key) or TrendState())
                for item, scope, occurred_at, category, reason in items:
                    done += 1
                    if done % _YIELD_EVERY == 0:
                        await asyncio.sleep(0)  # let the address agent run between inputs
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
                    for alert in alerts:
                        await alerts_topic.send(key=key, value=alert.model_dump_json().encode())
                        metrics.observe_alert(alert)
                touched[key] = (state, ev)
            for key, (state, ev) in touched.items():
                with as_current_event(ev):  # the changelog partition is the one this key came from
                    states[key] = decoded.remember(key, state)
                dirty.add(key)

    aggregate_trends.__qualname__ = "aggregate_trends"
    app.agent(pipeline.topic("trend-input"), name="bounceguard.trends", concurrency=1)(aggregate_trends)

    async def publish_trends() -> None:
        """Publish a snapshot of each key that changed since the last tick (read-only on the table)."""
        keys = list(dirty)
        dirty.clear()
        for key in keys:
            state = decoded.get(key)
            if state is None or state.watermark is None:
                continue
            scope, tenant, name = key.decode().split("/", 2)
            for trend in snapshot(
                state, tenant=tenant, scope=Scope(scope), key=name, now=state.watermark, config=config
            ):
                await trends_topic.send(key=key, value=trend.model_dump_json().encode())
                metrics.observe_trend(trend)

    app.timer(interval=settings.trend_emit_interval, name="bounceguard.publish_trends")(publish_trends)

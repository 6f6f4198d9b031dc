"""Rolling rates per mailbox and per segment, from the trend repartition topic.

Windows are event-time buckets inside a plain table value (core.trends.TrendState), not
Faust windowed tables: those recover through `compact,delete` changelogs that can stall
after retention and use wall-clock `now()`. Alerts are evaluated per key after each group
of its inputs (inside the stage, so the alert state lands in the changelog with the
counts); trend snapshots are
published by a timer for the keys that changed, a tenth of them (a slice) per tick.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import (
    InputGroup,
    TrendGroups,
    TrendInputError,
    TrendState,
    evaluate_alerts,
    groups_from_wire,
    record_groups,
    snapshot,
)
from bounceguard.core.trends.groups import newest
from bounceguard.edges import metrics
from bounceguard.stream.app import Pipeline
from bounceguard.stream.event_context import as_partition
from bounceguard.stream.intake_agents import dead_letter_to
from bounceguard.stream.stages import outbox_factory, run_stage
from bounceguard.stream.table_writes import TableWrites, read_raw
from bounceguard.stream.topics import TREND_INPUT
from bounceguard.stream.trend_batcher import TREND_SLICES, split_trend_key, trend_slice

log = logging.getLogger(__name__)

# Messages (one key's inputs of one interval each) between yields to the event loop inside a
# batch: the other stages share this loop, and a hard bounce must not wait for a second's
# worth of trend arithmetic (256 inputs at ~150 us each once held it for ~40 ms).
_YIELD_EVERY = 8
# Keys between yields while publishing snapshots (~0.5 ms per key: a few windows each).
_YIELD_EVERY_KEYS = 8
# Changed keys are published in `TREND_SLICES` slices (the trend batcher's), one slice per tick
# of the emit interval: 250 keys at once took 60-140 ms of the loop every 5 s, and hard bounces
# arriving during that burst waited for it (docs/performance.md). Each key is still published at
# most once per interval, and within an interval of its change.


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
        raw = read_raw(self._table, key)
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


def _parse(value: bytes) -> tuple[str, Scope, str, list[InputGroup]]:
    """(tenant, scope, name, groups) of one trend-input message.

    The address stage sends {"tenant", "scope", "key", "groups"} (stream.trend_batcher). A JSON
    array of single inputs, or one bare input, as older workers sent them, is grouped here.
    """
    loaded = orjson.loads(value)
    if isinstance(loaded, dict) and "groups" in loaded:
        return str(loaded["tenant"]), Scope(loaded["scope"]), str(loaded["key"]), groups_from_wire(loaded["groups"])
    items = loaded if isinstance(loaded, list) else [loaded]
    if not items:
        raise TrendInputError("empty trend input")
    groups = TrendGroups()
    for item in items:
        if not isinstance(item, dict):
            raise TypeError("a trend input must be a JSON object")
        groups.add(
            datetime.fromisoformat(item["occurred_at"]),
            Category(item["category"]),
            Reason(item["reason"]),
            bool(item.get("attempt")),
            bool(item.get("delivered")),
        )
    last = items[-1]
    return str(last["tenant"]), Scope(last["scope"]), str(last["key"]), groups.groups


def install(pipeline: Pipeline) -> None:
    app = pipeline.app
    settings = pipeline.settings
    config = settings.trends
    states = pipeline.table("trend-state", help="TrendState JSON per scope/tenant/key")
    dirty: list[set[bytes]] = [set() for _ in range(TREND_SLICES)]  # changed keys, by publish slice
    decoded = DecodedStates(states)

    new_outbox = outbox_factory(pipeline)
    alerts_name = settings.topic("alerts")

    async def aggregate_trends(tp: Any, records: list[Any]) -> Awaitable[None]:
        # Each key's state is written once per batch: the table value is ~4 KB, and writing it
        # per input (a changelog send each time) was the worker's largest cost. Alerts are
        # evaluated after each message, i.e. over a key's inputs of one grouping interval
        # (stream.trend_batcher, 1 s): evaluating after every input cost ten times the
        # counting itself, and a level that rises and falls back within a second is noise.
        outbox = new_outbox()
        touched: dict[bytes, TrendState] = {}
        done = 0
        with as_partition(tp):  # the changelog partition is the one these keys came from
            for message in records:
                key: bytes = message.key or b""
                try:
                    tenant, scope, name, groups = _parse(message.value)
                except (ValueError, KeyError, TypeError) as exc:
                    await dead_letter_to(outbox, pipeline, message, exc)
                    continue
                state = touched.get(key) or decoded.get(key) or TrendState()
                done += 1
                if done % _YIELD_EVERY == 0:
                    await asyncio.sleep(0)  # the other stages (and their hard bounces) share this loop
                state = record_groups(state, groups, config)
                now = newest(groups)
                if now is not None:
                    state, alerts = evaluate_alerts(state, tenant=tenant, scope=scope, key=name, now=now, config=config)
                else:
                    alerts = []
                for alert in alerts:
                    outbox.send(alerts_name, key, alert.model_dump_json().encode())
                    metrics.observe_alert(alert)
                touched[key] = state
            if len(outbox):
                await outbox.flush()  # alerts before the state that remembers having sent them
            writes = TableWrites(tp.partition)
            for key, state in touched.items():
                writes.put(outbox, states, key, decoded.remember(key, state))
                dirty[trend_slice(key)].add(key)
        return await writes.submit(outbox)  # the offsets wait for the acknowledgement; the lane goes on

    run_stage(pipeline, TREND_INPUT, "bounceguard.trends", aggregate_trends)

    trends_name = settings.topic("trends")
    turn = itertools.count()

    async def publish_trends() -> None:
        """Publish a snapshot of each key of this tick's slice changed since its last turn (read-only)."""
        due = dirty[next(turn) % TREND_SLICES]
        keys = list(due)
        due.clear()
        outbox = new_outbox()
        for i, key in enumerate(keys, 1):
            if i % _YIELD_EVERY_KEYS == 0:
                await asyncio.sleep(0)  # hundreds of keys per tick must not stall a suppression
            state = decoded.get(key)
            if state is None or state.watermark is None:
                continue
            scope, tenant, name = split_trend_key(key.decode())
            for trend in snapshot(state, tenant=tenant, scope=scope, key=name, now=state.watermark, config=config):
                outbox.send(trends_name, key, trend.model_dump_json().encode())
                metrics.observe_trend(trend)
        await outbox.flush()

    tick = settings.trend_emit_interval / TREND_SLICES
    app.timer(interval=tick, name="bounceguard.publish_trends")(publish_trends)

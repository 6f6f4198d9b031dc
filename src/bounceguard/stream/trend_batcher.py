"""Trend inputs grouped per mailbox/segment key before they cross the repartition topic.

Every event belongs to two scopes. The address stage adds each input here; per key they are
grouped by what they count (core.trends.groups) and leave as one message per key, every
`FLUSH_INTERVAL` seconds or once `max_inputs` are waiting: a thousand deliveries of one second
for one mailbox are one group of a thousand microsecond offsets, not a thousand JSON objects.
A crash can lose the inputs of the last interval: trend counts, never a suppression decision.

The keys leave in `TREND_SLICES` slices, one slice per tenth of the interval (`flush_next`):
sent all at once, the messages of every key reached the trend stage together each second, and
the few hundred milliseconds of trend arithmetic they cost came as one burst that hard bounces
arriving meanwhile had to wait through. Each key still leaves once per interval. When no input
came since the previous tick (`tick`), the load has stopped and nothing is gained by waiting:
everything left goes at once, so trends are current a tick after a burst instead of a second.
"""

from __future__ import annotations

import asyncio
import itertools
import zlib
from collections.abc import Callable, Iterable

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import TrendGroups, groups_to_wire
from bounceguard.stream.outbox import Outbox

# Seconds between sends. Each message costs the trend stage a decode, an alert evaluation and a
# ~4 KB state write per key, whatever the number of inputs in it. Trends move over minutes.
FLUSH_INTERVAL = 1.0
# Slices of the trend keys: the inputs leave here, and the trend stage publishes snapshots, one
# slice per tick (stream.trend_agent), so neither comes as one burst of every key.
TREND_SLICES = 10


def trend_slice(key: bytes) -> int:
    """The slice of a trend key (`trend_key`, encoded): stable across restarts and workers."""
    return zlib.crc32(key) % TREND_SLICES


def flush_slice(tenant: str, scope: Scope, name: str) -> int:
    """The slice a trend key's inputs leave in."""
    return trend_slice(trend_key(tenant, scope, name).encode())


class _KeyInputs:
    __slots__ = ("count", "groups", "name", "scope", "slice", "tenant")

    def __init__(self, tenant: str, scope: Scope, name: str) -> None:
        self.tenant, self.scope, self.name = tenant, scope, name
        self.slice = flush_slice(tenant, scope, name)
        self.groups = TrendGroups()
        self.count = 0


def trend_key(tenant: str, scope: Scope, name: str) -> str:
    """The trend topic's and table's key: `scope/tenant/name`."""
    return f"{scope.value}/{tenant}/{name}"


def split_trend_key(key: str) -> tuple[Scope, str, str]:
    """Inverse of `trend_key`: (scope, tenant, name)."""
    scope, tenant, name = key.split("/", 2)
    return Scope(scope), tenant, name


class TrendBatcher:
    def __init__(self, new_outbox: Callable[[], Outbox], topic: str, *, max_inputs: int = 50_000) -> None:
        self._new_outbox = new_outbox
        self._topic = topic
        self._max_inputs = max_inputs
        self._pending: dict[tuple[str, Scope, str], _KeyInputs] = {}  # waiting inputs per key
        self._turn = itertools.count()
        self._count = 0
        self._added = 0  # add() calls so far
        self._added_at_tick = 0
        self._lock = asyncio.Lock()

    def add(
        self,
        tenant: str,
        scopes: Iterable[tuple[Scope, str]],
        at: tuple[int, int],
        category: Category,
        reason: Reason,
        attempt: bool,
        delivered: bool,
    ) -> bool:
        """Group one input into each of its (scope, name) keys (`at`: its time from `split_time`);
        True once `max_inputs` are waiting (the caller then awaits `flush`)."""
        self._added += 1
        second, micro = at
        group = (second, category, reason, attempt, delivered)
        pending = self._pending
        for scope, name in scopes:
            slot = (tenant, scope, name)
            inputs = pending.get(slot)
            if inputs is None:
                inputs = pending[slot] = _KeyInputs(tenant, scope, name)
            inputs.groups.add_keyed(group, micro)
            inputs.count += 1
            self._count += 1
        return self._count >= self._max_inputs

    def __len__(self) -> int:
        """Inputs waiting, over all slices."""
        return self._count

    async def flush(self) -> None:
        """Send every slice now (inputs piling up, a rebalance, a clean stop)."""
        await self._send(None)

    async def flush_next(self) -> None:
        """Send the next slice in turn (`tick` calls it while inputs keep arriving)."""
        await self._send(next(self._turn) % TREND_SLICES)

    async def tick(self) -> None:
        """The timer's call, every `FLUSH_INTERVAL / TREND_SLICES` seconds: the next slice or, when
        no input was added since the previous tick, every slice."""
        quiet = self._added == self._added_at_tick
        self._added_at_tick = self._added
        if quiet:
            await self.flush()
        else:
            await self.flush_next()

    async def _send(self, index: int | None) -> None:
        """Send the keys of slice `index` (None: every key)."""
        async with self._lock:
            if index is None:
                taken, self._pending = list(self._pending.values()), {}
            else:
                slots = [slot for slot, inputs in self._pending.items() if inputs.slice == index]
                taken = [self._pending.pop(slot) for slot in slots]
            if not taken:
                return
            self._count -= sum(inputs.count for inputs in taken)
            outbox = self._new_outbox()
            for inputs in taken:
                value = {
                    "tenant": inputs.tenant,
                    "scope": inputs.scope.value,
                    "key": inputs.name,
                    "groups": groups_to_wire(inputs.groups.groups),
                }
                outbox.send(
                    self._topic, trend_key(inputs.tenant, inputs.scope, inputs.name).encode(), orjson.dumps(value)
                )
            await outbox.flush()

"""Trend inputs grouped per mailbox/segment key before they cross the repartition topic.

Every event belongs to two scopes. The address stage adds each input here; per key they are
grouped by what they count (core.trends.groups) and leave as one message per key, every
`FLUSH_INTERVAL` seconds or once `max_inputs` are waiting: a thousand deliveries of one second
for one mailbox are one group of a thousand microsecond offsets, not a thousand JSON objects.
A crash can lose the inputs of the last interval: trend counts, never a suppression decision.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import orjson

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import TrendGroups, groups_to_wire
from bounceguard.stream.outbox import Outbox

# Seconds between sends. Each message costs the trend stage a decode, an alert evaluation and a
# ~4 KB state write per key, whatever the number of inputs in it. Trends move over minutes.
FLUSH_INTERVAL = 1.0


class _KeyInputs:
    __slots__ = ("groups", "name", "scope", "tenant")

    def __init__(self, tenant: str, scope: Scope, name: str) -> None:
        self.tenant, self.scope, self.name = tenant, scope, name
        self.groups = TrendGroups()


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
        self._pending: dict[tuple[str, Scope, str], _KeyInputs] = {}
        self._count = 0
        self._lock = asyncio.Lock()

    def add(
        self,
        tenant: str,
        scope: Scope,
        name: str,
        at: tuple[int, int],
        category: Category,
        reason: Reason,
        attempt: bool,
        delivered: bool,
    ) -> bool:
        """Group one input (`at`: its time from `split_time`); True once `max_inputs` are waiting
        (the caller then awaits `flush`)."""
        slot = (tenant, scope, name)
        inputs = self._pending.get(slot)
        if inputs is None:
            inputs = self._pending[slot] = _KeyInputs(tenant, scope, name)
        inputs.groups.add_split(at[0], at[1], category, reason, attempt, delivered)
        self._count += 1
        return self._count >= self._max_inputs

    async def flush(self) -> None:
        async with self._lock:
            pending, self._pending, self._count = self._pending, {}, 0
            outbox = self._new_outbox()
            for inputs in pending.values():
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

"""The order a batch's events are decided in: suppressions first, each address's events in order.

A fetched batch holds up to a few thousand records, decided one after another (~50 us each):
a hard bounce near its end waited for every delivery before it, 100 ms and more in a backlog
after a campaign blast. The events that suppress on their own
(`suppression_policy.suppresses_alone`) are decided first, unless an earlier event of the batch
has the same key: each address still sees its events in the order they came, and no other
decision reads what they change, so every decision is the one the batch order gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bounceguard.core.models import BounceEvent
from bounceguard.core.suppression_policy import suppresses_alone

# (source record, key, event or None when the record is parsed later), as the address stage takes them
Input = tuple[Any, bytes, BounceEvent | None]


def urgent_first(inputs: Sequence[Input]) -> tuple[Sequence[Input], int]:
    """(`inputs` reordered, how many lead): the events that suppress alone and are their key's
    first in the batch, then the rest in their order. Inputs not parsed yet (None) stay in place."""
    urgent: list[int] = []
    keys: set[bytes] = set()
    for index, (_, key, event) in enumerate(inputs):
        if event is not None and key not in keys and suppresses_alone(event):
            urgent.append(index)
        keys.add(key)
    if not urgent or urgent[-1] == len(urgent) - 1:  # none, or already leading
        return inputs, len(urgent)
    moved = set(urgent)
    rest = [item for index, item in enumerate(inputs) if index not in moved]
    return [inputs[index] for index in urgent] + rest, len(urgent)

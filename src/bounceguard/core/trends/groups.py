"""Trend inputs of one key, grouped by what they count, for the trip across the trend topic.

A key sees the same few kinds of input over and over (a delivery, a user-unknown bounce, ...),
so inputs are grouped by (second, category, reason, attempt, delivered) and each group carries
only its inputs' sub-second offsets. Counting a group costs one pass over the windows whatever
its size, where counting inputs one by one cost that per input.

`record_groups` is exactly `record` folded over the inputs sorted by time (ties in the order
their groups first appeared): an input is late when it is older than the state's watermark
minus grace, not older than a newer input of the same message. The wire form is plain JSON
(`groups_to_wire` / `groups_from_wire`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import WindowCounts
from bounceguard.core.trends.config import TrendConfig
from bounceguard.core.trends.errors import TrendInputError
from bounceguard.core.trends.state import (
    CATEGORY_FIELD,
    COUNT_FIELDS,
    OTHER_REASON,
    Bucket,
    TrendState,
    window_bounds,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROS = 1_000_000
_CATEGORIES = {c.value: c for c in Category}
_REASONS = {r.value: r for r in Reason}

GroupKey = tuple[int, Category, Reason, bool, bool]


def split_time(at: datetime) -> tuple[int, int]:
    """(epoch second, microsecond within it), in integers: floats lose microseconds."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise TrendInputError(f"datetime must be timezone-aware, got naive {at.isoformat()}")
    delta = at - _EPOCH
    return delta.days * 86_400 + delta.seconds, delta.microseconds


def _micros(at: datetime) -> int:
    second, micro = split_time(at)
    return second * _MICROS + micro


@dataclass(slots=True)
class InputGroup:
    """Inputs of one second that count the same way; `offsets` are their microseconds."""

    second: int
    category: Category
    reason: Reason
    attempt: bool
    delivered: bool
    offsets: list[int] = field(default_factory=list)


class TrendGroups:
    """Builds the groups of one key's inputs, in the order each group first appeared."""

    __slots__ = ("_groups",)

    def __init__(self) -> None:
        self._groups: dict[GroupKey, InputGroup] = {}

    def add(self, at: datetime, category: Category, reason: Reason, attempt: bool, delivered: bool) -> None:
        second, micro = split_time(at)
        self.add_keyed((second, category, reason, attempt, delivered), micro)

    def add_keyed(self, key: GroupKey, micro: int) -> None:
        """`add` with the group key already built: an input counted in several keys builds it once."""
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = InputGroup(*key)
        group.offsets.append(micro)

    def __len__(self) -> int:
        return len(self._groups)

    @property
    def groups(self) -> list[InputGroup]:
        return list(self._groups.values())


def groups_to_wire(groups: Iterable[InputGroup]) -> list[list[Any]]:
    return [[g.second, g.category.value, g.reason.value, g.attempt, g.delivered, g.offsets] for g in groups]


def groups_from_wire(data: Any) -> list[InputGroup]:
    """Validate and rebuild groups; raises TrendInputError naming the first bad part."""
    if not isinstance(data, list):
        raise TrendInputError("groups must be a JSON array")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, list) or len(item) != 6:
            raise TrendInputError(f"group {i}: expected [second, category, reason, attempt, delivered, offsets]")
        second, category, reason, attempt, delivered, offsets = item
        if type(second) is not int or type(attempt) is not bool or type(delivered) is not bool:
            raise TrendInputError(f"group {i}: second must be an integer, attempt and delivered booleans")
        cat, why = _CATEGORIES.get(category), _REASONS.get(reason)
        if cat is None or why is None:
            raise TrendInputError(f"group {i}: unknown category {category!r} or reason {reason!r}")
        if not isinstance(offsets, list) or not offsets:
            raise TrendInputError(f"group {i}: offsets must be a non-empty array")
        for micro in offsets:
            if type(micro) is not int or not 0 <= micro < _MICROS:
                raise TrendInputError(f"group {i}: offset {micro!r} is not a microsecond within the second")
        out.append(InputGroup(second, cat, why, attempt, delivered, offsets))
    return out


def newest(groups: Sequence[InputGroup]) -> datetime | None:
    """The time of the newest input (the message's `now` for alert evaluation)."""
    if not groups:
        return None
    top = max(g.second * _MICROS + max(g.offsets) for g in groups)
    return _EPOCH + timedelta(microseconds=top)


def record_groups(state: TrendState, groups: Sequence[InputGroup], config: TrendConfig) -> TrendState:
    """Count `groups` into `state`: `record` folded over their inputs sorted by time."""
    watermark = state.watermark
    threshold = None if watermark is None else _micros(watermark - config.grace)
    late = state.late_ignored
    top: int | None = None  # newest counted input, in epoch microseconds
    counted: list[tuple[InputGroup, int]] = []
    for group in sorted(groups, key=lambda g: (g.second, min(g.offsets))):
        base = group.second * _MICROS
        if threshold is None or base >= threshold:
            n = len(group.offsets)
        elif base + _MICROS <= threshold:
            n = 0
        else:
            n = sum(1 for micro in group.offsets if base + micro >= threshold)
        late += len(group.offsets) - n
        if not n:
            continue
        newest_here = base + max(micro for micro in group.offsets if threshold is None or base + micro >= threshold)
        top = newest_here if top is None else max(top, newest_here)
        counted.append((group, n))
    if top is not None and (watermark is None or top > _micros(watermark)):
        watermark = _EPOCH + timedelta(microseconds=top)
    if watermark is None or (watermark == state.watermark and not _increments_any(counted)):
        return state if late == state.late_ignored else state.model_copy(update={"late_ignored": late})
    wm_s = split_time(watermark)[0]
    cap = config.max_reasons_per_bucket
    buckets: dict[str, dict[int, Bucket]] = {}
    for spec in config.windows:
        keep_from, _ = window_bounds(spec, wm_s)
        old = state.buckets.get(spec.name, {})
        kept = {start: b for start, b in old.items() if start >= keep_from}
        step = spec.step_seconds
        acc: dict[int, tuple[dict[str, int], dict[str, int]]] = {}
        for group, n in counted:
            increments = _increments(group)
            if not increments:
                continue
            start = (group.second // step) * step
            if start < keep_from:
                continue
            entry = acc.get(start)
            if entry is None:
                existing = kept.get(start)
                entry = acc[start] = (
                    dict(existing.counts.__dict__) if existing else dict.fromkeys(COUNT_FIELDS, 0),
                    dict(existing.reasons) if existing else {},
                )
            counts, reasons = entry
            for name in increments:
                counts[name] += n
            if CATEGORY_FIELD.get(group.category) is not None:
                reason = group.reason.value
                slot = reason if reason in reasons or len(reasons) < cap else OTHER_REASON
                reasons[slot] = reasons.get(slot, 0) + n
        for start, (counts, reasons) in acc.items():
            kept[start] = Bucket.model_construct(counts=WindowCounts.model_construct(None, **counts), reasons=reasons)
        buckets[spec.name] = kept
    return state.model_copy(update={"watermark": watermark, "buckets": buckets, "late_ignored": late})


def _increments(group: InputGroup) -> list[str]:
    names = []
    if group.attempt:
        names.append("attempts")
    if group.delivered:
        names.append("delivered")
    category_field = CATEGORY_FIELD.get(group.category)
    if category_field is not None:
        names.append(category_field)
    return names


def _increments_any(counted: list[tuple[InputGroup, int]]) -> bool:
    return any(_increments(group) for group, _ in counted)

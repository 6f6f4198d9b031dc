"""Per-(tenant, scope, key) trend state: event-time buckets, watermark and alert marks.

The state is a plain pydantic model that round-trips through JSON, so the stream keeps
it in an ordinary (changelogged) table instead of Faust windowed tables. Each window
keeps buckets one step wide, aligned to the UTC epoch; buckets no future window can
reach are pruned as the watermark advances, so the state stays bounded (for the
default windows: at most 13 + 25 + 8 buckets).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import RateName, Severity, WindowCounts
from bounceguard.core.trends.config import TrendConfig, WindowSpec
from bounceguard.core.trends.errors import TrendInputError

OTHER_REASON = "other"

# Which WindowCounts field a category adds to; NONE (delivered, sent, auto-reply) adds nothing.
CATEGORY_FIELD: dict[Category, str] = {
    Category.HARD: "hard",
    Category.SOFT: "soft",
    Category.BLOCK: "block",
    Category.COMPLAINT: "complaint",
    Category.UNSUBSCRIBE: "unsubscribe",
    Category.TRAP: "trap",
}


class Bucket(BaseModel):
    """Counts for one window step, plus the reasons behind the non-delivery outcomes."""

    model_config = ConfigDict(frozen=True)

    counts: WindowCounts = Field(default_factory=WindowCounts)
    reasons: dict[str, int] = Field(default_factory=dict)


class AlertMark(BaseModel):
    """The last alert level emitted for one (window, rate); severity None means clear."""

    model_config = ConfigDict(frozen=True)

    severity: Severity | None = None
    seq: int = Field(default=0, ge=0, description="Transitions so far; makes alert ids unique and replayable.")
    since: AwareDatetime | None = None


class TrendState(BaseModel):
    """Everything one mailbox or segment needs between events; JSON-serializable."""

    model_config = ConfigDict(frozen=True)

    watermark: AwareDatetime | None = Field(default=None, description="Max event time recorded.")
    buckets: dict[str, dict[int, Bucket]] = Field(
        default_factory=dict, description="Window name -> bucket start (epoch seconds) -> bucket."
    )
    late_ignored: int = Field(default=0, description="Events older than watermark - grace, not counted.")
    future_ignored: int = Field(default=0, description="Events stamped beyond max_future_skew, not counted.")
    alerts: dict[str, dict[RateName, AlertMark]] = Field(default_factory=dict)


def epoch_seconds(at: datetime) -> int:
    """Whole seconds since the epoch, floored; rejects naive datetimes (ambiguous event time)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise TrendInputError(f"datetime must be timezone-aware, got naive {at.isoformat()}")
    return math.floor(at.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def window_bounds(spec: WindowSpec, at_s: int) -> tuple[int, int]:
    """[start, end) in epoch seconds of the hopping window whose last step contains `at_s`."""
    step = spec.step_seconds
    end = (at_s // step) * step + step
    return end - spec.size_seconds, end


def _add(bucket: Bucket | None, increments: dict[str, int], reason: str | None, cap: int) -> Bucket:
    bucket = bucket or Bucket()
    counts = bucket.counts
    updated = counts.model_copy(update={f: getattr(counts, f) + n for f, n in increments.items()})
    reasons = bucket.reasons
    if reason is not None:
        reasons = dict(reasons)
        # Reason is a closed enum so this rarely folds; the cap keeps the state bounded anyway.
        slot = reason if reason in reasons or len(reasons) < cap else OTHER_REASON
        reasons[slot] = reasons.get(slot, 0) + 1
    return Bucket(counts=updated, reasons=reasons)


def record(
    state: TrendState,
    *,
    occurred_at: datetime,
    category: Category,
    reason: Reason,
    counts_as_attempt: bool,
    delivered: bool,
    config: TrendConfig,
    received_at: datetime | None = None,
) -> TrendState:
    """Add one event to the buckets of every window and return the new state.

    `counts_as_attempt` is True once per message (the send), so retries and later
    bounces of the same message do not inflate the denominator. Events older than
    watermark - grace are not counted (`late_ignored` grows); events stamped more than
    `max_future_skew` after `received_at` (when given) are not counted either.
    The input state is not modified.
    """
    at_s = epoch_seconds(occurred_at)
    if received_at is not None and at_s > epoch_seconds(received_at + config.max_future_skew):
        return state.model_copy(update={"future_ignored": state.future_ignored + 1})
    watermark = state.watermark
    if watermark is not None and occurred_at < watermark - config.grace:
        return state.model_copy(update={"late_ignored": state.late_ignored + 1})
    new_watermark = occurred_at if watermark is None or occurred_at > watermark else watermark
    wm_s = epoch_seconds(new_watermark)

    increments: dict[str, int] = {}
    if counts_as_attempt:
        increments["attempts"] = 1
    if delivered:
        increments["delivered"] = 1
    field = CATEGORY_FIELD.get(category)
    if field is not None:
        increments[field] = 1
    reason_key = reason.value if field is not None else None

    buckets: dict[str, dict[int, Bucket]] = {}
    for spec in config.windows:
        keep_from, _ = window_bounds(spec, wm_s)
        old = state.buckets.get(spec.name, {})
        kept = {start: b for start, b in old.items() if start >= keep_from}
        start = (at_s // spec.step_seconds) * spec.step_seconds
        # A late event inside grace whose step already left this window reaches no
        # future snapshot of it, so it is simply not stored here.
        if increments and start >= keep_from:
            kept[start] = _add(kept.get(start), increments, reason_key, config.max_reasons_per_bucket)
        buckets[spec.name] = kept
    return state.model_copy(update={"watermark": new_watermark, "buckets": buckets})


def effective_now(state: TrendState, now: datetime) -> datetime:
    """A key's windows never move backwards: buckets before the watermark's windows are gone."""
    epoch_seconds(now)
    if state.watermark is not None and state.watermark > now:
        return state.watermark
    return now


COUNT_FIELDS: tuple[str, ...] = tuple(WindowCounts.model_fields)


def window_counts(state: TrendState, spec: WindowSpec, at: datetime) -> tuple[WindowCounts, dict[str, int]]:
    """Summed counts and reasons of the window whose last step contains `at`."""
    start, end = window_bounds(spec, epoch_seconds(at))
    totals = dict.fromkeys(COUNT_FIELDS, 0)
    reasons: dict[str, int] = {}
    for bstart, bucket in state.buckets.get(spec.name, {}).items():
        if start <= bstart < end:
            values = bucket.counts.__dict__  # plain field values; getattr per field costs 3x more
            for name in COUNT_FIELDS:
                totals[name] += values[name]
            for reason, n in bucket.reasons.items():
                reasons[reason] = reasons.get(reason, 0) + n
    return WindowCounts.model_construct(None, **totals), reasons


def top_reasons(reasons: dict[str, int], limit: int) -> dict[str, int]:
    """The `limit` most frequent reasons, ties broken by name so the output is stable."""
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:limit])


def window_range(spec: WindowSpec, at: datetime) -> tuple[datetime, datetime]:
    start, end = window_bounds(spec, epoch_seconds(at))
    return from_epoch(start), from_epoch(end)

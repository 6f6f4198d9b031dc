"""Event builders shared by the trend tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bounceguard.core.categories import Category, Reason
from bounceguard.core.trends import TrendConfig, TrendState, record

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, on every window's step boundary


@dataclass(frozen=True)
class Ev:
    """One send and its outcome, `minutes` after T0."""

    minutes: float
    category: Category = Category.NONE
    reason: Reason = Reason.DELIVERED
    attempt: bool = True

    @property
    def at(self) -> datetime:
        return T0 + timedelta(minutes=self.minutes)


def sends(
    n: int,
    *,
    start: float,
    span: float,
    bad: int = 0,
    category: Category = Category.HARD,
    reason: Reason = Reason.USERUNKNOWN,
) -> list[Ev]:
    """n sends spread over `span` minutes from `start`; the first `bad` of each ten-ish are failures."""
    step = span / n
    out = []
    for i in range(n):
        failed = i * bad // n != (i + 1) * bad // n
        out.append(Ev(start + i * step, category if failed else Category.NONE, reason if failed else Reason.DELIVERED))
    return out


def feed(state: TrendState, events: Iterable[Ev], config: TrendConfig) -> TrendState:
    for ev in events:
        state = record(
            state,
            occurred_at=ev.at,
            category=ev.category,
            reason=ev.reason,
            counts_as_attempt=ev.attempt,
            delivered=ev.category is Category.NONE and ev.attempt,
            config=config,
        )
    return state

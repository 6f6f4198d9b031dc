"""Per-event cost of the trend maths, against a bare counter update.

The stream calls record() + evaluate_alerts() for every event of every mailbox and segment,
and round-trips the state through JSON (its table value). Prints events/s for:
  baseline     increment one counter in a dict per event (the floor any aggregation pays)
  record       core.trends.record only
  record+eval  record then evaluate_alerts, as the trend agent does per event
  +json        the same plus model_validate_json / model_dump_json of the state per event
  record_many  what the trend stage does now: record_many over groups of GROUP inputs (one
               key's second), then one evaluate_alerts per group
and each one's ratio to the baseline. Run: .venv/bin/python bench/trends_bench.py
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bounceguard.core.categories import REASON_CATEGORY, Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import DEFAULT_CONFIG, TrendInput, TrendState, evaluate_alerts, record, record_many

N = 20_000
GROUP = 8  # inputs per key per second at a few hundred events/s over 250 keys
ROUNDS = 3
T0 = datetime(2026, 3, 2, tzinfo=UTC)


def make_events() -> list[tuple[datetime, Reason, bool]]:
    """A week of sends, 3% bounces of mixed reasons, a few seconds out of order."""
    rng = random.Random(1)
    bad = [r for r, c in REASON_CATEGORY.items() if c is not Category.NONE]
    out = []
    for i in range(N):
        at = T0 + timedelta(seconds=i * 30 + rng.randint(-20, 20))
        failed = rng.random() < 0.03
        out.append((at, rng.choice(bad) if failed else Reason.DELIVERED, not failed))
    return out


def baseline(events: list[tuple[datetime, Reason, bool]]) -> None:
    counts: dict[str, int] = {}
    for _at, reason, _ in events:
        counts[reason.value] = counts.get(reason.value, 0) + 1


def run_record(events: list[tuple[datetime, Reason, bool]], *, alerts: bool, json_state: bool) -> None:
    state = TrendState()
    raw = state.model_dump_json()
    for at, reason, delivered in events:
        if json_state:
            state = TrendState.model_validate_json(raw)
        state = record(
            state,
            occurred_at=at,
            category=REASON_CATEGORY[reason],
            reason=reason,
            counts_as_attempt=True,
            delivered=delivered,
            config=DEFAULT_CONFIG,
        )
        if alerts:
            state, _ = evaluate_alerts(
                state, tenant="acme", scope=Scope.MAILBOX, key="news@a.example", now=at, config=DEFAULT_CONFIG
            )
        if json_state:
            raw = state.model_dump_json()


def run_record_many(events: list[tuple[datetime, Reason, bool]]) -> None:
    state = TrendState()
    inputs = [TrendInput(at, REASON_CATEGORY[reason], reason, True, delivered) for at, reason, delivered in events]
    for i in range(0, len(inputs), GROUP):
        group = inputs[i : i + GROUP]
        state = record_many(state, group, DEFAULT_CONFIG)
        state, _ = evaluate_alerts(
            state,
            tenant="acme",
            scope=Scope.MAILBOX,
            key="news@a.example",
            now=group[-1].occurred_at,
            config=DEFAULT_CONFIG,
        )


def best(fn: Callable[[], None]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    events = make_events()
    base = best(lambda: baseline(events))
    rows = [
        ("baseline", base),
        ("record", best(lambda: run_record(events, alerts=False, json_state=False))),
        ("record+eval", best(lambda: run_record(events, alerts=True, json_state=False))),
        ("+json", best(lambda: run_record(events, alerts=True, json_state=True))),
        ("record_many", best(lambda: run_record_many(events))),
    ]
    print(f"{N} events, best of {ROUNDS} rounds")
    for name, seconds in rows:
        print(
            f"{name:12s} {N / seconds:12,.0f} events/s  {seconds / N * 1e6:8.2f} us/event  "
            f"x{seconds / base:8.1f} baseline"
        )


if __name__ == "__main__":
    main()

"""Per-event cost of the trend maths, against a bare counter update.

The stream calls record() + evaluate_alerts() for every event of every mailbox and segment,
and round-trips the state through JSON (its table value). Prints events/s for:
  baseline     increment one counter in a dict per event (the floor any aggregation pays)
  record       core.trends.record only
  record+eval  record then evaluate_alerts, as the trend agent does per event
  +json        the same plus model_validate_json / model_dump_json of the state per event
  groups/N     what the stream does now: a key's inputs of one interval grouped (TrendGroups,
               built by the address stage) and counted by record_groups, then one
               evaluate_alerts, per chunk of N inputs; spread 30 s apart (few share a group)
  dense/N      the same with each chunk's N inputs inside one second (a busy mailbox)
and each one's ratio to the baseline. Run: .venv/bin/python bench/trends_bench.py
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bounceguard.core.categories import REASON_CATEGORY, Category, Reason
from bounceguard.core.models import Scope
from bounceguard.core.trends import DEFAULT_CONFIG, TrendGroups, TrendState, evaluate_alerts, record, record_groups
from bounceguard.core.trends.groups import newest

N = 20_000
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


def run_groups(events: list[tuple[datetime, Reason, bool]], size: int, *, dense: bool) -> None:
    state = TrendState()
    for i in range(0, len(events), size):
        chunk = events[i : i + size]
        groups = TrendGroups()
        for n, (at, reason, delivered) in enumerate(chunk):
            when = chunk[0][0] + timedelta(microseconds=n) if dense else at
            groups.add(when, REASON_CATEGORY[reason], reason, True, delivered)
        built = groups.groups
        state = record_groups(state, built, DEFAULT_CONFIG)
        now = newest(built)
        assert now is not None
        state, _ = evaluate_alerts(
            state, tenant="acme", scope=Scope.MAILBOX, key="news@a.example", now=now, config=DEFAULT_CONFIG
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
        ("groups/8", best(lambda: run_groups(events, 8, dense=False))),
        ("groups/40", best(lambda: run_groups(events, 40, dense=False))),
        ("dense/8", best(lambda: run_groups(events, 8, dense=True))),
        ("dense/40", best(lambda: run_groups(events, 40, dense=True))),
    ]
    print(f"{N} events, best of {ROUNDS} rounds")
    for name, seconds in rows:
        print(
            f"{name:12s} {N / seconds:12,.0f} events/s  {seconds / N * 1e6:8.2f} us/event  "
            f"x{seconds / base:8.1f} baseline"
        )


if __name__ == "__main__":
    main()

"""`record_many` is `record` folded over its inputs: same state on random sequences, including
late events, events beyond grace, repeated steps, the reason cap and empty inputs."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from trend_events import T0

from bounceguard.core.categories import Category, Reason
from bounceguard.core.trends import TrendConfig, TrendState, record
from bounceguard.core.trends.state import TrendInput, record_many

_OUTCOMES = [
    (Category.NONE, Reason.DELIVERED, True),
    (Category.HARD, Reason.USERUNKNOWN, False),
    (Category.HARD, Reason.HOSTUNKNOWN, False),
    (Category.SOFT, Reason.MAILBOXFULL, False),
    (Category.BLOCK, Reason.BLOCKED, False),
    (Category.COMPLAINT, Reason.FEEDBACK, False),
    (Category.NONE, Reason.DELIVERED, False),  # neither attempt nor delivery: moves the watermark only
]


def _random_inputs(rng: random.Random, n: int, spread_minutes: float) -> list[TrendInput]:
    out = []
    clock = 0.0
    for _ in range(n):
        clock += rng.expovariate(1.0) * spread_minutes / n
        jitter = rng.choice([0.0, 0.0, 0.0, -rng.uniform(0, 30), -rng.uniform(60, 6 * 60)])  # late, very late
        category, reason, delivered = rng.choice(_OUTCOMES)
        out.append(
            TrendInput(
                occurred_at=T0 + timedelta(minutes=clock + jitter),
                category=category,
                reason=reason,
                counts_as_attempt=rng.random() < 0.9,
                delivered=delivered,
            )
        )
    return out


def _fold(state: TrendState, inputs: list[TrendInput], config: TrendConfig) -> TrendState:
    for i in inputs:
        state = record(
            state,
            occurred_at=i.occurred_at,
            category=i.category,
            reason=i.reason,
            counts_as_attempt=i.counts_as_attempt,
            delivered=i.delivered,
            config=config,
        )
    return state


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("spread", [5.0, 180.0, 3 * 24 * 60.0])
def test_record_many_equals_folding_record(seed: int, spread: float) -> None:
    rng = random.Random(seed)
    config = TrendConfig(max_reasons_per_bucket=2) if seed % 3 == 0 else TrendConfig()
    start = _fold(TrendState(), _random_inputs(rng, 50, spread), config)  # a state with history
    for chunk in (_random_inputs(rng, 200, spread), [], _random_inputs(rng, 1, spread)):
        expected = _fold(start, chunk, config)
        got = record_many(start, chunk, config)
        assert got.model_dump() == expected.model_dump()
        start = got


def test_empty_input_returns_the_state_itself() -> None:
    state = _fold(TrendState(), _random_inputs(random.Random(1), 20, 60.0), TrendConfig())
    assert record_many(state, [], TrendConfig()) is state

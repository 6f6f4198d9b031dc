"""`record_groups` is `record` folded over the inputs sorted by time: same state on random
sequences, including late events, events beyond grace, repeated steps, the reason cap, inputs
straddling the grace line within one second, and empty input. The wire form round-trips and
rejects malformed groups."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
import pytest
from trend_events import T0

from bounceguard.core.categories import Category, Reason
from bounceguard.core.trends import (
    TrendConfig,
    TrendGroups,
    TrendInputError,
    TrendState,
    groups_from_wire,
    groups_to_wire,
    record,
    record_groups,
)
from bounceguard.core.trends.groups import newest, split_time

_OUTCOMES = [
    (Category.NONE, Reason.DELIVERED, True),
    (Category.HARD, Reason.USERUNKNOWN, False),
    (Category.HARD, Reason.HOSTUNKNOWN, False),
    (Category.SOFT, Reason.MAILBOXFULL, False),
    (Category.BLOCK, Reason.BLOCKED, False),
    (Category.COMPLAINT, Reason.FEEDBACK, False),
    (Category.NONE, Reason.DELIVERED, False),  # neither attempt nor delivery: moves the watermark only
]


@dataclass(frozen=True)
class _In:
    at: datetime
    category: Category
    reason: Reason
    attempt: bool
    delivered: bool


def _random_inputs(rng: random.Random, n: int, spread_minutes: float) -> list[_In]:
    out = []
    clock = 0.0
    for _ in range(n):
        clock += rng.expovariate(1.0) * spread_minutes / n
        jitter = rng.choice([0.0, 0.0, 0.0, -rng.uniform(0, 30), -rng.uniform(60, 6 * 60)])  # late, very late
        category, reason, delivered = rng.choice(_OUTCOMES)
        at = T0 + timedelta(minutes=clock + jitter)
        out.append(
            _In(at.replace(microsecond=rng.randrange(1_000_000)), category, reason, rng.random() < 0.9, delivered)
        )
    return out


def _fold(state: TrendState, inputs: list[_In], config: TrendConfig) -> TrendState:
    for i in sorted(inputs, key=lambda i: i.at):
        state = record(
            state,
            occurred_at=i.at,
            category=i.category,
            reason=i.reason,
            counts_as_attempt=i.attempt,
            delivered=i.delivered,
            config=config,
        )
    return state


def _grouped(inputs: list[_In]) -> TrendGroups:
    groups = TrendGroups()
    for i in inputs:
        groups.add(i.at, i.category, i.reason, i.attempt, i.delivered)
    return groups


def _same(a: TrendState, b: TrendState) -> None:
    assert orjson.loads(a.model_dump_json()) == orjson.loads(b.model_dump_json())


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("spread", [0.05, 5.0, 180.0, 3 * 24 * 60.0])
def test_record_groups_equals_folding_record_over_sorted_inputs(seed: int, spread: float) -> None:
    rng = random.Random(seed)
    config = TrendConfig(max_reasons_per_bucket=2) if seed % 3 == 0 else TrendConfig()
    start = _fold(TrendState(), _random_inputs(rng, 50, spread), config)  # a state with history
    for chunk in (_random_inputs(rng, 200, spread), [], _random_inputs(rng, 1, spread)):
        expected = _fold(start, chunk, config)
        wire = orjson.loads(orjson.dumps(groups_to_wire(_grouped(chunk).groups)))
        got = record_groups(start, groups_from_wire(wire), config)
        _same(got, expected)
        start = got


def test_inputs_straddling_the_grace_line_within_one_second() -> None:
    config = TrendConfig()
    state = _fold(TrendState(), [_In(T0, Category.NONE, Reason.DELIVERED, True, True)], config)
    line = T0 - config.grace
    around = [line + timedelta(microseconds=d) for d in (-2, -1, 0, 1, 2)]
    chunk = [_In(at, Category.HARD, Reason.USERUNKNOWN, True, False) for at in around]
    got = record_groups(state, _grouped(chunk).groups, config)
    assert got.late_ignored == 2
    _same(got, _fold(state, chunk, config))


def test_many_inputs_make_few_groups() -> None:
    same_second = [_In(T0 + timedelta(microseconds=i), Category.NONE, Reason.DELIVERED, True, True) for i in range(500)]
    groups = _grouped(same_second)
    assert len(groups) == 1
    assert newest(groups.groups) == T0 + timedelta(microseconds=499)


def test_empty_input_returns_the_state_itself() -> None:
    state = _fold(TrendState(), _random_inputs(random.Random(1), 20, 60.0), TrendConfig())
    assert record_groups(state, [], TrendConfig()) is state


def test_split_time_is_exact_and_rejects_naive() -> None:
    at = T0.replace(microsecond=999_999)
    assert split_time(at) == (int(T0.timestamp()), 999_999)
    with pytest.raises(TrendInputError):
        split_time(at.replace(tzinfo=None))


@pytest.mark.parametrize(
    "wire",
    [
        {"not": "a list"},
        [[1, "hard"]],
        [["1", "hard", "user_unknown", True, False, [0]]],
        [[1, "hard", "no-such-reason", True, False, [0]]],
        [[1, "nope", "delivered", True, False, [0]]],
        [[1, "none", "delivered", 1, False, [0]]],
        [[1, "none", "delivered", True, False, []]],
        [[1, "none", "delivered", True, False, [1_000_000]]],
        [[1, "none", "delivered", True, False, ["5"]]],
    ],
)
def test_malformed_groups_are_rejected(wire: object) -> None:
    with pytest.raises(TrendInputError):
        groups_from_wire(wire)

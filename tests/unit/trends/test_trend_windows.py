"""Window maths: bucketing by event time, grace, pruning, direction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from trend_events import T0, Ev, feed, sends

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Scope, Trend
from bounceguard.core.trends import TrendConfig, TrendInputError, TrendState, record, snapshot

CFG = TrendConfig()


def trends_at(state: TrendState, now: datetime, config: TrendConfig = CFG) -> dict[str, Trend]:
    return {
        t.window: t
        for t in snapshot(state, tenant="acme", scope=Scope.MAILBOX, key="news@a.example", now=now, config=config)
    }


WINDOW_CASES = [
    # event minutes after T0, snapshot minutes after T0, window, expected attempts
    ([0, 1, 2], 2, "1h", 3),
    ([0, 1, 2], 2, "24h", 3),
    ([0, 1, 2], 2, "7d", 3),
    # 1h = 12 steps of 5 min ending with the step that holds `now`: [12:10, 13:10) at 13:05
    ([0, 9.9, 10, 64], 65, "1h", 2),
    # exactly on a step boundary the old step leaves the window
    ([0, 30], 59.9, "1h", 2),
    ([0, 30], 60, "1h", 1),
    ([0], 60 * 24 - 1, "24h", 1),
    ([0], 60 * 24 + 60, "24h", 0),
    # 7d windows are UTC days: T0 is Monday noon, the window at Sunday 23:59 still holds it
    ([0], 60 * (24 * 6 + 11) + 59, "7d", 1),
    ([0], 60 * (24 * 6 + 12), "7d", 0),
]


@pytest.mark.parametrize(("minutes", "now", "window", "attempts"), WINDOW_CASES)
def test_window_holds_events_of_its_steps(minutes: list[float], now: float, window: str, attempts: int) -> None:
    state = feed(TrendState(), [Ev(m) for m in minutes], CFG)
    trend = trends_at(state, T0 + timedelta(minutes=now))[window]
    assert trend.counts.attempts == attempts
    assert trend.window_end - trend.window_start == CFG.window(window).size
    assert trend.window_start <= T0 + timedelta(minutes=now) < trend.window_end


def test_tiny_volume_rates_are_plain_fractions() -> None:
    state = feed(TrendState(), [Ev(0, Category.HARD, Reason.USERUNKNOWN), Ev(1), Ev(2)], CFG)
    trend = trends_at(state, T0 + timedelta(minutes=2))["1h"]
    assert trend.counts.hard == 1 and trend.counts.attempts == 3 and trend.counts.delivered == 2
    assert trend.rates["hard"] == pytest.approx(1 / 3)
    assert trend.rates["bounce"] == pytest.approx(1 / 3)
    assert trend.rates["complaint"] == 0.0
    assert trend.direction["hard"] == "unknown"  # 3 sends say nothing about a trend
    assert trend.top_reasons == {"userunknown": 1}


def test_bounce_rate_sums_hard_soft_and_block_but_not_complaints() -> None:
    events = [Ev(i) for i in range(10)] + [
        Ev(1, Category.HARD, Reason.USERUNKNOWN, attempt=False),
        Ev(2, Category.SOFT, Reason.MAILBOXFULL, attempt=False),
        Ev(3, Category.BLOCK, Reason.BLOCKED, attempt=False),
        Ev(4, Category.COMPLAINT, Reason.FEEDBACK, attempt=False),
        Ev(5, Category.TRAP, Reason.SPAMTRAP, attempt=False),
    ]
    trend = trends_at(feed(TrendState(), events, CFG), T0 + timedelta(minutes=10))["1h"]
    assert trend.counts.attempts == 10  # outcomes of earlier sends do not add attempts
    assert trend.rates["bounce"] == pytest.approx(0.3)
    assert trend.rates["complaint"] == pytest.approx(0.1)
    assert trend.rates["trap"] == pytest.approx(0.1)


LATE_CASES = [
    # minutes of an event arriving after one at +120 min; counted?; late_ignored
    (120 - 59, True, 0),  # within the 1h grace
    (120 - 60, True, 0),  # exactly at the grace edge
    (120 - 61, False, 1),  # beyond grace
    (120 - 60 * 24, False, 1),
]


@pytest.mark.parametrize(("minutes", "counted", "late"), LATE_CASES)
def test_late_events_within_grace_count_and_beyond_are_ignored(minutes: float, counted: bool, late: int) -> None:
    state = feed(TrendState(), [Ev(120), Ev(minutes, Category.HARD, Reason.USERUNKNOWN)], CFG)
    trend = trends_at(state, T0 + timedelta(minutes=120))["24h"]
    assert trend.counts.hard == (1 if counted else 0)
    assert trend.counts.attempts == (2 if counted else 1)
    assert state.late_ignored == late
    assert state.watermark == T0 + timedelta(minutes=120)


def test_arrival_order_does_not_change_the_result_within_grace() -> None:
    events = sends(400, start=0, span=50, bad=40) + sends(
        50, start=20, span=30, bad=5, category=Category.BLOCK, reason=Reason.BLOCKED
    )
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)  # all 50 minutes apart at most: inside the 1h grace
    now = T0 + timedelta(minutes=50)
    in_order = trends_at(feed(TrendState(), events, CFG), now)
    out_of_order = trends_at(feed(TrendState(), shuffled, CFG), now)
    assert in_order == out_of_order
    assert in_order["1h"].counts.hard == 40 and in_order["1h"].counts.block == 5


def test_buckets_are_pruned_as_event_time_advances() -> None:
    # one send every 30 minutes for 10 days
    state = feed(TrendState(), [Ev(m) for m in range(0, 60 * 24 * 10, 30)], CFG)
    for spec in CFG.windows:
        held = state.buckets[spec.name]
        assert len(held) <= spec.size // spec.step
        oldest = datetime.fromtimestamp(min(held), tz=UTC)
        assert oldest >= state.watermark - spec.size  # type: ignore[operator]
    trend = trends_at(state, state.watermark)["7d"]  # type: ignore[arg-type]
    assert trend.counts.attempts < 48 * 7 + 1
    assert trend.window_start > T0


def test_late_event_for_a_step_that_left_a_window_is_not_stored_there() -> None:
    # +62 min: the 1h window at that watermark starts at 12:05, so an event at 12:03 (inside grace)
    # counts for 24h but no longer reaches any 1h window
    state = feed(TrendState(), [Ev(62), Ev(3, Category.HARD, Reason.USERUNKNOWN)], CFG)
    trends = trends_at(state, T0 + timedelta(minutes=62))
    assert trends["1h"].counts.hard == 0
    assert trends["24h"].counts.hard == 1
    assert state.late_ignored == 0


def test_snapshot_never_moves_a_window_back_before_the_watermark() -> None:
    state = feed(TrendState(), [Ev(0), Ev(300)], CFG)
    early = trends_at(state, T0)
    assert early["1h"].window_end > T0 + timedelta(minutes=300)
    assert early["1h"].counts.attempts == 1


def test_record_does_not_modify_its_input_and_state_round_trips_json() -> None:
    state = feed(TrendState(), sends(30, start=0, span=90, bad=3), CFG)
    before = state.model_dump_json()
    after = feed(state, [Ev(91, Category.SOFT, Reason.MAILBOXFULL)], CFG)
    assert state.model_dump_json() == before
    assert after != state
    assert TrendState.model_validate_json(after.model_dump_json()) == after


def test_future_stamped_events_are_counted_as_such_not_recorded() -> None:
    received = T0 + timedelta(minutes=5)
    state = record(
        TrendState(),
        occurred_at=T0 + timedelta(days=3),
        category=Category.HARD,
        reason=Reason.USERUNKNOWN,
        counts_as_attempt=True,
        delivered=False,
        config=CFG,
        received_at=received,
    )
    assert state.future_ignored == 1 and state.watermark is None and state.buckets == {}


@pytest.mark.parametrize("when", [datetime(2026, 3, 2, 12, 0), datetime(2026, 3, 2)])
def test_naive_datetimes_raise_typed_error(when: datetime) -> None:
    with pytest.raises(TrendInputError):
        record(
            TrendState(),
            occurred_at=when,
            category=Category.NONE,
            reason=Reason.DELIVERED,
            counts_as_attempt=True,
            delivered=True,
            config=CFG,
        )
    with pytest.raises(TrendInputError):
        snapshot(TrendState(), tenant="t", scope=Scope.SEGMENT, key="k", now=when, config=CFG)


DIRECTION_CASES = [
    # hard bounces per 1000 sends: trailing six days, last 24h; expected direction
    (10, 10, "flat"),
    (10, 11, "flat"),  # within the 25% tolerance
    (10, 40, "up"),
    (40, 10, "down"),
]


@pytest.mark.parametrize(("before", "recent", "expected"), DIRECTION_CASES)
def test_direction_compares_last_24h_with_the_trailing_days(before: int, recent: int, expected: str) -> None:
    day = 60 * 24
    events: list[Ev] = []
    for d in range(5):  # Monday..Friday of the trailing days
        events += sends(1000, start=d * day, span=day - 1, bad=before)
    events += sends(1000, start=5 * day + 60, span=day - 120, bad=recent)  # Saturday 13:00 -> Sunday 11:00
    now = T0 + timedelta(minutes=6 * day - 1)  # Sunday 11:59
    trend = trends_at(feed(TrendState(), events, CFG), now)
    assert trend["24h"].direction["hard"] == expected
    assert trend["24h"].baseline_rates["hard"] == pytest.approx(before / 1000, rel=0.02)
    assert trend["7d"].direction == {}


def test_config_rejects_unknown_or_inconsistent_windows() -> None:
    with pytest.raises(ValueError):
        TrendConfig(alert_windows=("2h",))
    with pytest.raises(ValueError):
        TrendConfig(baseline_window="30d")
    with pytest.raises(ValueError):
        TrendConfig.model_validate({"windows": [{"name": "1h", "size": 3600, "step": 7 * 60}]})

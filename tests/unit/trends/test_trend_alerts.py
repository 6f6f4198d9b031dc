"""Alerting: significance, minimum volume, hysteresis, scopes and deterministic ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from trend_events import T0, Ev, feed, sends

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Alert, RateName, Scope, Severity, WindowCounts
from bounceguard.core.trends import Threshold, TrendConfig, TrendState, evaluate_alerts
from bounceguard.core.trends.alerts import next_level

CFG = TrendConfig(alert_windows=("1h",))
HARD_ONLY = TrendConfig(alert_windows=("1h",), thresholds={RateName.HARD: Threshold(warn=0.02, critical=0.05)})
ONE_LEVEL = TrendConfig(alert_windows=("1h",), thresholds={RateName.HARD: Threshold(warn=0.05, critical=0.05)})


def drive(
    events: list[Ev],
    config: TrendConfig,
    *,
    scope: Scope = Scope.MAILBOX,
    key: str = "news@a.example",
    state: TrendState | None = None,
) -> tuple[TrendState, list[Alert]]:
    """Record events one by one and evaluate alerts after each, as the stream does."""
    state = state or TrendState()
    emitted: list[Alert] = []
    for ev in sorted(events, key=lambda e: e.minutes):
        state = feed(state, [ev], config)
        state, alerts = evaluate_alerts(state, tenant="acme", scope=scope, key=key, now=ev.at, config=config)
        emitted += alerts
    return state, emitted


def kinds(alerts: list[Alert]) -> list[tuple[str, RateName, Severity, Severity | None]]:
    return [(a.window, a.rate, a.severity, a.previous_severity) for a in alerts]


LOW_VOLUME = [
    # sends, hard bounces among them: never enough attempts to alert, whatever the rate
    (3, 1),
    (10, 10),
    (99, 50),
]


@pytest.mark.parametrize(("n", "bad"), LOW_VOLUME)
def test_no_alert_below_minimum_volume(n: int, bad: int) -> None:
    _, alerts = drive(sends(n, start=0, span=30, bad=bad), CFG)
    assert alerts == []


SIGNIFICANCE = [
    # sends in one hour, hard bounces, expected hard-rate level
    (100, 3, None),  # 3% but the lower bound (1.0%) is under 2%
    (1000, 30, Severity.WARN),  # lower bound 2.1%
    (100, 12, Severity.CRITICAL),  # lower bound 7.0%
    (1000, 55, Severity.WARN),  # 5.5% but the lower bound (4.3%) is under 5%
]


@pytest.mark.parametrize(("n", "bad", "expected"), SIGNIFICANCE)
def test_alert_needs_the_lower_bound_above_the_threshold(n: int, bad: int, expected: Severity | None) -> None:
    state, _ = drive(sends(n, start=0, span=59, bad=bad), HARD_ONLY)
    counts = WindowCounts(attempts=n, hard=bad)
    assert next_level(None, counts, RateName.HARD, HARD_ONLY.thresholds[RateName.HARD], HARD_ONLY) is expected
    mark = state.alerts.get("1h", {}).get(RateName.HARD)
    assert (mark.severity if mark else None) is expected


HYSTERESIS = [
    # current level, attempts, hard, next level (warn 2%, critical 5%, clear at 80% of the level)
    (Severity.WARN, 1000, 19, Severity.WARN),  # under 2% but above 1.6%: hold
    (Severity.WARN, 1000, 16, None),  # at 1.6%: recovered
    (Severity.CRITICAL, 1000, 45, Severity.CRITICAL),  # under 5% but above 4%: hold
    (Severity.CRITICAL, 1000, 39, Severity.WARN),  # under 4%, above 1.6%: step down
    (Severity.CRITICAL, 1000, 10, None),  # straight to recovered
    (Severity.WARN, 1000, 80, Severity.CRITICAL),  # escalate
    (Severity.CRITICAL, 10, 10, Severity.CRITICAL),  # low volume but still bad: hold
    (Severity.CRITICAL, 0, 0, None),  # stopped sending: the window emptied
]


@pytest.mark.parametrize(("current", "attempts", "hard", "expected"), HYSTERESIS)
def test_hysteresis(current: Severity, attempts: int, hard: int, expected: Severity | None) -> None:
    counts = WindowCounts(attempts=attempts, hard=hard)
    assert next_level(current, counts, RateName.HARD, HARD_ONLY.thresholds[RateName.HARD], HARD_ONLY) is expected


def test_exactly_one_alert_and_one_recovery_when_driven_over_and_back() -> None:
    # a clean hour, a bad half hour (20% hard), then four clean hours
    events = sends(600, start=0, span=60) + sends(300, start=60, span=30, bad=60) + sends(2400, start=90, span=240)
    _, alerts = drive(events, ONE_LEVEL)
    assert kinds(alerts) == [
        ("1h", RateName.HARD, Severity.CRITICAL, None),
        ("1h", RateName.HARD, Severity.RECOVERED, Severity.CRITICAL),
    ]
    critical, recovered = alerts
    assert critical.counts.attempts >= 100 and critical.lower_bound > 0.05
    assert critical.top_reasons == {"userunknown": critical.counts.hard}
    assert recovered.value <= 0.05 * 0.8
    assert critical.alert_id != recovered.alert_id


def test_two_levels_escalate_and_step_down_in_order() -> None:
    events = sends(600, start=0, span=60) + sends(300, start=60, span=30, bad=60) + sends(2400, start=90, span=240)
    _, alerts = drive(events, HARD_ONLY)
    assert kinds(alerts) == [
        ("1h", RateName.HARD, Severity.WARN, None),
        ("1h", RateName.HARD, Severity.CRITICAL, Severity.WARN),
        ("1h", RateName.HARD, Severity.WARN, Severity.CRITICAL),
        ("1h", RateName.HARD, Severity.RECOVERED, Severity.WARN),
    ]
    assert [a.threshold for a in alerts] == [0.02, 0.05, 0.02, 0.02]


def test_a_rate_hovering_at_the_threshold_does_not_flap() -> None:
    # hours alternating between 3% and 1.8% hard: above warn, then inside the hold band
    events: list[Ev] = []
    for hour in range(6):
        events += sends(3000, start=hour * 60, span=60, bad=90 if hour % 2 == 0 else 54)
    _, alerts = drive(events, HARD_ONLY)
    assert kinds(alerts) == [("1h", RateName.HARD, Severity.WARN, None)]


def test_segment_goes_bad_while_the_mailbox_stays_fine() -> None:
    # one mailbox sends to two segments in the same hour; "purchased" is a bad list
    good = [(ev, "newsletter") for ev in sends(850, start=0, span=59, bad=1)]
    bad = [(ev, "purchased") for ev in sends(150, start=0.5, span=58, bad=15)]
    mailbox = TrendState()
    segments: dict[str, TrendState] = {}
    emitted: dict[tuple[Scope, str], list[Alert]] = {}
    for ev, segment in sorted(good + bad, key=lambda pair: pair[0].minutes):
        for scope, key in ((Scope.MAILBOX, "news@a.example"), (Scope.SEGMENT, segment)):
            current = mailbox if scope is Scope.MAILBOX else segments.get(key, TrendState())
            current = feed(current, [ev], CFG)
            current, alerts = evaluate_alerts(current, tenant="acme", scope=scope, key=key, now=ev.at, config=CFG)
            emitted.setdefault((scope, key), []).extend(alerts)
            if scope is Scope.MAILBOX:
                mailbox = current
            else:
                segments[key] = current
    assert emitted[(Scope.MAILBOX, "news@a.example")] == []  # 16 in 1000: 1.6%
    assert emitted[(Scope.SEGMENT, "newsletter")] == []
    bad_alerts = emitted[(Scope.SEGMENT, "purchased")]
    assert (RateName.HARD, Severity.CRITICAL) in [(a.rate, a.severity) for a in bad_alerts]
    assert all(a.key == "purchased" and a.scope is Scope.SEGMENT and a.tenant == "acme" for a in bad_alerts)


def test_one_spam_trap_hit_is_critical_for_the_segment() -> None:
    events = [*sends(20, start=0, span=10), Ev(11, Category.TRAP, Reason.SPAMTRAP, attempt=False)]
    _, alerts = drive(events, CFG, scope=Scope.SEGMENT, key="old-import")
    assert kinds(alerts) == [("1h", RateName.TRAP, Severity.CRITICAL, None)]
    assert alerts[0].threshold == 0.0 and alerts[0].counts.trap == 1


def test_no_repeat_while_the_severity_is_unchanged() -> None:
    state, first = drive(sends(200, start=0, span=30, bad=40), HARD_ONLY)
    assert len(first) == 1
    for minute in (31, 35, 45):
        state, again = evaluate_alerts(
            state,
            tenant="acme",
            scope=Scope.MAILBOX,
            key="news@a.example",
            now=T0 + timedelta(minutes=minute),
            config=HARD_ONLY,
        )
        assert again == []


def test_alert_ids_are_deterministic_across_replay_and_restore() -> None:
    events = sends(600, start=0, span=60) + sends(300, start=60, span=30, bad=60) + sends(900, start=90, span=200)
    _, first = drive(events, HARD_ONLY)
    _, second = drive(events, HARD_ONLY)
    assert [a.model_dump() for a in first] == [a.model_dump() for a in second]
    # restoring the state from its JSON halfway gives the same later alerts
    half = [e for e in events if e.minutes < 80]
    rest = [e for e in events if e.minutes >= 80]
    mid, early = drive(half, HARD_ONLY)
    restored = TrendState.model_validate_json(mid.model_dump_json())
    _, late = drive(rest, HARD_ONLY, state=restored)
    assert [a.alert_id for a in early + late] == [a.alert_id for a in first]
    assert len({a.alert_id for a in first}) == len(first)


def test_alert_ids_differ_by_key_and_scope() -> None:
    events = sends(200, start=0, span=30, bad=40)
    _, a = drive(events, HARD_ONLY, key="one@a.example")
    _, b = drive(events, HARD_ONLY, key="two@a.example")
    _, c = drive(events, HARD_ONLY, scope=Scope.SEGMENT, key="one@a.example")
    assert len({a[0].alert_id, b[0].alert_id, c[0].alert_id}) == 3

"""Metric updates, label folding and exposition of bounceguard.edges.metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import (
    Alert,
    BounceEvent,
    Outcome,
    RateName,
    Scope,
    Severity,
    Suppression,
    SuppressionAction,
    Trend,
    WindowCounts,
)
from bounceguard.edges.metrics import BounceguardMetrics, EventTally, MetricsConfig

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)


def event(
    mailbox: str | None = "news@a.example",
    segment: str | None = "spring",
    *,
    category: Category = Category.HARD,
    reason: Reason = Reason.USERUNKNOWN,
    recipient: str = "bob@b.example",
    tenant: str = "acme",
) -> BounceEvent:
    return BounceEvent(
        event_id="e1",
        tenant=tenant,
        recipient=recipient,
        outcome=Outcome.BOUNCED,
        source="dsn",
        mailbox=mailbox,
        segment=segment,
        occurred_at=AT,
        reason=reason,
        category=category,
    )


def samples(m: BounceguardMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(m.exposition().decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(m: BounceguardMetrics, name: str, **labels: str) -> float:
    return samples(m).get((name, tuple(sorted(labels.items()))), 0.0)


def test_event_counts_by_source_outcome_category_reason_and_scope() -> None:
    m = BounceguardMetrics()
    m.observe_event(event(category=Category.NONE, reason=Reason.DELIVERED), attempt=True)
    m.observe_event(event())
    assert (
        value(m, "bounceguard_events_total", source="dsn", outcome="bounced", category="hard", reason="userunknown")
        == 1
    )
    assert value(m, "bounceguard_mailbox_attempts_total", tenant="acme", mailbox="news@a.example") == 1
    assert value(m, "bounceguard_mailbox_outcomes_total", tenant="acme", mailbox="news@a.example", category="hard") == 1
    assert value(m, "bounceguard_segment_attempts_total", tenant="acme", segment="spring") == 1
    assert value(m, "bounceguard_segment_outcomes_total", tenant="acme", segment="spring", category="none") == 1


def test_recipient_addresses_never_become_labels() -> None:
    m = BounceguardMetrics()
    for i in range(20):
        m.observe_event(event(recipient=f"user{i}@b.example"), attempt=True)
    assert b"b.example" not in m.exposition()


FOLD_CASES = [
    # config, mailboxes observed in order, expected label values
    (MetricsConfig(mailbox_cap=2), ["a", "b", "c", "a", "d"], {"a": 2, "b": 1, "other": 2}),
    (MetricsConfig(mailbox_allow=frozenset({"c"})), ["a", "b", "c"], {"c": 1, "other": 2}),
    (MetricsConfig(mailbox_cap=1, mailbox_allow=frozenset({"a", "b"})), ["a", "b", "c"], {"a": 1, "b": 1, "other": 1}),
]


@pytest.mark.parametrize(("config", "observed", "expected"), FOLD_CASES)
def test_mailbox_labels_fold_into_other_beyond_cap_or_allow_list(
    config: MetricsConfig, observed: list[str], expected: dict[str, int]
) -> None:
    m = BounceguardMetrics(config)
    for mailbox in observed:
        m.observe_event(event(mailbox=mailbox, segment=None), attempt=True)
    got = {
        dict(labels)["mailbox"]: v
        for (name, labels), v in samples(m).items()
        if name == "bounceguard_mailbox_attempts_total"
    }
    assert got == expected
    assert value(m, "bounceguard_label_overflow_total", label="mailbox") == expected.get("other", 0)


def test_each_instance_has_its_own_registry() -> None:
    a, b = BounceguardMetrics(), BounceguardMetrics()
    a.observe_duplicate()
    assert value(a, "bounceguard_duplicate_events_total") == 1
    assert value(b, "bounceguard_duplicate_events_total") == 0


def test_suppressions_dead_letters_latency_alerts_and_lag() -> None:
    m = BounceguardMetrics()
    m.observe_suppression(
        Suppression(
            transition_id="t",
            address="bob@b.example",
            action=SuppressionAction.SUPPRESS,
            reason=Reason.USERUNKNOWN,
            decided_at=AT,
        )
    )
    m.observe_dead_letter("bounceguard.dsn", "ParseError")
    m.observe_decision_latency(-3.0)
    m.observe_decision_latency(7.0)
    m.observe_alert(
        Alert(
            alert_id="x",
            scope=Scope.SEGMENT,
            key="s",
            rate=RateName.HARD,
            severity=Severity.WARN,
            window="1h",
            value=0.1,
            lower_bound=0.05,
            threshold=0.02,
            counts=WindowCounts(),
            at=AT,
        )
    )
    m.set_consumer_lag("bounceguard.events", 3, 42)
    assert value(m, "bounceguard_suppressions_total", reason="userunknown", action="suppress") == 1
    assert value(m, "bounceguard_deadletters_total", topic="bounceguard.dsn", error_type="ParseError") == 1
    assert value(m, "bounceguard_processing_latency_seconds_count") == 2
    assert value(m, "bounceguard_processing_latency_seconds_sum") == 7.0
    assert value(m, "bounceguard_processing_latency_seconds_bucket", le="0.01") == 1
    assert value(m, "bounceguard_alerts_total", scope="segment", rate="hard", severity="warn") == 1
    assert value(m, "bounceguard_consumer_lag_messages", topic="bounceguard.events", partition="3") == 42


@dataclass(frozen=True)
class _TP:
    topic: str
    partition: int


class _Consumer:
    def __init__(self) -> None:
        self._read_offset = {_TP("bounceguard.events", 0): 9, _TP("bounceguard.events", 1): None}

    def assignment(self) -> set[_TP]:
        return set(self._read_offset)

    def highwater(self, tp: _TP) -> int:
        return 25


class _App:
    consumer = _Consumer()


class _BrokenApp:
    @property
    def consumer(self) -> object:
        raise RuntimeError("not started")


def test_consumer_lag_from_a_faust_like_consumer_and_never_raises() -> None:
    m = BounceguardMetrics()
    m.refresh_consumer_lag(_App())
    m.refresh_consumer_lag(_BrokenApp())
    assert value(m, "bounceguard_consumer_lag_messages", topic="bounceguard.events", partition="0") == 15
    assert value(m, "bounceguard_consumer_lag_messages", topic="bounceguard.events", partition="1") == 25


def test_trend_gauges_only_for_keys_with_their_own_label() -> None:
    m = BounceguardMetrics(MetricsConfig(segment_cap=1))
    for key in ("spring", "summer"):
        m.observe_trend(
            Trend(
                scope=Scope.SEGMENT,
                key=key,
                window="1h",
                window_start=AT,
                window_end=AT,
                counts=WindowCounts(attempts=10, hard=1),
                rates={RateName.HARD: 0.1},
                computed_at=AT,
                tenant="acme",
            )
        )
    assert (
        value(m, "bounceguard_trend_rate", tenant="acme", scope="segment", key="spring", window="1h", rate="hard")
        == 0.1
    )
    assert value(m, "bounceguard_trend_attempts", tenant="acme", scope="segment", key="spring", window="1h") == 10
    assert b'key="summer"' not in m.exposition()


@pytest.mark.parametrize("config", [MetricsConfig(), MetricsConfig(mailbox_cap=3, segment_cap=2, tenant_cap=2)])
def test_a_tally_counts_exactly_what_event_by_event_counts(config: MetricsConfig) -> None:
    events = [
        event(
            mailbox=f"m{i % 5}@a.example" if i % 7 else None,
            segment=f"s{i % 4}" if i % 5 else None,
            tenant=f"t{i % 3}",
            category=(Category.HARD, Category.NONE, Category.SOFT)[i % 3],
            reason=(Reason.USERUNKNOWN, Reason.DELIVERED, Reason.MAILBOXFULL)[i % 3],
        )
        for i in range(60)
    ]
    one_by_one, tallied = BounceguardMetrics(config), BounceguardMetrics(config)
    tally = EventTally()
    for i, e in enumerate(events):
        one_by_one.observe_event(e, attempt=i % 2 == 0)
        tally.add(e, attempt=i % 2 == 0)
    tallied.observe_tally(tally)

    def counted(m: BounceguardMetrics) -> dict[object, float]:
        return {k: v for k, v in samples(m).items() if not k[0].endswith("_created")}

    assert counted(tallied) == counted(one_by_one)
    if config.mailbox_cap == 3:  # the capped case really folded values (5 mailboxes, 4 segments, 3 tenants)
        assert value(one_by_one, "bounceguard_label_overflow_total", label="mailbox") > 0

"""Suppression rules, one row per case: events in arrival order -> final status and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from bounceguard.core.address_history import AddressStatus
from bounceguard.core.addresses import InvalidAddress
from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome, SuppressionAction
from bounceguard.core.suppression_policy import (
    Effect,
    PolicyConfig,
    PolicyError,
    decide,
    replay,
    transition_id,
)

from .policy_events import ADDRESS, at, event

R = Reason
CONFIG = PolicyConfig()
GREYLISTED = "450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted, see http://postgrey"


@dataclass(frozen=True)
class Row:
    name: str
    events: list[BounceEvent]
    status: AddressStatus
    # (reason, category) of each suppression record emitted, in order
    records: list[tuple[Reason, Category]]


def soft(eid: str, when: datetime, reason: Reason = R.MAILBOXFULL, **kw: object) -> BounceEvent:
    return event(eid, reason, when, **kw)  # type: ignore[arg-type]


SUPPRESSED, ACTIVE = AddressStatus.SUPPRESSED, AddressStatus.ACTIVE

ROWS = [
    Row("hard bounce suppresses now", [event("h", R.USERUNKNOWN, at())], SUPPRESSED, [(R.USERUNKNOWN, Category.HARD)]),
    Row("hasmoved is hard", [event("h", R.HASMOVED, at())], SUPPRESSED, [(R.HASMOVED, Category.HARD)]),
    Row("complaint suppresses now", [event("c", R.FEEDBACK, at())], SUPPRESSED, [(R.FEEDBACK, Category.COMPLAINT)]),
    Row(
        "unsubscribe suppresses now",
        [event("u", R.UNSUBSCRIBED, at())],
        SUPPRESSED,
        [(R.UNSUBSCRIBED, Category.UNSUBSCRIBE)],
    ),
    Row("spam trap suppresses now", [event("t", R.SPAMTRAP, at())], SUPPRESSED, [(R.SPAMTRAP, Category.TRAP)]),
    Row(
        "block never suppresses",
        [
            event(f"b{i}", r, at(days=i))
            for i, r in enumerate(
                [R.BLOCKED, R.SPAMDETECTED, R.POLICYVIOLATION, R.BADREPUTATION, R.AUTHFAILURE, R.REQUIREPTR] * 3
            )
        ],
        ACTIVE,
        [],
    ),
    Row(
        "block with a 5xx hard-looking code still only blocks",
        [event(f"b{i}", R.BLOCKED, at(days=i), outcome=Outcome.BOUNCED) for i in range(5)],
        ACTIVE,
        [],
    ),
    Row(
        "block does not count as a soft bounce",
        [soft("s1", at()), event("b", R.BLOCKED, at(days=1)), soft("s2", at(days=1, hours=1))],
        ACTIVE,
        [],
    ),
    Row("2 soft on 1 day: no", [soft("s1", at()), soft("s2", at(hours=3))], ACTIVE, []),
    Row("3 soft on 1 day: no", [soft("s1", at()), soft("s2", at(hours=3)), soft("s3", at(hours=6))], ACTIVE, []),
    Row(
        "3 soft over 2 days: yes",
        [soft("s1", at()), soft("s2", at(hours=3)), soft("s3", at(days=1))],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row("2 soft over 2 days: no", [soft("s1", at()), soft("s2", at(days=1))], ACTIVE, []),
    Row(
        "UTC days, not 24 hours: 23:30 and 00:30 are two days",
        [soft("s1", at(hours=14, minutes=30)), soft("s2", at(hours=15)), soft("s3", at(hours=15, minutes=30))],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "3 soft within 30 days: yes",
        [soft("s1", at()), soft("s2", at(days=15)), soft("s3", at(days=29))],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "3 soft spread over more than 30 days: no",
        [soft("s1", at()), soft("s2", at(days=15)), soft("s3", at(days=30, minutes=1))],
        ACTIVE,
        [],
    ),
    Row(
        "exactly 30 days apart is outside the window",
        [soft("s1", at()), soft("s2", at(days=15)), soft("s3", at(days=30))],
        ACTIVE,
        [],
    ),
    Row(
        "mixed soft reasons count together",
        [soft("s1", at(), R.MAILBOXFULL), soft("s2", at(days=1), R.SYSTEMERROR), soft("s3", at(days=2), R.SUSPEND)],
        SUPPRESSED,
        [(R.SUSPEND, Category.SOFT)],
    ),
    Row(
        "delivery resets the count",
        [
            soft("s1", at()),
            soft("s2", at(days=1)),
            event("d", R.DELIVERED, at(days=1, hours=2)),
            soft("s3", at(days=2)),
            soft("s4", at(days=3)),
        ],
        ACTIVE,
        [],
    ),
    Row(
        "count restarts after the delivery and escalates again",
        [
            soft("s1", at()),
            soft("s2", at(days=1)),
            event("d", R.DELIVERED, at(days=1, hours=2)),
            soft("s3", at(days=2)),
            soft("s4", at(days=3)),
            soft("s5", at(days=3, hours=1)),
        ],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "an auto-reply proves the mailbox and resets the count",
        [soft("s1", at()), soft("s2", at(days=1)), event("v", R.VACATION, at(days=1, hours=1)), soft("s3", at(days=2))],
        ACTIVE,
        [],
    ),
    Row(
        "late soft bounce from before the delivery never counts",
        [
            soft("s1", at()),
            soft("s2", at(days=1)),
            event("d", R.DELIVERED, at(days=2)),
            soft("s3", at(days=3)),
            soft("late", at(days=1, hours=5)),
        ],
        ACTIVE,
        [],
    ),
    Row(
        "late delivery resets only what came before it",
        [soft("s1", at()), event("d", R.DELIVERED, at(hours=1)), soft("s2", at(days=1)), soft("s3", at(days=2))],
        ACTIVE,
        [],
    ),
    Row(
        "late straggler inside the window completes it",
        [soft("s2", at(days=1)), soft("s3", at(days=2)), soft("s1", at())],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "one message retried all day counts once per day",
        [soft(f"r{i}", at(minutes=15 * i), message_id="m1") for i in range(20)]
        + [soft("r-next", at(days=1), message_id="m1")],
        ACTIVE,
        [],
    ),
    Row(
        "one message failing on 3 days counts 3 times",
        [soft(f"r{i}", at(days=i), message_id="m1") for i in range(3)],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "throttling does not count against the address",
        [soft(f"t{i}", at(days=i), r) for i, r in enumerate([R.RATELIMITED, R.SPEEDING, R.TOOMANYCONN] * 2)],
        ACTIVE,
        [],
    ),
    Row(
        "greylisting does not count against the address",
        [soft(f"g{i}", at(days=i), R.UNDEFINED, diagnostic=GREYLISTED) for i in range(5)],
        ACTIVE,
        [],
    ),
    Row(
        "hostunknown without deliveries is hard",
        [event("h", R.HOSTUNKNOWN, at())],
        SUPPRESSED,
        [(R.HOSTUNKNOWN, Category.HARD)],
    ),
    Row(
        "hostunknown after this address delivered recently is soft",
        [event("d", R.DELIVERED, at()), event("h", R.HOSTUNKNOWN, at(days=6))],
        ACTIVE,
        [],
    ),
    Row(
        "hostunknown after another address of the domain delivered recently is soft",
        [event("d", R.DELIVERED, at(), recipient="alice@example.com"), event("h", R.HOSTUNKNOWN, at(days=3))],
        ACTIVE,
        [],
    ),
    Row(
        "hostunknown after the grace window is hard",
        [event("d", R.DELIVERED, at(), recipient="alice@example.com"), event("h", R.HOSTUNKNOWN, at(days=8))],
        SUPPRESSED,
        [(R.HOSTUNKNOWN, Category.HARD)],
    ),
    Row(
        "a delivery on another domain does not soften hostunknown",
        [event("d", R.DELIVERED, at(), recipient="bob@example.org"), event("h", R.HOSTUNKNOWN, at(days=1))],
        SUPPRESSED,
        [(R.HOSTUNKNOWN, Category.HARD)],
    ),
    Row(
        "a delivery of another tenant does not soften hostunknown",
        [
            event("d", R.DELIVERED, at(), recipient="alice@example.com", tenant="other"),
            event("h", R.HOSTUNKNOWN, at(days=1)),
        ],
        SUPPRESSED,
        [(R.HOSTUNKNOWN, Category.HARD)],
    ),
    Row(
        "softened hostunknown that persists escalates as soft",
        [event("d", R.DELIVERED, at(), recipient="alice@example.com")]
        + [event(f"h{i}", R.HOSTUNKNOWN, at(days=1 + i)) for i in range(3)],
        SUPPRESSED,
        [(R.HOSTUNKNOWN, Category.SOFT)],
    ),
    Row(
        "delivery does not unsuppress",
        [event("h", R.USERUNKNOWN, at()), event("d", R.DELIVERED, at(days=1))],
        SUPPRESSED,
        [(R.USERUNKNOWN, Category.HARD)],
    ),
    Row(
        "hard bounce arriving after a later delivery still suppresses",
        [event("d", R.DELIVERED, at(days=1)), event("h", R.USERUNKNOWN, at())],
        SUPPRESSED,
        [(R.USERUNKNOWN, Category.HARD)],
    ),
    Row(
        "already suppressed: no second record",
        [event("h1", R.USERUNKNOWN, at()), event("h2", R.USERUNKNOWN, at(days=1)), event("c", R.FEEDBACK, at(days=2))],
        SUPPRESSED,
        [(R.USERUNKNOWN, Category.HARD)],
    ),
    Row(
        "soft escalation then hard: one record",
        [soft("s1", at()), soft("s2", at(days=1)), soft("s3", at(days=2)), event("h", R.USERUNKNOWN, at(days=3))],
        SUPPRESSED,
        [(R.MAILBOXFULL, Category.SOFT)],
    ),
    Row(
        "duplicate event ids count once",
        [soft("s1", at()), soft("s1", at()), soft("s2", at(days=1)), soft("s2", at(days=1))],
        ACTIVE,
        [],
    ),
    Row("provider suppression echo records nothing", [event("e", R.SUPPRESSED, at())], ACTIVE, []),
    Row(
        "sent records nothing",
        [event("x", R.DELIVERED, at(), outcome=Outcome.SENT, category=Category.NONE)],
        ACTIVE,
        [],
    ),
    Row(
        "4xx notaccept refined to soft by the classifier is soft",
        [event("n", R.NOTACCEPT, at(), category=Category.SOFT)],
        ACTIVE,
        [],
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_rules(row: Row) -> None:
    result = replay(row.events, CONFIG)
    key = f"default/{ADDRESS}"
    assert result.histories[key].status is row.status
    records = [s for s in result.suppressions if s.address == ADDRESS]
    assert [(s.reason, s.category) for s in records] == row.records
    assert all(s.action is SuppressionAction.SUPPRESS for s in records)


def test_soft_escalation_record_carries_first_and_last_evidence() -> None:
    events = [soft("s1", at()), soft("s2", at(hours=2)), soft("s3", at(days=1))]
    (record,) = replay(events, CONFIG).suppressions
    assert record.first_evidence is not None and record.first_evidence.event_id == "s1"
    assert record.last_evidence is not None and record.last_evidence.event_id == "s3"
    assert record.decided_at == at(days=1)
    assert record.tenant == "default" and record.address == ADDRESS


def test_already_suppressed_refreshes_last_evidence_without_emitting() -> None:
    first = decide(None, event("h1", R.USERUNKNOWN, at()), CONFIG)
    again = decide(first.history, event("h2", R.USERUNKNOWN, at(days=2)), CONFIG)
    assert again.suppression is None and again.effect is Effect.ALREADY_SUPPRESSED
    assert again.history.last_evidence is not None and again.history.last_evidence.event_id == "h2"
    assert again.history.first_evidence == first.history.first_evidence
    assert again.history.transition_id == first.history.transition_id
    older = decide(again.history, event("h0", R.USERUNKNOWN, at(days=-1)), CONFIG)
    assert older.history.last_evidence == again.history.last_evidence  # not moved backwards


@pytest.mark.parametrize(
    ("reason", "outcome", "effect"),
    [
        (R.USERUNKNOWN, Outcome.BOUNCED, Effect.SUPPRESSED),
        (R.MAILBOXFULL, Outcome.DEFERRED, Effect.SOFT),
        (R.BLOCKED, Outcome.BOUNCED, Effect.BLOCK),
        (R.DELIVERED, Outcome.DELIVERED, Effect.DELIVERY),
        (R.SUPPRESSED, Outcome.SUPPRESSED, Effect.ECHO),
    ],
)
def test_effect_and_duplicate(reason: Reason, outcome: Outcome, effect: Effect) -> None:
    e = event("e1", reason, at(), outcome=outcome)
    first = decide(None, e, CONFIG)
    assert first.effect is effect
    second = decide(first.history, e, CONFIG)
    assert second.effect in {Effect.DUPLICATE, Effect.ECHO}
    assert second.history == first.history
    assert second.suppression is None and second.retry is None


def test_transition_id_is_deterministic_and_specific() -> None:
    e = event("h1", R.USERUNKNOWN, at())
    one, two = decide(None, e, CONFIG), decide(None, e, CONFIG)
    assert one.suppression is not None and two.suppression is not None
    assert one.suppression == two.suppression
    assert one.suppression.transition_id == transition_id("default", ADDRESS, 1, "h1")
    other = decide(None, event("h2", R.USERUNKNOWN, at()), CONFIG)
    assert other.suppression is not None
    assert other.suppression.transition_id != one.suppression.transition_id


def test_event_recipient_is_normalized_into_the_key() -> None:
    d = decide(None, event("h", R.USERUNKNOWN, at(), recipient=" <Bob@EXAMPLE.com>"), CONFIG)
    assert d.history.address == ADDRESS
    assert d.suppression is not None and d.suppression.address == ADDRESS


def test_history_of_another_address_is_rejected() -> None:
    h = decide(None, event("h", R.USERUNKNOWN, at()), CONFIG).history
    with pytest.raises(PolicyError, match=r"alice@example\.com"):
        decide(h, event("x", R.USERUNKNOWN, at(), recipient="alice@example.com"), CONFIG)
    with pytest.raises(PolicyError):
        decide(h, event("y", R.USERUNKNOWN, at(), tenant="other"), CONFIG)


def test_unusable_recipient_raises_invalid_address() -> None:
    with pytest.raises(InvalidAddress):
        decide(None, event("x", R.USERUNKNOWN, at(), recipient="not an address"), CONFIG)


@pytest.mark.parametrize(
    ("config", "events", "suppressed"),
    [
        (PolicyConfig(soft_threshold=2, soft_distinct_days=1), [soft("a", at()), soft("b", at(hours=1))], True),
        (PolicyConfig(soft_threshold=5, soft_distinct_days=3), [soft(f"s{i}", at(days=i)) for i in range(4)], False),
        (PolicyConfig(soft_window_days=7), [soft("a", at()), soft("b", at(days=3)), soft("c", at(days=8))], False),
        (
            PolicyConfig(hostunknown_grace_days=0),
            [event("d", R.DELIVERED, at()), event("h", R.HOSTUNKNOWN, at(hours=1))],
            True,
        ),
        (
            PolicyConfig(uncounted_soft_reasons=frozenset()),
            [soft(f"t{i}", at(days=i), R.RATELIMITED) for i in range(3)],
            True,
        ),
        (
            PolicyConfig(count_greylisting=True),
            [soft(f"g{i}", at(days=i), R.UNDEFINED, diagnostic=GREYLISTED) for i in range(3)],
            True,
        ),
    ],
)
def test_config_changes_the_thresholds(config: PolicyConfig, events: list[BounceEvent], suppressed: bool) -> None:
    assert bool(replay(events, config).suppressions) is suppressed


@pytest.mark.parametrize(
    "kwargs",
    [
        {"soft_threshold": 0},
        {"soft_distinct_days": 31, "soft_threshold": 40, "max_soft_kept": 40},
        {"soft_distinct_days": 4},  # more days than bounces
        {"max_soft_kept": 2},
        {"retry_rules": {}},
        {"retry_rules": {"default": {"first_minutes": 1}, "nosuchreason": {"first_minutes": 1}}},
        {"retry_max_age_hours": 0},
        {"no_such_setting": 1},
    ],
)
def test_invalid_config_is_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PolicyConfig(**kwargs)  # type: ignore[arg-type]

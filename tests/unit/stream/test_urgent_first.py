"""Suppressions first: which events lead their batch, and that the batch's decisions do not change."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bounceguard.core.address_step import AddressRecord, step
from bounceguard.core.addresses import address_key, domain_of
from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.suppression_policy import Effect, PolicyConfig, domain_delivery_advances
from bounceguard.stream.urgent_first import Input, urgent_first

T0 = datetime(2026, 3, 1, tzinfo=UTC)
KINDS: list[tuple[Outcome, Reason, Category]] = [
    (Outcome.DELIVERED, Reason.DELIVERED, Category.NONE),
    (Outcome.DELIVERED, Reason.DELIVERED, Category.NONE),
    (Outcome.DELIVERED, Reason.DELIVERED, Category.NONE),
    (Outcome.BOUNCED, Reason.USERUNKNOWN, Category.HARD),
    (Outcome.BOUNCED, Reason.HOSTUNKNOWN, Category.HARD),
    (Outcome.DEFERRED, Reason.MAILBOXFULL, Category.SOFT),
    (Outcome.BOUNCED, Reason.BLOCKED, Category.BLOCK),
    (Outcome.COMPLAINED, Reason.FEEDBACK, Category.COMPLAINT),
    (Outcome.UNSUBSCRIBED, Reason.UNSUBSCRIBED, Category.UNSUBSCRIBE),
    (Outcome.SENT, Reason.DELIVERED, Category.NONE),
]


def _event(n: int, recipient: str, kind: tuple[Outcome, Reason, Category], seconds: int = 0) -> BounceEvent:
    outcome, reason, category = kind
    return BounceEvent(
        event_id=f"e{n}",
        tenant="acme",
        recipient=recipient,
        outcome=outcome,
        source="send-result",
        mailbox="news@sender.example",
        message_id=f"<m{n}@sender.example>",
        occurred_at=T0 + timedelta(seconds=seconds or n),
        reason=reason,
        category=category,
    )


def _input(event: BounceEvent | None, key: str) -> Input:
    return (f"record of {key}", key.encode(), event)


DELIVERED, HARD, HOSTUNKNOWN, SOFT, BLOCK, COMPLAINT, UNSUBSCRIBE = (KINDS[i] for i in (0, 3, 4, 5, 6, 7, 8))


def test_a_hard_bounce_at_the_end_leads_and_the_rest_keep_their_order() -> None:
    inputs = [_input(_event(n, f"u{n}@a.example", DELIVERED), f"k{n}") for n in range(5)]
    inputs.append(_input(_event(9, "late@a.example", HARD), "late"))
    ordered, leading = urgent_first(inputs)
    assert leading == 1
    assert [key for _, key, _ in ordered] == [b"late", b"k0", b"k1", b"k2", b"k3", b"k4"]


def test_an_address_with_an_earlier_event_in_the_batch_keeps_its_place() -> None:
    inputs = [
        _input(_event(1, "bob@a.example", SOFT), "bob"),
        _input(_event(2, "ann@a.example", DELIVERED), "ann"),
        _input(_event(3, "bob@a.example", HARD), "bob"),
        _input(_event(4, "cat@a.example", COMPLAINT), "cat"),
    ]
    ordered, leading = urgent_first(inputs)
    assert leading == 1
    assert [event.event_id for _, _, event in ordered if event] == ["e4", "e1", "e2", "e3"]


@pytest.mark.parametrize(
    ("kind", "leads"),
    [(HARD, True), (COMPLAINT, True), (UNSUBSCRIBE, True), (HOSTUNKNOWN, False), (SOFT, False), (BLOCK, False)],
)
def test_which_events_lead(kind: tuple[Outcome, Reason, Category], leads: bool) -> None:
    inputs = [_input(_event(1, "ann@a.example", DELIVERED), "ann"), _input(_event(2, "bob@b.example", kind), "bob")]
    ordered, leading = urgent_first(inputs)
    assert leading == int(leads)
    assert ordered[0][1] == (b"bob" if leads else b"ann")


def test_records_not_parsed_yet_stay_and_hold_back_their_key() -> None:
    inputs = [
        _input(None, "bob"),
        _input(_event(2, "ann@a.example", DELIVERED), "ann"),
        _input(_event(3, "bob@a.example", HARD), "bob"),
    ]
    assert urgent_first(inputs) == (inputs, 0)


def test_a_batch_already_in_order_is_returned_as_it_is() -> None:
    inputs = [_input(_event(1, "bob@a.example", HARD), "bob"), _input(_event(2, "ann@a.example", DELIVERED), "ann")]
    ordered, leading = urgent_first(inputs)
    assert ordered is inputs and leading == 1


def _decide_all(inputs: list[Input]) -> tuple[dict[bytes, AddressRecord], list[Any]]:
    """The address stage's loop over one batch, pure: states per key, and the decisions' outputs."""
    config = PolicyConfig()
    states: dict[bytes, AddressRecord] = {}
    domains: dict[str, datetime] = {}
    outputs = []
    for _, key, event in inputs:
        assert event is not None
        domain = domain_of(event.recipient)
        result = step(states.get(key), event, config, domain_last_delivery=domains.get(domain))
        states[key] = result.record
        if result.decision.effect is Effect.DELIVERY and domain_delivery_advances(
            domains.get(domain), event.occurred_at
        ):
            domains[domain] = event.occurred_at
        outputs.append((key, result.decision.effect, result.suppression, result.retry))
    return states, outputs


@pytest.mark.parametrize("seed", range(30))
def test_deciding_urgent_first_gives_the_decisions_of_the_batch_order(seed: int) -> None:
    rng = random.Random(seed)
    recipients = [f"user{i}@d{i % 3}.example" for i in range(12)]  # few addresses and domains: many collisions
    inputs = []
    for n in range(60):
        recipient = rng.choice(recipients)
        event = _event(n, recipient, rng.choice(KINDS), seconds=rng.randrange(1, 4000))
        inputs.append(_input(event, address_key("acme", recipient)))
    ordered, leading = urgent_first(inputs)
    assert leading > 0 and ordered is not inputs  # every seed moves some
    in_order_states, in_order_outputs = _decide_all(inputs)
    urgent_states, urgent_outputs = _decide_all(list(ordered))
    assert urgent_states == in_order_states
    assert sorted(map(repr, urgent_outputs)) == sorted(map(repr, in_order_outputs))

"""Manual suppress / unsuppress: the only way back, and not undone by old evidence."""

from __future__ import annotations

import pytest

from bounceguard.core.address_history import AddressHistory, AddressStatus
from bounceguard.core.addresses import InvalidAddress, InvalidTenant
from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import SuppressionAction
from bounceguard.core.suppression_policy import Decision, Effect, PolicyConfig, PolicyError, decide, manual_change

from .policy_events import ADDRESS, at, event

CONFIG = PolicyConfig()
SUPPRESS, UNSUPPRESS = SuppressionAction.SUPPRESS, SuppressionAction.UNSUPPRESS


def manual(history: AddressHistory | None, action: SuppressionAction, when_days: float, eid: str) -> Decision:
    return manual_change(
        history,
        tenant="default",
        address="Bob@Example.com",
        action=action,
        actor="ops@sender.example",
        note="ticket 42",
        at=at(days=when_days),
        event_id=eid,
    )


def suppressed_by_hard() -> AddressHistory:
    return decide(None, event("h1", Reason.USERUNKNOWN, at()), CONFIG).history


def test_unsuppress_emits_a_record_and_reactivates() -> None:
    d = manual(suppressed_by_hard(), UNSUPPRESS, 1, "m1")
    assert d.effect is Effect.UNSUPPRESSED
    assert d.history.status is AddressStatus.ACTIVE and d.history.actor == "ops@sender.example"
    assert d.suppression is not None
    assert d.suppression.action is UNSUPPRESS
    assert (d.suppression.actor, d.suppression.note) == ("ops@sender.example", "ticket 42")
    assert d.suppression.address == ADDRESS and d.suppression.decided_at == at(days=1)
    assert d.history.transitions == 2


@pytest.mark.parametrize(
    ("late_event", "effect", "status"),
    [
        # the very same hard bounce re-delivered: a duplicate
        (event("h1", Reason.USERUNKNOWN, at()), Effect.DUPLICATE, AddressStatus.ACTIVE),
        # another bounce from before the unsuppress, arriving late: the operator saw it
        (event("h0", Reason.USERUNKNOWN, at(hours=5)), Effect.OVERRIDDEN, AddressStatus.ACTIVE),
        (event("c0", Reason.FEEDBACK, at(hours=5)), Effect.OVERRIDDEN, AddressStatus.ACTIVE),
        # new evidence after the unsuppress: suppress again
        (event("h2", Reason.USERUNKNOWN, at(days=2)), Effect.SUPPRESSED, AddressStatus.SUPPRESSED),
    ],
)
def test_evidence_after_unsuppress(late_event: object, effect: Effect, status: AddressStatus) -> None:
    h = manual(suppressed_by_hard(), UNSUPPRESS, 1, "m1").history
    d = decide(h, late_event, CONFIG)  # type: ignore[arg-type]
    assert d.effect is effect and d.history.status is status
    assert (d.suppression is not None) is (effect is Effect.SUPPRESSED)


def test_resuppression_gets_a_new_transition_id() -> None:
    first = decide(None, event("h1", Reason.USERUNKNOWN, at()), CONFIG)
    unsup = manual(first.history, UNSUPPRESS, 1, "m1")
    again = decide(unsup.history, event("h2", Reason.USERUNKNOWN, at(days=2)), CONFIG)
    ids = [r.transition_id for r in (first.suppression, unsup.suppression, again.suppression) if r]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert again.history.transitions == 3


def test_soft_bounces_before_unsuppress_no_longer_count() -> None:
    h = None
    for i, day in enumerate([0, 1, 2]):
        h = decide(h, event(f"s{i}", Reason.MAILBOXFULL, at(days=day)), CONFIG).history
    assert h is not None and h.status is AddressStatus.SUPPRESSED
    h = manual(h, UNSUPPRESS, 3, "m1").history
    h = decide(h, event("s3", Reason.MAILBOXFULL, at(days=4)), CONFIG).history
    h = decide(h, event("s4", Reason.MAILBOXFULL, at(days=5)), CONFIG).history
    assert h.status is AddressStatus.ACTIVE
    d = decide(h, event("s5", Reason.MAILBOXFULL, at(days=6)), CONFIG)
    assert d.effect is Effect.SUPPRESSED


def test_unsuppress_of_an_active_address_resets_the_soft_count() -> None:
    h = decide(None, event("s1", Reason.MAILBOXFULL, at()), CONFIG).history
    h = decide(h, event("s2", Reason.MAILBOXFULL, at(days=1)), CONFIG).history
    d = manual(h, UNSUPPRESS, 1.5, "m1")
    assert d.effect is Effect.RESET and d.suppression is None
    assert d.history.soft_bounces == ()
    after = decide(d.history, event("s3", Reason.MAILBOXFULL, at(days=2)), CONFIG)
    assert after.effect is Effect.SOFT


def test_manual_suppress_then_again() -> None:
    d = manual(None, SUPPRESS, 0, "m1")
    assert d.effect is Effect.SUPPRESSED and d.suppression is not None
    assert d.suppression.reason is None and d.suppression.category is None
    assert d.suppression.actor == "ops@sender.example"
    again = manual(d.history, SUPPRESS, 1, "m2")
    assert again.effect is Effect.ALREADY_SUPPRESSED and again.suppression is None
    # a hard bounce on a manually suppressed address adds evidence, no record
    hard = decide(again.history, event("h", Reason.USERUNKNOWN, at(days=2)), CONFIG)
    assert hard.suppression is None and hard.history.last_evidence is not None
    assert hard.history.category is None  # still the manual suppression


def test_manual_change_replayed_is_a_duplicate() -> None:
    d = manual(suppressed_by_hard(), UNSUPPRESS, 1, "m1")
    again = manual(d.history, UNSUPPRESS, 1, "m1")
    assert again.effect is Effect.DUPLICATE and again.history == d.history


def test_unsuppress_of_a_fresh_address_is_only_a_reset() -> None:
    d = manual(None, UNSUPPRESS, 0, "m1")
    assert d.effect is Effect.RESET and d.history.status is AddressStatus.ACTIVE


@pytest.mark.parametrize(
    ("tenant", "address", "error"),
    [("bad tenant", "bob@example.com", InvalidTenant), ("default", "bob", InvalidAddress)],
)
def test_manual_change_validates_the_key(tenant: str, address: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        manual_change(
            None, tenant=tenant, address=address, action=SUPPRESS, actor="a", note=None, at=at(), event_id="m1"
        )


def test_manual_change_rejects_a_foreign_history() -> None:
    with pytest.raises(PolicyError):
        manual_change(
            suppressed_by_hard(),
            tenant="default",
            address="alice@example.com",
            action=UNSUPPRESS,
            actor="a",
            note=None,
            at=at(),
            event_id="m1",
        )


def test_suppression_reason_category_survive_in_history() -> None:
    h = decide(None, event("c", Reason.FEEDBACK, at()), CONFIG).history
    assert (h.reason, h.category, h.since) == (Reason.FEEDBACK, Category.COMPLAINT, at())

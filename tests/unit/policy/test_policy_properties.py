"""Properties over arbitrary event sequences: idempotence, blocks never suppress, no double records."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bounceguard.core.address_history import AddressStatus, history_from_json, history_to_json
from bounceguard.core.categories import REASON_CATEGORY, Category, Reason
from bounceguard.core.models import BounceEvent, Outcome, SuppressionAction
from bounceguard.core.suppression_policy import PolicyConfig, decide, manual_change, replay

from .policy_events import T0, event

CONFIG = PolicyConfig()
RECIPIENTS = ["bob@example.com", "Alice@Example.com", "carol@example.org"]
BLOCK_REASONS = sorted(r for r, c in REASON_CATEGORY.items() if c is Category.BLOCK)
DIAGNOSTICS = [None, "451 4.7.1 Greylisting in action", "452 4.2.2 Mailbox full", "try again later"]


@st.composite
def events(draw: st.DrawFn, reasons: list[Reason] | None = None, max_size: int = 40) -> list[BounceEvent]:
    """Unique event ids; times out of order over 60 days; a few shared message ids."""
    pool = reasons if reasons is not None else list(Reason)
    size = draw(st.integers(min_value=0, max_value=max_size))
    result = []
    for i in range(size):
        reason = draw(st.sampled_from(pool))
        category = REASON_CATEGORY[reason]
        outcome = None
        if category is Category.SOFT or category is Category.BLOCK:
            outcome = draw(st.sampled_from([Outcome.DEFERRED, Outcome.BOUNCED]))
        result.append(
            event(
                f"e{i}",
                reason,
                T0 + timedelta(minutes=draw(st.integers(min_value=0, max_value=60 * 24 * 60))),
                recipient=draw(st.sampled_from(RECIPIENTS)),
                outcome=outcome,
                message_id=draw(st.sampled_from([None, "m1", "m2", "m3", "auto"])),
                diagnostic=draw(st.sampled_from(DIAGNOSTICS)),
            )
        )
    return result


@st.composite
def with_duplicates(draw: st.DrawFn) -> tuple[list[BounceEvent], list[BounceEvent]]:
    """(sequence, the same sequence with every event delivered a second time at a random later spot)."""
    seq = draw(events())
    doubled: list[BounceEvent] = []
    pending: list[BounceEvent] = []
    for e in seq:
        doubled.append(e)
        pending.append(e)
        # flush some of the pending repeats, in shuffled order
        while pending and draw(st.booleans()):
            doubled.append(pending.pop(draw(st.integers(min_value=0, max_value=len(pending) - 1))))
    doubled.extend(draw(st.permutations(pending)))
    return seq, doubled


@settings(max_examples=150, deadline=None)
@given(with_duplicates())
def test_every_event_twice_decides_the_same_as_once(pair: tuple[list[BounceEvent], list[BounceEvent]]) -> None:
    once, twice = replay(pair[0], CONFIG), replay(pair[1], CONFIG)
    assert twice.suppressions == once.suppressions
    assert twice.retries == once.retries
    assert twice.histories == once.histories


@settings(max_examples=100, deadline=None)
@given(events())
def test_replay_is_deterministic(seq: list[BounceEvent]) -> None:
    assert replay(seq, CONFIG) == replay(seq, CONFIG)


@settings(max_examples=150, deadline=None)
@given(events(reasons=BLOCK_REASONS))
def test_block_only_never_suppresses(seq: list[BounceEvent]) -> None:
    result = replay(seq, CONFIG)
    assert result.suppressions == []
    assert all(h.status is AddressStatus.ACTIVE for h in result.histories.values())
    assert all(h.soft_bounces == () for h in result.histories.values())


@settings(max_examples=150, deadline=None)
@given(events())
def test_at_most_one_suppression_per_address_without_manual_changes(seq: list[BounceEvent]) -> None:
    result = replay(seq, CONFIG)
    per_key: dict[str, int] = defaultdict(int)
    for record in result.suppressions:
        per_key[f"{record.tenant}/{record.address}"] += 1
        assert record.action is SuppressionAction.SUPPRESS
    assert all(n == 1 for n in per_key.values())
    suppressed = {k for k, h in result.histories.items() if h.status is AddressStatus.SUPPRESSED}
    assert suppressed == set(per_key)


@settings(max_examples=100, deadline=None)
@given(events(), st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.integers(0, 60)), max_size=6))
def test_records_alternate_with_manual_changes(seq: list[BounceEvent], manual: list[tuple[int, bool, int]]) -> None:
    """Interleave manual changes; records per address alternate suppress/unsuppress, ids unique."""
    histories: dict[str, object] = {}
    actions: dict[str, list[SuppressionAction]] = defaultdict(list)
    ids: list[str] = []
    changes = sorted(manual)
    for index, e in enumerate(seq):
        while changes and changes[0][0] <= index:
            _, suppress, day = changes.pop(0)
            key = "default/bob@example.com"
            d = manual_change(
                histories.get(key),  # type: ignore[arg-type]
                tenant="default",
                address="bob@example.com",
                action=SuppressionAction.SUPPRESS if suppress else SuppressionAction.UNSUPPRESS,
                actor="ops",
                note=None,
                at=T0 + timedelta(days=day),
                event_id=f"manual-{index}-{day}-{suppress}",
            )
            histories[key] = d.history
            if d.suppression:
                actions[key].append(d.suppression.action)
                ids.append(d.suppression.transition_id)
        key = f"{e.tenant}/{e.recipient.lower()}"
        d = decide(histories.get(key), e, CONFIG)  # type: ignore[arg-type]
        histories[key] = d.history
        if d.suppression:
            actions[key].append(d.suppression.action)
            ids.append(d.suppression.transition_id)
    assert len(ids) == len(set(ids))
    for sequence in actions.values():
        expected = [SuppressionAction.SUPPRESS, SuppressionAction.UNSUPPRESS] * len(sequence)
        assert sequence == expected[: len(sequence)]


@settings(max_examples=100, deadline=None)
@given(events())
def test_history_json_round_trip_and_bounds(seq: list[BounceEvent]) -> None:
    for history in replay(seq, CONFIG).histories.values():
        assert history_from_json(history_to_json(history)) == history
        assert len(history.soft_bounces) <= CONFIG.max_soft_kept
        assert len(history.seen) <= CONFIG.max_seen_ids
        assert len(history.pending) <= CONFIG.max_pending_messages

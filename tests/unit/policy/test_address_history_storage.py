"""AddressHistory as stored in the table: JSON round trip, typed errors, bounded size."""

from __future__ import annotations

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bounceguard.core.address_history import (
    AddressHistory,
    AddressStatus,
    InvalidHistory,
    history_from_json,
    history_to_json,
)
from bounceguard.core.categories import Reason
from bounceguard.core.models import Outcome
from bounceguard.core.suppression_policy import PolicyConfig, decide, replay

from .policy_events import T0, at, event

CONFIG = PolicyConfig()


def test_round_trip_of_a_suppressed_history() -> None:
    events = [event(f"s{i}", Reason.MAILBOXFULL, at(days=i), message_id=f"m{i}") for i in range(3)]
    events.append(event("d", Reason.DELIVERED, at(days=4)))
    history = next(iter(replay(events, CONFIG).histories.values()))
    assert history.status is AddressStatus.SUPPRESSED and history.first_evidence is not None
    data = history_to_json(history)
    assert history_from_json(data) == history
    assert history_from_json(data.decode()) == history


def test_round_trip_keeps_time_zones_as_instants() -> None:
    e = event("h", Reason.USERUNKNOWN, at()).model_copy(update={"occurred_at": at().astimezone(ZoneInfo("Asia/Tokyo"))})
    history = decide(None, e, CONFIG).history
    assert history_from_json(history_to_json(history)).since == at()


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"[]", b'{"tenant": "t"}', b'{"tenant": "t", "address": "a@b", "status": "maybe"}'],
)
def test_corrupt_value_raises_invalid_history(data: bytes) -> None:
    with pytest.raises(InvalidHistory):
        history_from_json(data)


def test_unknown_fields_from_a_newer_version_are_ignored() -> None:
    data = b'{"tenant": "t", "address": "a@b.example", "added_later": 1}'
    assert history_from_json(data) == AddressHistory(tenant="t", address="a@b.example")


@pytest.mark.parametrize(
    "reasons",
    [
        # mixed traffic: suppressed early, evidence keeps arriving
        [Reason.MAILBOXFULL, Reason.RATELIMITED, Reason.SYSTEMERROR, Reason.BLOCKED, Reason.DELIVERED],
        # throttling only: never escalates, so every list fills up to its cap
        [Reason.RATELIMITED, Reason.SPEEDING],
    ],
    ids=["mixed", "throttled"],
)
def test_ten_thousand_events_for_one_address_stay_bounded(reasons: list[Reason]) -> None:
    rng = random.Random(7)
    history = None
    sizes = []
    for i in range(10_000):
        reason = rng.choice(reasons)
        e = event(
            f"evt-{i:05d}-" + "x" * 40,  # long ids: the ring stores fixed-size digests
            reason,
            T0 + timedelta(minutes=7 * i + rng.randint(-120, 120)),  # some arrive out of order
            message_id=f"<{rng.randint(0, 5000)}.{i % 97}@sender.example>",
            outcome=Outcome.DEFERRED if reason is not Reason.DELIVERED else None,
        )
        history = decide(history, e, CONFIG).history
        if i % 1000 == 999:
            sizes.append(len(history_to_json(history)))
    assert history is not None
    assert len(history.soft_bounces) <= CONFIG.max_soft_kept
    assert len(history.seen) == CONFIG.max_seen_ids
    assert len(history.pending) <= CONFIG.max_pending_messages
    assert max(sizes) < 24_000
    assert max(sizes) - min(sizes) < 8_000  # no growth with volume
    assert history_from_json(history_to_json(history)) == history

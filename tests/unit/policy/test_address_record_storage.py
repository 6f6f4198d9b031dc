"""AddressRecord as the stream stores it: compact JSON that decodes to an equal record."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import orjson
import pytest

from bounceguard.core.address_history import InvalidHistory, history_to_builtins
from bounceguard.core.address_step import AddressRecord, record_from_json, record_to_json, step
from bounceguard.core.categories import Reason
from bounceguard.core.suppression_policy import PolicyConfig

from .policy_events import at, event

CONFIG = PolicyConfig()
REASONS = [Reason.DELIVERED, Reason.MAILBOXFULL, Reason.USERUNKNOWN, Reason.BLOCKED, Reason.FEEDBACK]


def _records(seed: int, n: int) -> list[AddressRecord]:
    rng = random.Random(seed)
    record: AddressRecord | None = None
    out = []
    for i in range(n):
        reason = rng.choice(REASONS)
        record = step(
            record, event(f"e{i}", reason, at(hours=i * rng.random() * 30), message_id=f"m{i % 5}"), CONFIG
        ).record
        out.append(record)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_every_record_of_a_random_history_round_trips(seed: int) -> None:
    for record in _records(seed, 40):
        data = record_to_json(record)
        assert record_from_json(data) == record
        assert record_from_json(data.decode()) == record


def test_defaults_are_left_out_and_the_full_form_still_decodes() -> None:
    record = step(None, event("d", Reason.DELIVERED, at()), CONFIG).record
    compact = orjson.loads(record_to_json(record))
    assert "status" not in compact["history"] and "soft_bounces" not in compact["history"]
    assert compact["history"]["address"] == "bob@example.com"
    full = orjson.dumps({"history": history_to_builtins(record.history), "attempted": record.attempted})
    assert b'"status":"active"' in full and b'"soft_bounces":[]' in full
    assert len(record_to_json(record)) < len(full)
    assert record_from_json(full) == record


# A record as the pydantic-based version of the table wrote it (the full form, before change 20).
_OLD_FULL_FORM = (
    b'{"history":{"tenant":"acme","address":"bob@example.com","status":"suppressed","reason":"userunknown",'
    b'"category":"hard","since":"2025-01-01T00:00:00Z","first_evidence":{"event_id":"h","at":"2025-01-01T00:00:00Z",'
    b'"reason":"userunknown","mailbox":null,"message_id":null},"last_evidence":{"event_id":"h",'
    b'"at":"2025-01-01T00:00:00Z","reason":"userunknown","mailbox":null,"message_id":null},"actor":null,'
    b'"transition_id":"0123456789abcdef0123456789abcdef","transitions":1,"last_delivery_at":null,"cleared_at":null,'
    b'"newest_event_at":"2025-01-01T00:00:00Z","soft_bounces":[],"pending":[],"seen":["00112233aabbccdd"]},'
    b'"attempted":["8899aabbccddeeff"]}'
)


def test_a_record_in_the_old_full_form_decodes_and_is_rewritten_compact() -> None:
    record = record_from_json(_OLD_FULL_FORM)
    assert record.history.suppressed and record.history.reason is Reason.USERUNKNOWN
    evidence = record.history.first_evidence
    assert evidence is not None and evidence.at == datetime(2025, 1, 1, tzinfo=UTC)
    assert record.history.seen == ("00112233aabbccdd",) and record.attempted == ("8899aabbccddeeff",)
    compact = record_to_json(record)
    assert b"null" not in compact and record_from_json(compact) == record


def test_a_suppressed_record_keeps_its_status() -> None:
    record = _records(1, 1)[0]
    for i, reason in enumerate([Reason.USERUNKNOWN]):
        record = step(record, event(f"h{i}", reason, at(days=3)), CONFIG).record
    assert record.history.suppressed
    assert record_from_json(record_to_json(record)).history.suppressed


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{}",
        b'{"history": {"tenant": "t"}}',
        b"[1]",
        b'{"history": {"tenant": "t", "address": "a@b.example", "since": "2025-01-01T00:00:00"}}',  # no offset
        b'{"history": {"tenant": "t", "address": "a@b.example", "reason": "no-such-reason"}}',
        b'{"history": {"tenant": "t", "address": "a@b.example", "seen": "abc"}}',
    ],
)
def test_bytes_that_are_not_a_record_raise(data: bytes) -> None:
    with pytest.raises(InvalidHistory):
        record_from_json(data)

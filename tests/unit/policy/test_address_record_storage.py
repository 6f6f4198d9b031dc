"""AddressRecord as the stream stores it: compact JSON that decodes to an equal record."""

from __future__ import annotations

import random

import orjson
import pytest
from pydantic import ValidationError

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
    full = record.model_dump_json().encode()
    assert len(record_to_json(record)) < len(full)
    assert record_from_json(full) == record


def test_a_suppressed_record_keeps_its_status() -> None:
    record = _records(1, 1)[0]
    for i, reason in enumerate([Reason.USERUNKNOWN]):
        record = step(record, event(f"h{i}", reason, at(days=3)), CONFIG).record
    assert record.history.suppressed
    assert record_from_json(record_to_json(record)).history.suppressed


@pytest.mark.parametrize("data", [b"", b"{}", b'{"history": {"tenant": "t"}}', b"[1]"])
def test_bytes_that_are_not_a_record_raise(data: bytes) -> None:
    with pytest.raises(ValidationError):
        record_from_json(data)

"""The client examples' pure parts, and the sample event file they publish by default."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.models import (
    Outcome,
    SendResult,
    Suppression,
    SuppressionAction,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


publisher = _load("publish_send_results")
follower = _load("follow_suppressions")
generator = _load("make_sample_events")

SAMPLE = [SendResult.model_validate_json(line) for line in (EXAMPLES / "sample_events.jsonl").read_text().splitlines()]


# --- sample_events.jsonl ----------------------------------------------------------------


def test_sample_file_is_the_generators_output() -> None:
    assert generator.main(["--check"]) == 0


def test_sample_size_and_shape() -> None:
    # Enough volume per segment for the trend windows to reach the alerting minimum.
    assert 2800 <= len(SAMPLE) <= 3000
    assert len({r.mailbox for r in SAMPLE}) == 4
    assert len({r.segment for r in SAMPLE}) == 5
    outcomes = Counter(r.outcome for r in SAMPLE)
    assert outcomes[Outcome.DELIVERED] > len(SAMPLE) / 2


def test_sample_times_lie_in_the_days_before_the_reference() -> None:
    reference = generator.REFERENCE_TIME
    # One day of traffic, plus the persistent soft bounces that start the day before.
    assert all(reference - r.timestamp <= generator.timedelta(days=2) for r in SAMPLE)
    assert all(r.timestamp < reference for r in SAMPLE)
    assert sum(reference - r.timestamp <= generator.timedelta(days=1) for r in SAMPLE) > 0.99 * len(SAMPLE)


def _failure_rate(segment: str) -> float:
    """Final failures (hard bounces and blocks) per attempt; deferrals are retried."""
    rows = [r for r in SAMPLE if r.segment == segment]
    return sum(r.outcome is Outcome.BOUNCED for r in rows) / len(rows)


def test_one_segment_is_clearly_bad() -> None:
    bad = _failure_rate(generator.BAD_SEGMENT)
    others = [_failure_rate(s) for s in generator.SEGMENTS if s != generator.BAD_SEGMENT]
    assert bad > 0.15
    assert bad > 3 * max(others)


@pytest.mark.parametrize(
    ("needle", "minimum"),
    [
        ("p=NoSuchUser", 1),  # Gmail user unknown
        ("mailbox unavailable", 1),  # Outlook.com user unknown
        ("RecipientNotFound", 1),  # Exchange Online
        ("doesn't have a yahoo.com account", 1),  # Yahoo user unknown
        ("out of storage space", 1),  # Gmail mailbox full
        ("Greylisted", 1),
        ("zen.spamhaus.org", 1),
        ("DMARC policy", 1),
        ("on our block list", 1),
    ],
)
def test_sample_carries_each_receivers_wording(needle: str, minimum: int) -> None:
    assert sum(needle in (r.diagnostic or "") for r in SAMPLE) >= minimum


def test_some_addresses_soft_bounce_three_times_on_two_days() -> None:
    soft = defaultdict(list)
    for r in SAMPLE:
        if r.outcome is Outcome.DEFERRED and r.reply_code and r.reply_code // 100 == 4:
            soft[r.recipient].append(r.timestamp.date())
    repeaters = [days for days in soft.values() if len(days) == 3 and len(set(days)) == 2]
    assert len(repeaters) >= 3


def test_sample_has_one_redelivered_duplicate() -> None:
    ids = Counter(r.event_id for r in SAMPLE)
    assert sorted(n for n in ids.values() if n > 1) == [2]


# --- publish_send_results.py ------------------------------------------------------------

GOOD = '{"recipient": "a@example.com", "outcome": "delivered", "timestamp": "2025-06-01T10:00:00Z"}'


@pytest.mark.parametrize(
    ("lines", "good", "bad_lines"),
    [
        ([GOOD], 1, []),
        ([GOOD, "", "  ", GOOD], 2, []),
        ([GOOD, "not json"], 1, [2]),
        (['{"recipient": "a@example.com", "outcome": "exploded", "timestamp": "2025-06-01T10:00:00Z"}'], 0, [1]),
        (['{"recipient": "a@example.com", "outcome": "delivered"}'], 0, [1]),  # no event time
        (['{"recipient": "a@example.com", "outcome": "delivered", "timestamp": "2025-06-01T10:00:00"}'], 0, [1]),
        (["[1, 2]", GOOD], 1, [1]),
    ],
)
def test_read_results(lines: list[str], good: int, bad_lines: list[int]) -> None:
    parsed = list(publisher.read_results(lines))
    assert sum(isinstance(p, SendResult) for p in parsed) == good
    assert [p.lineno for p in parsed if isinstance(p, publisher.BadLine)] == bad_lines


def test_shift_to_keeps_spacing_and_ends_at_target() -> None:
    end = datetime(2030, 1, 1, tzinfo=UTC)
    shifted = publisher.shift_to(SAMPLE, end)
    assert max(r.timestamp for r in shifted) == end
    assert [b.timestamp - a.timestamp for a, b in itertools.pairwise(SAMPLE)] == [
        b.timestamp - a.timestamp for a, b in itertools.pairwise(shifted)
    ]
    assert publisher.shift_to([], end) == []


@pytest.mark.parametrize(
    ("tenant", "recipient", "key"),
    [
        ("default", "Alice@Example.COM", b"default/alice@example.com"),
        ("acme", "bob@example.org", b"acme/bob@example.org"),
    ],
)
def test_record_key_is_tenant_slash_normalized_address(tenant: str, recipient: str, key: bytes) -> None:
    result = SendResult(tenant=tenant, recipient=recipient, outcome=Outcome.DELIVERED, timestamp=datetime.now(UTC))
    assert publisher.record_key(result) == key


def test_encode_round_trips() -> None:
    for result in SAMPLE[:20]:
        assert SendResult.model_validate_json(publisher.encode(result)) == result
        assert "null" not in publisher.encode(result).decode()


def test_main_refuses_invalid_file_without_publishing(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(GOOD + "\n{oops\n")
    assert publisher.main([str(path), "--bootstrap", "127.0.0.1:1"]) == 1


def test_main_reports_missing_file(tmp_path: Path) -> None:
    assert publisher.main([str(tmp_path / "absent.jsonl")]) == 2


# --- follow_suppressions.py -------------------------------------------------------------

AT = "2025-06-01T10:00:00Z"


def _decision(address: str, action: SuppressionAction, reason: Reason | None = Reason.USERUNKNOWN) -> bytes:
    return (
        Suppression(
            transition_id=f"t-{address}-{action}",
            address=address,
            action=action,
            reason=reason,
            decided_at=datetime.fromisoformat(AT),
        )
        .model_dump_json()
        .encode()
    )


S, U = SuppressionAction.SUPPRESS, SuppressionAction.UNSUPPRESS
A, B = b"default/a@example.com", b"default/b@example.com"


@pytest.mark.parametrize(
    ("records", "suppressed", "invalid"),
    [
        ([(A, _decision("a@example.com", S))], {"default/a@example.com"}, 0),
        ([(A, _decision("a@example.com", S)), (A, _decision("a@example.com", U))], set(), 0),
        ([(A, _decision("a@example.com", U)), (A, _decision("a@example.com", S))], {"default/a@example.com"}, 0),
        ([(A, _decision("a@example.com", S)), (A, None)], set(), 0),  # tombstone: erased
        ([(A, None)], set(), 0),  # tombstone for an unknown key is harmless
        (
            [(A, _decision("a@example.com", S)), (B, _decision("b@example.com", S)), (A, None)],
            {"default/b@example.com"},
            0,
        ),
        ([(A, b"{not json"), (B, _decision("b@example.com", S))], {"default/b@example.com"}, 1),
        ([(None, _decision("a@example.com", S))], set(), 1),  # keyless record cannot be placed
        ([(A, _decision("a@example.com", S, reason=None))], {"default/a@example.com"}, 0),  # manual
    ],
)
def test_suppression_set_latest_per_key_wins(
    records: list[tuple[bytes | None, bytes | None]], suppressed: set[str], invalid: int
) -> None:
    state = follower.SuppressionSet().apply_all(records)
    assert set(state.entries) == suppressed
    assert state.invalid == invalid
    assert len(state) == len(suppressed)


def test_by_reason_counts_manual_separately() -> None:
    state = follower.SuppressionSet().apply_all(
        [
            (A, _decision("a@example.com", S, Reason.USERUNKNOWN)),
            (B, _decision("b@example.com", S, None)),
        ]
    )
    assert state.by_reason() == Counter({"userunknown": 1, "manual": 1})
    assert json.dumps(sorted(state.by_reason())) == '["manual", "userunknown"]'

"""Event times are held in UTC, whatever offset the producer wrote them with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome

_BASE = {
    "event_id": "e1",
    "recipient": "bob@example.com",
    "outcome": "bounced",
    "source": "send-result",
    "reason": Reason.USERUNKNOWN,
    "category": Category.HARD,
}


@pytest.mark.parametrize("raw", ["2025-03-03T18:00:00+09:00", "2025-03-03T09:00:00Z", "2025-03-03T04:00:00-05:00"])
def test_an_offset_becomes_the_same_instant_in_utc(raw: str) -> None:
    event = BounceEvent.model_validate({**_BASE, "occurred_at": raw, "first_attempt_at": raw})
    assert event.occurred_at.tzinfo is UTC and event.first_attempt_at is not None
    assert event.first_attempt_at.tzinfo is UTC
    assert event.occurred_at == datetime(2025, 3, 3, 9, tzinfo=UTC)


def test_a_datetime_object_is_converted_too() -> None:
    tokyo = datetime(2025, 3, 3, 18, tzinfo=timezone(timedelta(hours=9)))
    event = BounceEvent(**_BASE, occurred_at=tokyo)  # type: ignore[arg-type]
    assert event.occurred_at.tzinfo is UTC and event.occurred_at == tokyo
    assert event.outcome is Outcome.BOUNCED
    assert event.model_dump_json().count("09:00:00Z") == 1


def test_a_time_without_offset_is_still_rejected() -> None:
    with pytest.raises(ValidationError):
        BounceEvent.model_validate({**_BASE, "occurred_at": "2025-03-03T09:00:00"})

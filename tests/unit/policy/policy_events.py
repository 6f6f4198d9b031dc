"""Builders for BounceEvents in policy tests: one short call per row of a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bounceguard.core.categories import REASON_CATEGORY, Category, Reason
from bounceguard.core.models import BounceEvent, Outcome

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
ADDRESS = "bob@example.com"

_OUTCOME_OF: dict[Reason, Outcome] = {
    Reason.DELIVERED: Outcome.DELIVERED,
    Reason.FEEDBACK: Outcome.COMPLAINED,
    Reason.UNSUBSCRIBED: Outcome.UNSUBSCRIBED,
    Reason.SUPPRESSED: Outcome.SUPPRESSED,
}


def at(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours, minutes=minutes)


def event(
    event_id: str,
    reason: Reason,
    when: datetime,
    *,
    recipient: str = ADDRESS,
    tenant: str = "default",
    outcome: Outcome | None = None,
    category: Category | None = None,
    message_id: str | None = "auto",
    diagnostic: str | None = None,
    first_attempt_at: datetime | None = None,
    mailbox: str | None = "news@sender.example",
) -> BounceEvent:
    """An event whose outcome and category follow from the reason unless given."""
    cat = category if category is not None else REASON_CATEGORY[reason]
    if outcome is None:
        outcome = _OUTCOME_OF.get(reason, Outcome.DEFERRED if cat is Category.SOFT else Outcome.BOUNCED)
    return BounceEvent(
        event_id=event_id,
        tenant=tenant,
        recipient=recipient,
        outcome=outcome,
        source="send-result",
        mailbox=mailbox,
        message_id=f"msg-{event_id}" if message_id == "auto" else message_id,
        occurred_at=when,
        reason=reason,
        category=cat,
        diagnostic=diagnostic,
        first_attempt_at=first_attempt_at,
    )

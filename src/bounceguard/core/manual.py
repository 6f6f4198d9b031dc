"""Manual suppress/unsuppress requests, turned into events on the same path as bounces."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from bounceguard.core.addresses import normalize_address
from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import BounceEvent, Outcome, SuppressionAction, utcnow


class ManualChangeRequest(BaseModel):
    """Body of `POST /suppressions/{tenant}/{address}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: SuppressionAction
    actor: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    at: AwareDatetime | None = None
    request_id: str | None = Field(default=None, max_length=200, description="Idempotency key.")


def manual_event(
    *, tenant: str, address: str, request: ManualChangeRequest, now: datetime | None = None
) -> BounceEvent:
    at = request.at or now or utcnow()
    reason = Reason.UNSUBSCRIBED if request.action is SuppressionAction.SUPPRESS else Reason.DELIVERED
    return BounceEvent(
        event_id=f"manual-{request.request_id or uuid.uuid4().hex}",
        tenant=tenant,
        recipient=normalize_address(address),
        outcome=Outcome.SENT,
        source=f"manual:{request.actor}",
        occurred_at=at,
        reason=reason,
        category=Category.NONE,
        manual_action=request.action,
        actor=request.actor,
        note=request.note,
        why=f"manual {request.action.value} by {request.actor}",
    )

"""SendGrid Event Webhook events (one flat object each; the POST body is an array).

SendGrid docs, "Event Webhook reference": ``event`` names the kind; bounces carry
``type`` (bounce | blocked | expired), ``status``, ``reason`` and
``bounce_classification``; ``dropped`` with a suppression reason is an echo of a list
SendGrid already keeps. Custom args arrive flattened into the event object.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bounceguard.core.categories import Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.providers.base import (
    Adapter,
    AdapterConfig,
    Observation,
    WebhookPayloadError,
    as_map,
    as_text,
    build_event,
    fallback_event_id,
    first_of,
    parse_time,
)

PROVIDER = "sendgrid"

_OUTCOME: dict[str, Outcome] = {
    "processed": Outcome.SENT,
    "delivered": Outcome.DELIVERED,
    "deferred": Outcome.DEFERRED,
    "bounce": Outcome.BOUNCED,
    "dropped": Outcome.BOUNCED,  # SUPPRESSED when the reason is a suppression echo, below
    "spamreport": Outcome.COMPLAINED,
    "unsubscribe": Outcome.UNSUBSCRIBED,
    "group_unsubscribe": Outcome.UNSUBSCRIBED,
}
# `dropped` reasons that echo an existing SendGrid suppression (lower-cased).
SUPPRESSION_DROP_REASONS = frozenset(
    {"bounced address", "unsubscribed address", "spam reporting address", "invalid", "unsubscribed group"}
)
# bounce_classification -> reason when no readable SMTP detail. Names vary in case and
# length between SendGrid's UI, API and samples ("Invalid" / "Invalid Address"), so keys
# are lower-cased first words.
CLASSIFICATION_HINT: dict[str, Reason] = {
    "invalid": Reason.USERUNKNOWN,
    "mailbox": Reason.SUSPEND,  # "Mailbox Unavailable"
    "technical": Reason.SYSTEMERROR,
    "content": Reason.SPAMDETECTED,
    "reputation": Reason.BADREPUTATION,
    "frequency": Reason.RATELIMITED,  # "Frequency or Volume Too High"
}
_TYPE_HINT: dict[str, Reason] = {"blocked": Reason.BLOCKED, "expired": Reason.EXPIRED}


def partition_key(payload: Any) -> str | None:
    event = as_map(payload)
    return _message_id(event) or as_text(event.get("sg_event_id"))


def _message_id(event: Any) -> str | None:
    # sg_message_id is the send-time X-Message-Id plus ".filter..." suffixes: match by prefix.
    sg_id = as_text(as_map(event).get("sg_message_id"))
    if sg_id:
        return sg_id.split(".", 1)[0]
    return as_text(as_map(event).get("smtp-id"))


def _metadata(event: Any, key: str) -> str | None:
    event = as_map(event)
    found = first_of(event, key)
    if found:
        return found
    for container in ("custom_args", "unique_args"):  # older, non-flattened payloads
        found = first_of(as_map(event.get(container)), key)
        if found:
            return found
    return None


def normalize(payload: Any, *, tenant: str, received_at: datetime, config: AdapterConfig) -> list[BounceEvent]:
    if isinstance(payload, list):
        return [e for item in payload for e in normalize(item, tenant=tenant, received_at=received_at, config=config)]
    event = as_map(payload)
    if "event" not in event:
        raise WebhookPayloadError("sendgrid: event object has no 'event' field")
    kind = as_text(event.get("event")) or ""
    outcome = _OUTCOME.get(kind)
    recipient = as_text(event.get("email"))
    if outcome is None or recipient is None:
        return []  # open, click, group_resubscribe, account status, unknown kinds
    reason_text = as_text(event.get("reason"))
    hint: Reason | None = None
    category: str | None = None
    if kind == "dropped":
        category = f"dropped/{reason_text}"
        if (reason_text or "").lower() in SUPPRESSION_DROP_REASONS:
            outcome = Outcome.SUPPRESSED
    elif kind == "bounce":
        bounce_type = as_text(event.get("type")) or "bounce"
        classification = as_text(event.get("bounce_classification"))
        category = f"{bounce_type}/{classification}" if classification else bounce_type
        first_word = (classification or "").lower().split(" ", 1)[0]
        hint = _TYPE_HINT.get(bounce_type) or CLASSIFICATION_HINT.get(first_word)
    detail = as_text(event.get("response")) if kind in ("delivered", "deferred") else reason_text
    event_id = as_text(event.get("sg_event_id"))
    mailbox = _metadata(event, config.mailbox_key)
    obs = Observation(
        provider=PROVIDER,
        recipient=recipient,
        outcome=outcome,
        occurred_at=parse_time(event.get("timestamp"), fallback=received_at, provider=PROVIDER),
        event_id=f"{PROVIDER}:{event_id}" if event_id else fallback_event_id(PROVIDER, event, recipient, outcome),
        message_id=_message_id(event),
        mailbox=mailbox,
        segment=_metadata(event, config.segment_key),
        status=as_text(event.get("status")) if kind in ("bounce", "dropped") else None,
        diagnostic=detail,
        provider_category=category,
        hint=hint,
    )
    return [build_event(obs, tenant=tenant)]


ADAPTER = Adapter(name=PROVIDER, normalize=normalize, partition_key=partition_key)

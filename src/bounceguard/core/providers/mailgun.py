"""Mailgun webhook events (v3 JSON: ``{"signature": ..., "event-data": ...}``).

Mailgun docs, "Webhooks" and "Events": ``severity`` on ``failed`` is coarse --
"permanent" also covers 5xx mailbox-full, ESP blocks, retry expiry ("Too old") and
suppression hits -- so the SMTP code and text decide; ``suppress-*`` reasons and
code 605 ("not delivering to previously bounced address") are suppression echoes.
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
    address_in,
    as_int,
    as_map,
    as_text,
    build_event,
    fallback_event_id,
    first_of,
    parse_time,
)

PROVIDER = "mailgun"

_OUTCOME: dict[str, Outcome] = {
    "accepted": Outcome.SENT,
    "delivered": Outcome.DELIVERED,
    "complained": Outcome.COMPLAINED,
    "unsubscribed": Outcome.UNSUBSCRIBED,
}
# Mailgun's undocumented `reason` values -> reason when no readable SMTP detail.
REASON_HINT: dict[str, Reason] = {
    "old": Reason.EXPIRED,  # retried for 8 h, description "Too old"
    "espblock": Reason.BLOCKED,
}
PREVIOUSLY_BOUNCED = 605


def _event_data(payload: Any) -> Any:
    body = as_map(payload)
    return as_map(body.get("event-data")) if "event-data" in body else body


def _message_id(data: Any) -> str | None:
    raw = as_text(as_map(as_map(as_map(data).get("message")).get("headers")).get("message-id"))
    return raw.strip("<>") if raw else None


def partition_key(payload: Any) -> str | None:
    data = _event_data(payload)
    return _message_id(data) or as_text(data.get("id"))


def normalize(payload: Any, *, tenant: str, received_at: datetime, config: AdapterConfig) -> list[BounceEvent]:
    data = _event_data(payload)
    if "event" not in data:
        raise WebhookPayloadError("mailgun: no 'event-data' object with an 'event' field")
    kind = as_text(data.get("event")) or ""
    recipient = as_text(data.get("recipient"))
    if recipient is None:
        return []
    status = as_map(data.get("delivery-status"))
    mg_reason = as_text(data.get("reason"))
    code = as_int(status.get("code"))
    severity = as_text(data.get("severity"))
    hint: Reason | None = None
    if kind == "failed":
        if (mg_reason or "").startswith("suppress-") or code == PREVIOUSLY_BOUNCED:
            outcome = Outcome.SUPPRESSED
        elif severity == "temporary":
            outcome = Outcome.DEFERRED
        else:
            outcome = Outcome.BOUNCED
        description = (as_text(status.get("description")) or "").lower()
        hint = REASON_HINT.get("old" if description == "too old" else mg_reason or "")
        if hint is None and severity == "permanent":
            hint = Reason.ONHOLD  # "permanent" alone does not prove the address dead
    elif kind in _OUTCOME:
        outcome = _OUTCOME[kind]
    else:
        return []  # opened, clicked, stored, rejected (API-side), unknown kinds
    headers = as_map(as_map(data.get("message")).get("headers"))
    variables = as_map(data.get("user-variables"))
    envelope = as_map(data.get("envelope"))
    mailbox = first_of(variables, config.mailbox_key)
    if mailbox is None and config.mailbox_from_sender:
        mailbox = address_in(headers.get("from")) or as_text(envelope.get("sender"))
    mg_id = as_text(data.get("id"))
    timestamp = data.get("timestamp")
    # Mailgun ids are unique only within a day: the event time makes them unique for good.
    event_id = (
        f"{PROVIDER}:{mg_id}:{as_text(timestamp)}" if mg_id else fallback_event_id(PROVIDER, data, recipient, outcome)
    )
    diagnostic = as_text(status.get("message")) or as_text(status.get("description"))
    if outcome is Outcome.DELIVERED:
        code = code if code is not None else 250
    obs = Observation(
        provider=PROVIDER,
        recipient=recipient,
        outcome=outcome,
        occurred_at=parse_time(timestamp, fallback=received_at, provider=PROVIDER),
        event_id=event_id,
        message_id=_message_id(data),
        mailbox=mailbox,
        segment=first_of(variables, config.segment_key),
        reply_code=code,
        status=as_text(status.get("enhanced-code")),
        diagnostic=diagnostic,
        remote_mta=as_text(status.get("mx-host")),
        provider_category="/".join(x for x in (kind, severity, mg_reason) if x),
        hint=hint,
    )
    return [build_event(obs, tenant=tenant)]


ADAPTER = Adapter(name=PROVIDER, normalize=normalize, partition_key=partition_key)

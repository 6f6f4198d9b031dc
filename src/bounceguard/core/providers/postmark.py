"""Postmark webhooks (one JSON object per POST, routed by ``RecordType``).

Postmark API docs, "Bounce webhook" and "Bounce types": ``Type``/``TypeCode`` name
the bounce kind; codes follow the official client enum (``Blocked`` = 100006,
``DMARCPolicy`` = 100009). ``Details`` carries the SMTP text when Postmark has it.
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

PROVIDER = "postmark"

# Bounce Type -> (outcome, reason hint used only without readable SMTP detail).
# Types absent here (Subscribe, AutoResponder, OpenRelayTest, ChallengeVerification,
# Unconfirmed, SMTPApiError, InboundError, TemplateRenderingFailed) say nothing
# about the address and yield no event.
BOUNCE_TYPES: dict[str, tuple[Outcome, Reason | None]] = {
    "HardBounce": (Outcome.BOUNCED, Reason.USERUNKNOWN),
    "Transient": (Outcome.DEFERRED, None),
    "Unsubscribe": (Outcome.UNSUBSCRIBED, None),
    "AddressChange": (Outcome.BOUNCED, Reason.HASMOVED),
    "DnsError": (Outcome.BOUNCED, Reason.NETWORKERROR),
    "SpamNotification": (Outcome.BOUNCED, Reason.SPAMDETECTED),
    "Unknown": (Outcome.BOUNCED, None),
    "SoftBounce": (Outcome.BOUNCED, Reason.ONHOLD),
    "VirusNotification": (Outcome.BOUNCED, Reason.VIRUSDETECTED),
    "BadEmailAddress": (Outcome.BOUNCED, Reason.USERUNKNOWN),
    "SpamComplaint": (Outcome.COMPLAINED, None),
    "ManuallyDeactivated": (Outcome.SUPPRESSED, None),
    "Blocked": (Outcome.BOUNCED, Reason.BLOCKED),
    "DMARCPolicy": (Outcome.BOUNCED, Reason.AUTHFAILURE),
}
# TypeCode -> Type, for payloads whose Type string is missing or new.
TYPE_CODES: dict[int, str] = {
    1: "HardBounce", 2: "Transient", 16: "Unsubscribe", 32: "Subscribe", 64: "AutoResponder",
    128: "AddressChange", 256: "DnsError", 512: "SpamNotification", 1024: "OpenRelayTest",
    2048: "Unknown", 4096: "SoftBounce", 8192: "VirusNotification", 16384: "ChallengeVerification",
    100000: "BadEmailAddress", 100001: "SpamComplaint", 100002: "ManuallyDeactivated",
    100003: "Unconfirmed", 100006: "Blocked", 100007: "SMTPApiError", 100008: "InboundError",
    100009: "DMARCPolicy", 100010: "TemplateRenderingFailed",
}  # fmt: skip


def partition_key(payload: Any) -> str | None:
    return as_text(as_map(payload).get("MessageID"))


def normalize(payload: Any, *, tenant: str, received_at: datetime, config: AdapterConfig) -> list[BounceEvent]:
    record = as_map(payload)
    if "RecordType" not in record:
        raise WebhookPayloadError("postmark: payload has no 'RecordType'")
    kind = as_text(record.get("RecordType")) or ""
    hint: Reason | None = None
    category: str | None = None
    if kind in ("Bounce", "SpamComplaint"):
        bounce_type = as_text(record.get("Type")) or TYPE_CODES.get(as_int(record.get("TypeCode")) or -1, "")
        if bounce_type not in BOUNCE_TYPES:
            return []
        outcome, hint = BOUNCE_TYPES[bounce_type]
        recipient, when = as_text(record.get("Email")), record.get("BouncedAt")
        category = bounce_type + ("/inactive" if record.get("Inactive") is True else "")
    elif kind == "Delivery":
        outcome, recipient, when = Outcome.DELIVERED, as_text(record.get("Recipient")), record.get("DeliveredAt")
    elif kind == "SubscriptionChange":
        if record.get("SuppressSending") is not True:
            return []  # reactivation: not an outcome
        why = as_text(record.get("SuppressionReason"))
        outcome = Outcome.UNSUBSCRIBED if why == "ManualSuppression" else Outcome.SUPPRESSED
        recipient, when, category = as_text(record.get("Recipient")), record.get("ChangedAt"), why
    else:
        return []  # Open, Click, unknown record types
    if recipient is None:
        return []
    metadata = as_map(record.get("Metadata"))
    mailbox = first_of(metadata, config.mailbox_key)
    if mailbox is None and config.mailbox_from_sender:
        mailbox = address_in(record.get("From"))
    record_id = as_text(record.get("ID"))
    message_id = as_text(record.get("MessageID"))
    if record_id:
        event_id = f"{PROVIDER}:{kind}:{record_id}"
    elif message_id:
        event_id = f"{PROVIDER}:{kind}:{message_id}:{recipient.lower()}"
    else:
        event_id = fallback_event_id(PROVIDER, record, recipient, outcome)
    obs = Observation(
        provider=PROVIDER,
        recipient=recipient,
        outcome=outcome,
        occurred_at=parse_time(when, fallback=received_at, provider=PROVIDER),
        event_id=event_id,
        message_id=message_id,
        mailbox=mailbox,
        segment=first_of(metadata, config.segment_key),
        diagnostic=as_text(record.get("Details")),
        provider_category=category,
        hint=hint,
    )
    return [build_event(obs, tenant=tenant)]


ADAPTER = Adapter(name=PROVIDER, normalize=normalize, partition_key=partition_key)

"""SparkPost event webhooks (``{"msys": {"<class>": {...}}}`` elements of a JSON array).

SparkPost docs, "Event types" and "Bounce classification codes": ``bounce_class``
(a string number) is SparkPost's reading of the failure; classes 50-54 are blocks
(sender health, never the recipient). The element ``{"msys": {}}`` is a ping.
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
    as_int,
    as_map,
    as_text,
    build_event,
    fallback_event_id,
    first_of,
    parse_time,
)

PROVIDER = "sparkpost"

_OUTCOME: dict[str, Outcome] = {
    "injection": Outcome.SENT,
    "delivery": Outcome.DELIVERED,
    "delay": Outcome.DEFERRED,
    "bounce": Outcome.BOUNCED,
    "out_of_band": Outcome.BOUNCED,
    "spam_complaint": Outcome.COMPLAINED,
    "policy_rejection": Outcome.BOUNCED,  # SUPPRESSED when it is SparkPost's suppression list, below
    "list_unsubscribe": Outcome.UNSUBSCRIBED,
    "link_unsubscribe": Outcome.UNSUBSCRIBED,
}
# bounce_class -> reason, used only without readable SMTP detail.
BOUNCE_CLASS_HINT: dict[int, Reason] = {
    10: Reason.USERUNKNOWN,  # Invalid Recipient
    20: Reason.ONHOLD,  # Soft Bounce
    21: Reason.NETWORKERROR,  # DNS Failure (soft per SparkPost)
    22: Reason.MAILBOXFULL,
    23: Reason.MESGTOOBIG,
    24: Reason.EXPIRED,  # Timeout
    30: Reason.USERUNKNOWN,  # Generic Bounce: No RCPT
    40: Reason.ONHOLD,  # Generic Bounce
    50: Reason.BLOCKED,  # Mail Block
    51: Reason.BLOCKED,  # Spam Block
    52: Reason.SPAMDETECTED,  # Spam Content
    53: Reason.POLICYVIOLATION,  # Prohibited Attachment
    54: Reason.BLOCKED,  # Relaying Denied
    70: Reason.ONHOLD,  # Transient Failure
}
SUPPRESSION_CLASSES = frozenset({25, 26})  # Admin Failure (policy / suppression list), Smart Send Suppression
UNSUBSCRIBE_CLASS = 90
NOT_A_FAILURE_CLASSES = frozenset({60, 80, 100})  # Auto-Reply, Subscribe, Challenge-Response


def _event(payload: Any) -> dict[str, Any]:
    msys = as_map(as_map(payload).get("msys"))
    for value in msys.values():
        if isinstance(value, dict):
            return value
    return {}


def partition_key(payload: Any) -> str | None:
    event = _event(payload)
    return as_text(event.get("transmission_id")) or as_text(event.get("message_id"))


def normalize(payload: Any, *, tenant: str, received_at: datetime, config: AdapterConfig) -> list[BounceEvent]:
    if isinstance(payload, list):
        return [e for item in payload for e in normalize(item, tenant=tenant, received_at=received_at, config=config)]
    if not isinstance(as_map(payload).get("msys"), dict):
        raise WebhookPayloadError("sparkpost: element has no 'msys' object")
    event = _event(payload)
    kind = as_text(event.get("type")) or ""
    outcome = _OUTCOME.get(kind)
    recipient = as_text(event.get("rcpt_to")) or as_text(event.get("raw_rcpt_to"))
    if outcome is None or recipient is None:
        return []  # pings, opens, clicks, generation failures, relay events, unknown types
    bounce_class = as_int(event.get("bounce_class"))
    diagnostic = as_text(event.get("raw_reason")) or as_text(event.get("reason"))
    hint: Reason | None = None
    if outcome in (Outcome.BOUNCED, Outcome.DEFERRED) and bounce_class is not None:
        if bounce_class in NOT_A_FAILURE_CLASSES:
            return []
        if bounce_class in SUPPRESSION_CLASSES:
            outcome = Outcome.SUPPRESSED
        elif bounce_class == UNSUBSCRIBE_CLASS:
            outcome = Outcome.UNSUBSCRIBED
        hint = BOUNCE_CLASS_HINT.get(bounce_class)
    if kind == "policy_rejection" and "suppress" in (diagnostic or "").lower():
        outcome = Outcome.SUPPRESSED
    if kind == "spam_complaint" and as_text(event.get("fbtype")) == "not-spam":
        return []  # RFC 5965 "not-spam" is the opposite of a complaint
    meta = {**as_map(event.get("metadata")), **as_map(event.get("rcpt_meta"))}
    mailbox = first_of(meta, config.mailbox_key)
    if mailbox is None and config.mailbox_from_sender:
        mailbox = as_text(event.get("friendly_from")) or as_text(event.get("msg_from"))
    sp_id = as_text(event.get("event_id"))
    category = kind + (f"/{bounce_class}" if bounce_class is not None else "")
    if kind == "spam_complaint" and as_text(event.get("fbtype")):
        category += f"/{as_text(event.get('fbtype'))}"
    obs = Observation(
        provider=PROVIDER,
        recipient=recipient,
        outcome=outcome,
        occurred_at=parse_time(event.get("timestamp"), fallback=received_at, provider=PROVIDER),
        event_id=f"{PROVIDER}:{sp_id}" if sp_id else fallback_event_id(PROVIDER, event, recipient, outcome),
        message_id=as_text(event.get("transmission_id")) or as_text(event.get("message_id")),
        mailbox=mailbox,
        segment=first_of(meta, config.segment_key),
        reply_code=as_int(event.get("error_code")),
        diagnostic=diagnostic,
        remote_mta=as_text(event.get("ip_address")) if kind == "delivery" else None,
        provider_category=category,
        hint=hint,
    )
    return [build_event(obs, tenant=tenant)]


ADAPTER = Adapter(name=PROVIDER, normalize=normalize, partition_key=partition_key)

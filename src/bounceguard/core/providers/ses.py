"""Amazon SES notifications, as SNS delivers them or as bare SES event JSON.

Reads both SES formats (AWS SES developer guide): identity notifications
(``notificationType``) and configuration-set event publishing (``eventType``); the
per-type objects are the same. Bounces iterate ``bouncedRecipients``, never
``mail.destination`` (which lists every recipient of the message).

Provider-category fallback, used only when the SMTP detail is missing or unreadable
(``bounceType/bounceSubType``, ``deliveryDelay.delayType``): see the tables below.
``Permanent/General`` is deliberately *not* hard: SES files receiver policy and spam
rejections there too, so without a code the address is not assumed dead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from bounceguard.core.categories import Reason
from bounceguard.core.models import BounceEvent, Outcome
from bounceguard.core.providers.base import (
    Adapter,
    AdapterConfig,
    Observation,
    WebhookPayloadError,
    as_list,
    as_map,
    as_text,
    build_event,
    fallback_event_id,
    first_of,
    parse_time,
)

PROVIDER = "ses"

# bounceSubType -> reason when no readable SMTP detail (SES "Bounce types" table).
BOUNCE_SUBTYPE_HINT: dict[str, Reason] = {
    "General": Reason.ONHOLD,
    "NoEmail": Reason.USERUNKNOWN,
    "MailboxFull": Reason.MAILBOXFULL,
    "MessageTooLarge": Reason.MESGTOOBIG,
    "ContentRejected": Reason.SPAMDETECTED,
    "AttachmentRejected": Reason.POLICYVIOLATION,
    "CustomTimeoutExceeded": Reason.EXPIRED,
}
# Subtypes that mean "SES did not even try": echoes of a suppression list.
SUPPRESSION_SUBTYPES = frozenset(
    {
        "Suppressed",
        "OnAccountSuppressionList",
        "OnTenantSuppressionList",
        "UnsubscribedRecipient",
        "EmailValidationSuppressed",
    }
)
# deliveryDelay.delayType -> reason (SES "DeliveryDelay object").
DELAY_TYPE_HINT: dict[str, Reason] = {
    "InternalFailure": Reason.SYSTEMERROR,
    "MailboxFull": Reason.MAILBOXFULL,
    "SpamDetected": Reason.SPAMDETECTED,
    "RecipientServerError": Reason.SYSTEMERROR,
    "IPFailure": Reason.BLOCKED,
    "TransientCommunicationFailure": Reason.NETWORKERROR,
    "BYOIPHostNameLookupUnavailable": Reason.NETWORKERROR,
    "SendingDeferral": Reason.ONHOLD,
}


def _unwrap(payload: Any) -> tuple[dict[str, Any] | None, str | None]:
    """(SES event, SNS MessageId) from an SNS envelope or bare SES JSON; (None, None) if not an event."""
    envelope = as_map(payload)
    if "Type" in envelope and "Message" in envelope:
        if envelope.get("Type") != "Notification":
            return None, None  # (Un)SubscriptionConfirmation: handled by the ingest edge
        message = envelope.get("Message")
        if not isinstance(message, str):
            return None, None
        try:
            inner = orjson.loads(message)
        except orjson.JSONDecodeError:
            return None, None  # "Successfully validated SNS topic for Amazon SES event publishing."
        return (inner if isinstance(inner, dict) else None), as_text(envelope.get("MessageId"))
    if "eventType" in envelope or "notificationType" in envelope:
        return dict(envelope), None
    raise WebhookPayloadError("ses: neither an SNS message (Type, Message) nor an SES event (eventType)")


def partition_key(payload: Any) -> str | None:
    event, sns_id = _unwrap(payload)
    return as_text(as_map(as_map(event).get("mail")).get("messageId")) or sns_id


def normalize(payload: Any, *, tenant: str, received_at: datetime, config: AdapterConfig) -> list[BounceEvent]:
    event, sns_id = _unwrap(payload)
    if event is None:
        return []
    kind = as_text(event.get("eventType")) or as_text(event.get("notificationType")) or ""
    mail = as_map(event.get("mail"))
    tags = as_map(mail.get("tags"))
    source = as_text(mail.get("source"))
    mailbox = first_of(tags, config.mailbox_key) or (source if config.mailbox_from_sender else None)
    base: dict[str, Any] = {
        "provider": PROVIDER,
        "message_id": as_text(mail.get("messageId")),
        "mailbox": mailbox,
        "segment": first_of(tags, config.segment_key),
        "first_attempt_at": parse_time(mail.get("timestamp"), fallback=received_at, provider=PROVIDER)
        if mail.get("timestamp")
        else None,
    }
    observations: list[Observation] = []

    def add(recipient: Any, outcome: Outcome, detail: dict[str, Any], when: Any, feedback_id: Any) -> None:
        address = as_text(recipient)
        if address is None:
            return
        if sns_id:
            event_id = f"{PROVIDER}:{sns_id}:{address.lower()}"
        elif as_text(feedback_id):
            event_id = f"{PROVIDER}:{as_text(feedback_id)}:{address.lower()}"
        else:
            event_id = fallback_event_id(PROVIDER, event, address, outcome)
        occurred = parse_time(when, fallback=received_at, provider=PROVIDER)
        observations.append(
            Observation(recipient=address, outcome=outcome, occurred_at=occurred, event_id=event_id, **base, **detail)
        )

    if kind == "Bounce":
        bounce = as_map(event.get("bounce"))
        bounce_type, sub_type = as_text(bounce.get("bounceType")), as_text(bounce.get("bounceSubType"))
        outcome = Outcome.SUPPRESSED if sub_type in SUPPRESSION_SUBTYPES else Outcome.BOUNCED
        for r in as_list(bounce.get("bouncedRecipients")):
            r = as_map(r)
            add(
                r.get("emailAddress"),
                outcome,
                {
                    "status": as_text(r.get("status")),
                    "diagnostic": as_text(r.get("diagnosticCode")),
                    "remote_mta": as_text(bounce.get("remoteMtaIp")),
                    "provider_category": f"{bounce_type}/{sub_type}",
                    "hint": BOUNCE_SUBTYPE_HINT.get(sub_type or ""),
                },
                bounce.get("timestamp"),
                bounce.get("feedbackId"),
            )
    elif kind == "Complaint":
        complaint = as_map(event.get("complaint"))
        feedback_type = as_text(complaint.get("complaintFeedbackType"))
        if feedback_type == "not-spam":
            return []  # RFC 5965 "not-spam": the recipient says the opposite of a complaint
        sub_type = as_text(complaint.get("complaintSubType"))
        outcome = Outcome.SUPPRESSED if sub_type == "OnAccountSuppressionList" else Outcome.COMPLAINED
        for r in as_list(complaint.get("complainedRecipients")):
            add(
                as_map(r).get("emailAddress"),
                outcome,
                {"provider_category": feedback_type or sub_type},
                complaint.get("timestamp"),
                complaint.get("feedbackId"),
            )
    elif kind == "Delivery":
        delivery = as_map(event.get("delivery"))
        for r in as_list(delivery.get("recipients")):
            add(
                r,
                Outcome.DELIVERED,
                {
                    "diagnostic": as_text(delivery.get("smtpResponse")),
                    "remote_mta": as_text(delivery.get("remoteMtaIp")),
                },
                delivery.get("timestamp"),
                None,
            )
    elif kind == "DeliveryDelay":
        delay = as_map(event.get("deliveryDelay"))
        delay_type = as_text(delay.get("delayType"))
        for r in as_list(delay.get("delayedRecipients")):
            r = as_map(r)
            add(
                r.get("emailAddress"),
                Outcome.DEFERRED,
                {
                    "status": as_text(r.get("status")),
                    "diagnostic": as_text(r.get("diagnosticCode")),
                    "provider_category": delay_type,
                    "hint": DELAY_TYPE_HINT.get(delay_type or ""),
                },
                delay.get("timestamp"),
                None,
            )
    elif kind == "Send":
        for r in as_list(mail.get("destination")):
            add(r, Outcome.SENT, {}, mail.get("timestamp"), None)
    elif kind == "Reject":
        # SES refused the message itself ("Bad content" = a virus): sender side, never the recipient.
        reason = as_text(as_map(event.get("reject")).get("reason"))
        for r in as_list(mail.get("destination")):
            add(
                r,
                Outcome.BOUNCED,
                {"provider_category": f"Reject/{reason}", "hint": Reason.VIRUSDETECTED, "diagnostic": None},
                mail.get("timestamp"),
                None,
            )
    elif kind == "Subscription":
        preferences = as_map(as_map(event.get("subscription")).get("newTopicPreferences"))
        if preferences.get("unsubscribeAll") is True:
            sub = as_map(event.get("subscription"))
            for r in as_list(mail.get("destination")):
                add(r, Outcome.UNSUBSCRIBED, {"provider_category": "unsubscribeAll"}, sub.get("timestamp"), None)
    # Open, Click, Rendering Failure and unknown kinds say nothing about the address.
    return [build_event(o, tenant=tenant) for o in observations]


ADAPTER = Adapter(name=PROVIDER, normalize=normalize, partition_key=partition_key)

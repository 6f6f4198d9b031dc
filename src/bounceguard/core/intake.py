"""Turn a user's send result into a normalized, classified BounceEvent.

The outcome says what the sender saw; the classifier says why. A deferral whose reply
says the user is unknown is still a hard bounce: the reason decides, not the outcome.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import parsedate_to_datetime

import orjson

from bounceguard.core.addresses import normalize_address
from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import classify
from bounceguard.core.dsn import BouncedRecipient, parse_bounce
from bounceguard.core.models import BounceEvent, Outcome, SendResult, utcnow

# Outcomes that carry their own reason without looking at an SMTP reply.
_FIXED: dict[Outcome, tuple[Reason, Category]] = {
    Outcome.SENT: (Reason.DELIVERED, Category.NONE),
    Outcome.DELIVERED: (Reason.DELIVERED, Category.NONE),
    Outcome.COMPLAINED: (Reason.FEEDBACK, Category.COMPLAINT),
    Outcome.UNSUBSCRIBED: (Reason.UNSUBSCRIBED, Category.UNSUBSCRIBE),
    Outcome.SUPPRESSED: (Reason.SUPPRESSED, Category.NONE),
}


def derived_event_id(result: SendResult) -> str:
    """A stable id for results that carry none, so a re-published result is recognised."""
    parts = (
        result.tenant,
        result.message_id or "",
        result.recipient.strip().lower(),
        result.outcome.value,
        result.timestamp.isoformat(),
        result.enhanced_status or "",
        str(result.reply_code or ""),
    )
    return "sr-" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def event_from_send_result(result: SendResult) -> BounceEvent:
    """Normalize and classify; raises ValueError (InvalidAddress) for an unusable recipient."""
    recipient = normalize_address(result.recipient)
    fixed = _FIXED.get(result.outcome)
    if fixed is not None:
        reason, category = fixed
        why = f"outcome {result.outcome.value}"
    else:
        verdict = classify(
            reply_code=result.reply_code,
            status=result.enhanced_status,
            diagnostic=result.diagnostic,
            remote_host=result.remote_mta,
        )
        reason, category, why = verdict.reason, verdict.category, verdict.why
    return BounceEvent(
        event_id=result.event_id or derived_event_id(result),
        tenant=result.tenant,
        recipient=recipient,
        outcome=result.outcome,
        source="send-result",
        mailbox=result.mailbox,
        segment=result.segment,
        message_id=result.message_id,
        occurred_at=result.timestamp,
        reason=reason,
        category=category,
        reply_code=result.reply_code,
        enhanced_status=result.enhanced_status,
        diagnostic=result.diagnostic,
        remote_mta=result.remote_mta,
        why=why,
    )


def parse_send_result(raw: bytes) -> SendResult:
    """Strict JSON parse (orjson rejects invalid UTF-8 and trailing garbage) then validation."""
    return SendResult.model_validate(orjson.loads(raw))


# Original-message headers a sender can set so bounce e-mails map back to mailbox and segment.
MAILBOX_HEADERS = ("x-bounceguard-mailbox", "x-mailbox", "x-sender-mailbox")
SEGMENT_HEADERS = ("x-bounceguard-segment", "x-segment", "x-campaign-segment", "x-list-segment")


def _header(x_headers: dict[str, str], names: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): v for k, v in x_headers.items()}
    for name in names:
        value = lowered.get(name)
        if value:
            return value.strip()[:512]
    return None


def _outcome_of(recipient: BouncedRecipient) -> Outcome:
    if recipient.category is Category.COMPLAINT:
        return Outcome.COMPLAINED
    if recipient.category is Category.UNSUBSCRIBE:
        return Outcome.UNSUBSCRIBED
    if recipient.category is Category.NONE:
        return Outcome.DELIVERED  # delivered / relayed DSNs and auto-replies: the mailbox exists
    if recipient.action.lower().startswith("delay"):
        return Outcome.DEFERRED
    return Outcome.BOUNCED


def events_from_bounce_mail(raw: bytes, *, tenant: str, now: datetime | None = None) -> list[BounceEvent]:
    """Parse a bounce e-mail (raises DsnParseError) into one event per reported recipient."""
    parsed = parse_bounce(raw)
    try:
        occurred_at = parsedate_to_datetime(parsed.date) if parsed.date else None
    except (TypeError, ValueError):
        occurred_at = None
    if occurred_at is None or occurred_at.tzinfo is None:
        occurred_at = now or utcnow()
    events = []
    for r in parsed.recipients:
        try:
            recipient = normalize_address(r.recipient)
        except ValueError:
            continue  # a recipient we cannot read is not an address we could suppress
        ident = "\x1f".join((tenant, r.message_id, recipient, r.status, parsed.date, r.action))
        events.append(
            BounceEvent(
                event_id="dsn-" + hashlib.blake2b(ident.encode(), digest_size=12).hexdigest(),
                tenant=tenant,
                recipient=recipient,
                outcome=_outcome_of(r),
                source=f"dsn:{r.format or parsed.format}",
                mailbox=_header(r.x_headers, MAILBOX_HEADERS),
                segment=_header(r.x_headers, SEGMENT_HEADERS),
                message_id=r.message_id[:512] or None,
                occurred_at=occurred_at,
                reason=r.reason,
                category=r.category,
                reply_code=r.reply_code,
                enhanced_status=r.status[:16] or None,
                diagnostic=r.diagnostic[:8192] or None,
                remote_mta=r.remote_mta[:512] or None,
                why=r.why[:512],
            )
        )
    return events

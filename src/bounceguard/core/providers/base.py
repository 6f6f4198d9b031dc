"""What every provider adapter shares: its config, its shape, and the one place an
observation becomes a classified :class:`BounceEvent`.

An adapter only *extracts* (recipient, outcome, SMTP detail, ids, metadata) into an
:class:`Observation`; :func:`build_event` decides the reason. The provider's own
label is a hint used only when the SMTP detail says nothing readable, because
provider categories are coarse and sometimes wrong (a Mailgun "permanent" 552 5.2.2
is a full mailbox; an SES Permanent/General 550 5.7.1 is the sender being blocked).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

import orjson
from pydantic import ValidationError

from bounceguard.core.addresses import InvalidAddress, normalize_address
from bounceguard.core.categories import Category, Reason, category_of
from bounceguard.core.classify import classify, parse_reply
from bounceguard.core.models import BounceEvent, Outcome

__all__ = [
    "Adapter",
    "AdapterConfig",
    "Observation",
    "WebhookPayloadError",
    "build_event",
    "fallback_event_id",
]

SHORT = 512  # models.ShortText


class WebhookPayloadError(ValueError):
    """A webhook payload cannot be turned into events; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class AdapterConfig:
    """Which custom-metadata keys carry the sending mailbox and the list segment.

    The keys are looked up in the provider's own metadata container (SES message
    tags, SendGrid custom args, Mailgun user-variables, Postmark Metadata, SparkPost
    rcpt_meta / metadata). Without a mailbox key, the From / source address is used
    when ``mailbox_from_sender`` is set.
    """

    mailbox_key: str = "mailbox"
    segment_key: str = "segment"
    mailbox_from_sender: bool = True


NormalizeFn = Callable[..., list[BounceEvent]]


@dataclass(frozen=True, slots=True)
class Adapter:
    """One provider: ``normalize(payload, *, tenant, received_at, config)`` and the
    Kafka key of a raw payload (the provider's message id, for partitioning)."""

    name: str
    normalize: NormalizeFn
    partition_key: Callable[[Any], str | None]


@dataclass(slots=True)
class Observation:
    """What a provider said about one recipient, before classification."""

    provider: str
    recipient: str
    outcome: Outcome
    occurred_at: datetime
    event_id: str
    message_id: str | None = None
    mailbox: str | None = None
    segment: str | None = None
    reply_code: int | None = None
    status: str | None = None
    diagnostic: str | None = None
    remote_mta: str | None = None
    provider_category: str | None = None
    hint: Reason | None = None  # the provider category's reason, used only without readable SMTP detail
    first_attempt_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# Outcomes whose reason the provider states outright; no SMTP reading needed.
_FIXED_REASON: dict[Outcome, tuple[Reason, str]] = {
    Outcome.SENT: (Reason.DELIVERED, "provider accepted the message"),
    Outcome.DELIVERED: (Reason.DELIVERED, "provider reported delivery"),
    Outcome.COMPLAINED: (Reason.FEEDBACK, "provider relayed a spam complaint"),
    Outcome.UNSUBSCRIBED: (Reason.UNSUBSCRIBED, "provider reported an unsubscribe"),
    Outcome.SUPPRESSED: (Reason.SUPPRESSED, "provider refused to send: address on its suppression list"),
}
# Verdicts that mean "the SMTP detail named nothing": the provider hint may do better.
_UNREAD = frozenset({Reason.ONHOLD, Reason.UNDEFINED})
# RFC 3464 §2.3.6 diagnostic-type prefix, as SES and Postmark pass it through ("smtp; 550 ...").
_DIAG_TYPE = re.compile(r"^\s*(?:smtp|x-[a-z0-9-]+)\s*;\s*", re.IGNORECASE)


def build_event(obs: Observation, *, tenant: str) -> BounceEvent:
    """Classify one observation into a BounceEvent, or raise WebhookPayloadError."""
    try:
        recipient = normalize_address(obs.recipient)
    except InvalidAddress as exc:
        raise WebhookPayloadError(f"{obs.provider}: bad recipient {obs.recipient[:80]!r}: {exc}") from exc
    diagnostic = _DIAG_TYPE.sub("", obs.diagnostic).strip() if obs.diagnostic else None
    reply_code, status = obs.reply_code, obs.status
    if reply_code is not None and not 200 <= reply_code <= 599:
        reply_code = None  # e.g. Mailgun 605 "previously bounced": not an SMTP code
    if diagnostic and (reply_code is None or status is None):
        parsed = parse_reply(diagnostic)
        reply_code = reply_code if reply_code is not None else parsed.reply_code
        status = status if status is not None else parsed.status
    reason, category, why = _decide(obs, reply_code, status, diagnostic)
    try:
        return BounceEvent(
            event_id=obs.event_id[:SHORT],
            tenant=tenant,
            recipient=recipient,
            outcome=obs.outcome,
            source=f"webhook:{obs.provider}",
            mailbox=clip(obs.mailbox),
            segment=clip(obs.segment),
            message_id=clip(obs.message_id),
            occurred_at=obs.occurred_at,
            reason=reason,
            category=category,
            reply_code=reply_code,
            enhanced_status=status[:16] if status else None,
            diagnostic=diagnostic[:8192] if diagnostic else None,
            remote_mta=clip(obs.remote_mta),
            provider_category=clip(obs.provider_category),
            why=why[:SHORT],
            first_attempt_at=obs.first_attempt_at,
        )
    except ValidationError as exc:
        raise WebhookPayloadError(f"{obs.provider}: event does not fit the model: {exc}") from exc


def _decide(
    obs: Observation, reply_code: int | None, status: str | None, diagnostic: str | None
) -> tuple[Reason, Category, str]:
    fixed = _FIXED_REASON.get(obs.outcome)
    if fixed is not None:
        return fixed[0], category_of(fixed[0]), fixed[1]
    if obs.hint is Reason.SPAMTRAP:
        return Reason.SPAMTRAP, Category.TRAP, "provider reported a spam-trap hit"
    verdict = None
    if reply_code is not None or status or diagnostic:
        verdict = classify(reply_code=reply_code, status=status, diagnostic=diagnostic, remote_host=obs.remote_mta)
        if verdict.reason not in _UNREAD or obs.hint is None:
            return verdict.reason, verdict.category, verdict.why
    if obs.hint is not None:
        label = obs.provider_category or "category"
        return obs.hint, category_of(obs.hint), f"provider {label} (no readable SMTP detail)"
    if verdict is not None:
        return verdict.reason, verdict.category, verdict.why
    return Reason.UNDEFINED, category_of(Reason.UNDEFINED), "no SMTP detail and no provider category"


# ---- small readers shared by adapters: tolerant of missing / odd-typed fields ----


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str | None:
    """A non-empty string from a string or number; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def clip(value: str | None) -> str | None:
    return value[:SHORT] if value else None


def first_of(container: Mapping[str, Any], key: str) -> str | None:
    """A metadata value: a string, a number, or the first item of a list (SES tags)."""
    value = container.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return as_text(value)


def address_in(header_value: Any) -> str | None:
    """The address part of a From-style header ("News <news@x>" -> "news@x")."""
    text = as_text(header_value)
    if not text:
        return None
    addr = parseaddr(text)[1]
    return addr or None


def parse_time(value: Any, *, fallback: datetime, provider: str) -> datetime:
    """ISO 8601 (with Z or +0000) or unix seconds (int, float or string) -> aware UTC."""
    if value is None or value == "":
        return fallback
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d+(?:\.\d+)?", text):
                return datetime.fromtimestamp(float(text), UTC)
            parsed = datetime.fromisoformat(text)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise WebhookPayloadError(f"{provider}: unreadable timestamp {str(value)[:40]!r}") from exc
    raise WebhookPayloadError(f"{provider}: unreadable timestamp {str(value)[:40]!r}")


def fallback_event_id(provider: str, payload: Any, recipient: str, outcome: Outcome) -> str:
    """A deterministic id when the provider gives none: hash of payload + recipient + outcome."""
    canonical = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)
    digest = hashlib.sha256(canonical + b"\x00" + recipient.encode() + b"\x00" + outcome.value.encode())
    return f"{provider}:sha256:{digest.hexdigest()[:40]}"

"""What the policy remembers about one address (the value of the address-state table).

Stored per ``tenant/address`` in a Kafka-backed table, so it is plain JSON and bounded:
every list has a cap from ``PolicyConfig``, whatever the event volume. Soft bounces,
pending messages and seen event ids are the only growing parts; each is trimmed on write.

These are msgspec structs, not pydantic models: the record is built, copied, encoded and
decoded for every event the worker decides, and msgspec does each of those in well under a
microsecond (pydantic: 2.6-4.4 us each, about a tenth of the worker's CPU per event). Decoding
still validates every field (types, enums, time zones) and ignores unknown fields, so a record
written by a newer version is read. The records the policy emits (``models.Suppression``,
``models.RetryAdvice``) stay pydantic: they are the public schema.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import msgspec

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Evidence

# A time with its offset: stored values without one are rejected, as the events they came from.
AwareTime = Annotated[datetime, msgspec.Meta(tz=True)]


class InvalidHistory(ValueError):
    """Stored bytes that are not a valid :class:`AddressHistory` (corrupt or foreign value)."""


class AddressStatus(StrEnum):
    ACTIVE = "active"
    SUPPRESSED = "suppressed"


class StoredEvidence(msgspec.Struct, frozen=True, omit_defaults=True):
    """The event behind a status, as the history keeps it (``public()`` is the schema's form)."""

    event_id: str
    at: AwareTime
    reason: Reason
    mailbox: str | None = None
    message_id: str | None = None

    def public(self) -> Evidence:
        return Evidence(
            event_id=self.event_id, at=self.at, reason=self.reason, mailbox=self.mailbox, message_id=self.message_id
        )


class SoftBounce(msgspec.Struct, frozen=True, omit_defaults=True):
    """One remembered soft bounce. ``counts`` is False for throttling and greylisting."""

    event_id: str
    at: AwareTime
    reason: Reason
    message_id: str | None = None
    mailbox: str | None = None
    counts: bool = True


class PendingMessage(msgspec.Struct, frozen=True, omit_defaults=True):
    """A message still being retried: how often it failed and since when (for give-up)."""

    message_id: str
    first_seen_at: AwareTime
    last_seen_at: AwareTime
    attempts: int


class AddressHistory(msgspec.Struct, frozen=True, omit_defaults=True):
    """Status of one address plus the bounded evidence the policy needs for its next decision."""

    tenant: str
    address: str
    status: AddressStatus = AddressStatus.ACTIVE
    # Set while suppressed: why, since when (event time), and the evidence.
    reason: Reason | None = None
    category: Category | None = None
    since: AwareTime | None = None
    first_evidence: StoredEvidence | None = None
    last_evidence: StoredEvidence | None = None
    actor: str | None = None  # set when the current status was set by hand
    transition_id: str | None = None  # id of the Suppression record that set the current status
    transitions: int = 0  # status changes so far; part of the next transition id
    last_delivery_at: AwareTime | None = None
    # A manual unsuppress / reset at this time overrides all evidence that happened before it.
    cleared_at: AwareTime | None = None
    newest_event_at: AwareTime | None = None
    soft_bounces: tuple[SoftBounce, ...] = ()  # sorted by time, oldest first
    pending: tuple[PendingMessage, ...] = ()
    seen: tuple[str, ...] = ()  # digests of recent event ids, oldest first

    @property
    def key(self) -> str:
        return f"{self.tenant}/{self.address}"

    @property
    def suppressed(self) -> bool:
        return self.status is AddressStatus.SUPPRESSED


def event_digest(event_id: str) -> str:
    """A short fixed-size stand-in for an event id in the dedupe ring (64 bits: collisions
    among a few hundred ids per address are negligible, and ids up to 512 chars stay small)."""
    return hashlib.blake2b(event_id.encode("utf-8"), digest_size=8).hexdigest()


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(AddressHistory)


def history_to_json(history: AddressHistory) -> bytes:
    """JSON without the fields that hold their defaults (they decode to the same history)."""
    return _ENCODER.encode(history)


def history_from_json(data: bytes | str) -> AddressHistory:
    """Parse stored bytes; raises :class:`InvalidHistory` instead of leaking parser errors."""
    try:
        return _DECODER.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidHistory(f"not an AddressHistory: {exc}") from None


def history_to_builtins(history: AddressHistory) -> dict[str, object]:
    """Every field, defaults included, as JSON-ready values (for views and exports)."""
    return {name: msgspec.to_builtins(getattr(history, name)) for name in history.__struct_fields__}

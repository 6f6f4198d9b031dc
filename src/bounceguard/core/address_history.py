"""What the policy remembers about one address (the value of the address-state table).

Stored per ``tenant/address`` in a Kafka-backed table, so it is plain JSON and bounded:
every list has a cap from ``PolicyConfig``, whatever the event volume. Soft bounces,
pending messages and seen event ids are the only growing parts; each is trimmed on write.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

import orjson
from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from bounceguard.core.categories import Category, Reason
from bounceguard.core.models import Evidence


class InvalidHistory(ValueError):
    """Stored bytes that are not a valid :class:`AddressHistory` (corrupt or foreign value)."""


class AddressStatus(StrEnum):
    ACTIVE = "active"
    SUPPRESSED = "suppressed"


class _Stored(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SoftBounce(_Stored):
    """One remembered soft bounce. ``counts`` is False for throttling and greylisting."""

    event_id: str
    at: AwareDatetime
    reason: Reason
    message_id: str | None = None
    mailbox: str | None = None
    counts: bool = True


class PendingMessage(_Stored):
    """A message still being retried: how often it failed and since when (for give-up)."""

    message_id: str
    first_seen_at: AwareDatetime
    last_seen_at: AwareDatetime
    attempts: int


class AddressHistory(_Stored):
    """Status of one address plus the bounded evidence the policy needs for its next decision."""

    tenant: str
    address: str
    status: AddressStatus = AddressStatus.ACTIVE
    # Set while suppressed: why, since when (event time), and the evidence.
    reason: Reason | None = None
    category: Category | None = None
    since: AwareDatetime | None = None
    first_evidence: Evidence | None = None
    last_evidence: Evidence | None = None
    actor: str | None = None  # set when the current status was set by hand
    transition_id: str | None = None  # id of the Suppression record that set the current status
    transitions: int = 0  # status changes so far; part of the next transition id
    last_delivery_at: AwareDatetime | None = None
    # A manual unsuppress / reset at this time overrides all evidence that happened before it.
    cleared_at: AwareDatetime | None = None
    newest_event_at: AwareDatetime | None = None
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


def history_to_json(history: AddressHistory) -> bytes:
    return orjson.dumps(history.model_dump(mode="json", exclude_defaults=True))


def history_from_json(data: bytes | str) -> AddressHistory:
    """Parse stored bytes; raises :class:`InvalidHistory` instead of leaking parser errors."""
    try:
        return AddressHistory.model_validate(orjson.loads(data))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        raise InvalidHistory(f"not an AddressHistory: {exc}") from None

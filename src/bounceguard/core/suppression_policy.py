"""May this address be mailed? A pure function of its history and one new event.

``decide(history, event, config)`` returns the new history plus at most one suppression
record and one retry advice. Rules (the why for each default is in docs/policy.md):

- hard, complaint, unsubscribe, trap: suppress at once, each keeping its own reason;
- block: never touches the address (the sender was refused, not the recipient);
- soft: remembered; the address is suppressed once it soft-bounced ``soft_threshold`` times
  on ``soft_distinct_days`` distinct UTC days within ``soft_window_days``, with no delivery
  since. Throttling reasons and greylisting are remembered but do not count. Repeated
  failures of one message on one UTC day count once (an MTA retrying every 15 minutes is
  one piece of evidence per day, not twenty);
- hostunknown while the domain (or this address) delivered within ``hostunknown_grace_days``
  before the event is soft: one DNS hiccup must not wipe out a domain's list;
- a delivery (or an auto-reply, which proves the mailbox exists) resets the soft count, but
  never unsuppresses: complaints and unsubscribes are consent, and "delivered" from an MTA
  only means the receiving MTA took the message (accept-then-bounce receivers send the DSN
  later). Only ``manual_change`` unsuppresses;
- a provider's ``suppressed`` echo records nothing: it is our own decision coming back.

Idempotence and order: a repeated event id changes nothing (exactly, for the most recent
``max_seen_ids`` ids; an older repeat can still never re-suppress, see below). Time is
always the event's ``occurred_at``, never the wall clock, so out-of-order arrival means:

- soft bounces that happened before the latest delivery never count, whenever they arrive;
- the soft window ends at the newest counted soft bounce, so a late straggler counts only
  if it falls inside that window;
- a hard bounce suppresses even if a later delivery was processed first (in arrival order it
  would have suppressed too, and deliveries never unsuppress) — same outcome either way;
- evidence that happened before a manual unsuppress is overridden by it, so a late or
  replayed old bounce cannot undo an operator's decision;
- an already-suppressed address emits nothing new; its ``last_evidence`` is refreshed.

Every status change carries a ``transition_id`` hashed from the key, the transition number
and the deciding event id, so re-processing after a crash yields the identical record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import msgspec
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bounceguard.core.address_history import (
    AddressHistory,
    AddressStatus,
    PendingMessage,
    SoftBounce,
    StoredEvidence,
    event_digest,
)
from bounceguard.core.addresses import address_key, domain_of, normalize_address
from bounceguard.core.categories import Category, Reason
from bounceguard.core.greylisting import is_greylisting
from bounceguard.core.models import (
    BounceEvent,
    Outcome,
    RetryAction,
    RetryAdvice,
    Suppression,
    SuppressionAction,
)
from bounceguard.core.retry_policy import DEFAULT_RETRY_RULES, RetryRule, advise_retry, check_rule_keys

__all__ = [
    "Decision",
    "Effect",
    "PolicyConfig",
    "PolicyError",
    "ReplayResult",
    "decide",
    "manual_change",
    "replay",
    "suppresses_alone",
    "transition_id",
]

_SUPPRESS_NOW = frozenset({Category.HARD, Category.COMPLAINT, Category.UNSUBSCRIBE, Category.TRAP})
# Outcomes `decide` settles without looking at the category.
_DECIDED_BEFORE_CATEGORY = frozenset({Outcome.SUPPRESSED, Outcome.DELIVERED, Outcome.SENT})


class PolicyError(ValueError):
    """A history was passed with an event or change for a different tenant/address."""


class PolicyConfig(BaseModel):
    """Thresholds and bounds of the policy; docs/policy.md gives the reason for each default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    soft_threshold: int = Field(default=3, ge=1)
    soft_distinct_days: int = Field(default=2, ge=1)
    soft_window_days: int = Field(default=30, ge=1)
    hostunknown_grace_days: float = Field(default=7, ge=0)
    uncounted_soft_reasons: frozenset[Reason] = frozenset({Reason.RATELIMITED, Reason.SPEEDING, Reason.TOOMANYCONN})
    count_greylisting: bool = False
    max_soft_kept: int = Field(default=32, ge=1)
    max_seen_ids: int = Field(default=128, ge=1)
    max_pending_messages: int = Field(default=16, ge=1)
    retry_rules: dict[str, RetryRule] = Field(default_factory=lambda: dict(DEFAULT_RETRY_RULES))
    retry_max_age_hours: float = Field(default=72, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> PolicyConfig:
        if self.soft_distinct_days > self.soft_window_days:
            raise ValueError("soft_distinct_days cannot exceed soft_window_days")
        if self.soft_distinct_days > self.soft_threshold:
            raise ValueError("soft_distinct_days cannot exceed soft_threshold")
        if self.max_soft_kept < self.soft_threshold:
            raise ValueError("max_soft_kept must be >= soft_threshold or escalation is impossible")
        check_rule_keys(self.retry_rules)
        return self

    @property
    def soft_window(self) -> timedelta:
        return timedelta(days=self.soft_window_days)

    @property
    def retry_max_age(self) -> timedelta:
        return timedelta(hours=self.retry_max_age_hours)


_DEFAULT_CONFIG = PolicyConfig()


class Effect(StrEnum):
    """What an event did to the history; for metrics, logs and tests."""

    DUPLICATE = "duplicate"  # event id already seen: nothing changed
    ECHO = "echo"  # provider's own suppression echoed back: nothing recorded
    IGNORED = "ignored"  # sent, or a category with no effect on the address
    DELIVERY = "delivery"  # soft count reset
    BLOCK = "block"  # sender-side refusal: address untouched
    SOFT = "soft"  # soft bounce remembered, below the threshold
    SUPPRESSED = "suppressed"  # status changed to suppressed (record emitted)
    ALREADY_SUPPRESSED = "already_suppressed"  # evidence refreshed, nothing emitted
    OVERRIDDEN = "overridden"  # evidence older than a manual unsuppress
    UNSUPPRESSED = "unsuppressed"  # manual unsuppress (record emitted)
    RESET = "reset"  # manual unsuppress of an active address: soft count cleared


class Decision(msgspec.Struct, frozen=True):
    """What one event did: the new history, at most one record of each kind, and the effect.

    A msgspec struct, as the history: one is built per event, at a tenth of a frozen
    dataclass's cost."""

    history: AddressHistory
    suppression: Suppression | None = None
    retry: RetryAdvice | None = None
    effect: Effect = Effect.IGNORED


@dataclass(slots=True)
class ReplayResult:
    """Final history per ``tenant/address`` and every record, in emission order."""

    histories: dict[str, AddressHistory] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    retries: list[RetryAdvice] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


def transition_id(tenant: str, address: str, number: int, event_id: str) -> str:
    """Deterministic id of the ``number``-th status change of an address, decided by ``event_id``."""
    text = f"{tenant}/{address}\x1f{number}\x1f{event_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def decide(
    history: AddressHistory | None,
    event: BounceEvent,
    config: PolicyConfig,
    domain_last_delivery: datetime | None = None,
) -> Decision:
    """Apply one event. ``domain_last_delivery``: latest delivery to the event's domain, if known.

    Raises ``InvalidAddress`` for an unusable recipient and :class:`PolicyError` when
    ``history`` belongs to another key.
    """
    address = normalize_address(event.recipient)
    h = _history_for(history, event.tenant, address)
    digest = event_digest(event.event_id)
    if digest in h.seen or (h.soft_bounces and any(sb.event_id == event.event_id for sb in h.soft_bounces)):
        return Decision(h, effect=Effect.DUPLICATE)
    if event.outcome is Outcome.SUPPRESSED:
        return Decision(h, effect=Effect.ECHO)
    remembered = _remembered(h, digest, event.occurred_at, config.max_seen_ids)
    if event.outcome is Outcome.DELIVERED or event.reason is Reason.VACATION:
        # Most events are deliveries: one copy of the history, not two.
        return Decision(_record_delivery(h, event, remembered), effect=Effect.DELIVERY)
    h = _changed(h, remembered)
    if event.outcome is Outcome.SENT:
        return Decision(h, effect=Effect.IGNORED)
    category = event.category
    if (
        category is Category.HARD
        and event.reason is Reason.HOSTUNKNOWN
        and _domain_delivered_recently(h, event.occurred_at, domain_last_delivery, config)
    ):
        category = Category.SOFT
    if category is Category.SOFT:
        return _on_soft(h, event, address, config)
    if category in _SUPPRESS_NOW:
        return _on_suppressing(h, event, category, address, config)
    if category is Category.BLOCK:
        retry = None
        if event.outcome is Outcome.DEFERRED:
            h, retry = _advise(h, event, address, config, give_up=h.suppressed)
        return Decision(h, retry=retry, effect=Effect.BLOCK)
    return Decision(h, effect=Effect.IGNORED)


def manual_change(
    history: AddressHistory | None,
    *,
    tenant: str,
    address: str,
    action: SuppressionAction,
    actor: str,
    note: str | None,
    at: datetime,
    event_id: str,
    config: PolicyConfig | None = None,
) -> Decision:
    """Suppress or unsuppress by hand. Unsuppress also clears the soft count and makes all
    evidence from before ``at`` powerless, so a late or replayed old bounce cannot undo it."""
    key = address_key(tenant, address)  # validates both
    address = key.partition("/")[2]
    h = _history_for(history, tenant, address)
    digest = event_digest(event_id)
    if digest in h.seen:
        return Decision(h, effect=Effect.DUPLICATE)
    h = _changed(h, _remembered(h, digest, at, (config or _DEFAULT_CONFIG).max_seen_ids))
    if action is SuppressionAction.SUPPRESS:
        if h.suppressed:
            return Decision(h, effect=Effect.ALREADY_SUPPRESSED)
        h, record = _transition(h, SuppressionAction.SUPPRESS, at=at, event_id=event_id, actor=actor, note=note)
        return Decision(h, suppression=record, effect=Effect.SUPPRESSED)
    cleared = at if h.cleared_at is None else max(h.cleared_at, at)
    h = msgspec.structs.replace(
        h, cleared_at=cleared, soft_bounces=tuple(sb for sb in h.soft_bounces if sb.at > cleared)
    )
    if not h.suppressed:
        return Decision(h, effect=Effect.RESET)
    h, record = _transition(h, SuppressionAction.UNSUPPRESS, at=at, event_id=event_id, actor=actor, note=note)
    return Decision(h, suppression=record, effect=Effect.UNSUPPRESSED)


def replay(events: Iterable[BounceEvent], config: PolicyConfig) -> ReplayResult:
    """Offline oracle: run ``decide`` over events in order, tracking each domain's latest
    delivery the way the stream's domain table does. Same input, same output, always."""
    result = ReplayResult()
    domain_delivery: dict[str, datetime] = {}
    for event in events:
        address = normalize_address(event.recipient)
        key = f"{event.tenant}/{address}"
        domain_key = f"{event.tenant}/{domain_of(address)}"
        decision = decide(result.histories.get(key), event, config, domain_delivery.get(domain_key))
        result.histories[key] = decision.history
        result.effects.append(decision.effect)
        if decision.suppression is not None:
            result.suppressions.append(decision.suppression)
        if decision.retry is not None:
            result.retries.append(decision.retry)
        if decision.effect is Effect.DELIVERY and domain_delivery_advances(
            domain_delivery.get(domain_key), event.occurred_at
        ):
            domain_delivery[domain_key] = event.occurred_at
    return result


# A domain's last delivery is rewritten at most this often (event time): the hostunknown grace
# rule needs days of precision, and the stream would otherwise write its domain table on every
# delivery. The stream and this oracle share the rule so they agree exactly.
DOMAIN_DELIVERY_GRANULARITY = timedelta(hours=1)


def suppresses_alone(event: BounceEvent) -> bool:
    """Whether `decide` on `event` reads nothing but its own address's history, and may suppress.

    A suppress-now category (hard, complaint, unsubscribe, trap), except a HOSTUNKNOWN hard
    bounce, whose decision also reads the latest delivery to its domain, and except outcomes
    decided before the category (echoes, sends, deliveries: a delivery also advances its
    domain's). Such an event can be decided before the other addresses' events of its batch
    without changing any decision.
    """
    return (
        event.category in _SUPPRESS_NOW
        and event.reason is not Reason.HOSTUNKNOWN
        and event.reason is not Reason.VACATION  # recorded as a delivery, whatever its category
        and event.manual_action is None
        and event.outcome not in _DECIDED_BEFORE_CATEGORY
    )


def domain_delivery_advances(known: datetime | None, at: datetime) -> bool:
    return known is None or at - known > DOMAIN_DELIVERY_GRANULARITY


# --- rules -------------------------------------------------------------------------------


def _on_suppressing(
    h: AddressHistory, event: BounceEvent, category: Category, address: str, config: PolicyConfig
) -> Decision:
    if _overridden(h, event.occurred_at):
        return Decision(h, effect=Effect.OVERRIDDEN)
    evidence = _evidence(event)
    retry = None
    if event.message_id is not None and any(p.message_id == event.message_id for p in h.pending):
        # A message that was waiting for a retry failed for good: cancel the retry.
        h, retry = _advise(h, event, address, config, give_up=True)
    if h.suppressed:
        return Decision(_refresh_evidence(h, evidence), retry=retry, effect=Effect.ALREADY_SUPPRESSED)
    h, record = _transition(
        h,
        SuppressionAction.SUPPRESS,
        at=event.occurred_at,
        event_id=event.event_id,
        reason=event.reason,
        category=category,
        first=evidence,
        last=evidence,
    )
    return Decision(h, suppression=record, retry=retry, effect=Effect.SUPPRESSED)


def _on_soft(h: AddressHistory, event: BounceEvent, address: str, config: PolicyConfig) -> Decision:
    counts = event.reason not in config.uncounted_soft_reasons and (
        config.count_greylisting or not is_greylisting(event.reason, event.diagnostic)
    )
    bounce = SoftBounce(
        event_id=event.event_id,
        at=event.occurred_at,
        reason=event.reason,
        message_id=event.message_id,
        mailbox=event.mailbox,
        counts=counts,
    )
    h = _add_soft(h, bounce, config)
    if h.suppressed:
        if not _overridden(h, event.occurred_at):
            h = _refresh_evidence(h, _evidence(event))
        h, retry = _advise(h, event, address, config, give_up=True)
        return Decision(h, retry=retry, effect=Effect.ALREADY_SUPPRESSED)
    window = _escalation_window(h, config)
    if window is None:
        h, retry = _advise(h, event, address, config, give_up=False)
        return Decision(h, retry=retry, effect=Effect.SOFT)
    h, record = _transition(
        h,
        SuppressionAction.SUPPRESS,
        at=event.occurred_at,
        event_id=event.event_id,
        reason=window[-1].reason,
        category=Category.SOFT,
        first=_soft_evidence(window[0]),
        last=_soft_evidence(window[-1]),
    )
    h, retry = _advise(h, event, address, config, give_up=True)
    return Decision(h, suppression=record, retry=retry, effect=Effect.SUPPRESSED)


def _escalation_window(h: AddressHistory, config: PolicyConfig) -> tuple[SoftBounce, ...] | None:
    """The counted soft bounces that justify suppression, oldest first, or None."""
    floor = _reset_floor(h)
    counted = [sb for sb in h.soft_bounces if sb.counts and (floor is None or sb.at > floor)]
    if len(counted) < config.soft_threshold:
        return None
    start = counted[-1].at - config.soft_window
    window = tuple(sb for sb in counted if sb.at > start)
    # One piece of evidence per message per UTC day; bounces without a message id stand alone.
    units: set[tuple[str, date]] = {
        (sb.message_id if sb.message_id is not None else f"\x00{sb.event_id}", _utc_day(sb.at)) for sb in window
    }
    days = {day for _, day in units}
    if len(units) >= config.soft_threshold and len(days) >= config.soft_distinct_days:
        return window
    return None


def _domain_delivered_recently(
    h: AddressHistory, at: datetime, domain_last_delivery: datetime | None, config: PolicyConfig
) -> bool:
    known = [t for t in (domain_last_delivery, h.last_delivery_at) if t is not None]
    return bool(known) and max(known) >= at - timedelta(days=config.hostunknown_grace_days)


# --- history updates ---------------------------------------------------------------------


def _history_for(history: AddressHistory | None, tenant: str, address: str) -> AddressHistory:
    if history is None:
        return AddressHistory(tenant=tenant, address=address)
    if history.tenant != tenant or history.address != address:
        raise PolicyError(f"history of {history.key!r} passed for {tenant}/{address}")
    return history


def _changed(h: AddressHistory, update: dict[str, Any]) -> AddressHistory:
    """A copy of ``h`` with ``update`` applied (histories are immutable values)."""
    return msgspec.structs.replace(h, **update)


def _remembered(h: AddressHistory, digest: str, at: datetime, limit: int) -> dict[str, Any]:
    """History updates that record an event id as seen and advance the newest event time."""
    seen = (*h.seen, digest)
    if len(seen) > limit:
        seen = seen[-limit:]
    newest = at if h.newest_event_at is None else max(h.newest_event_at, at)
    return {"seen": seen, "newest_event_at": newest}


def _record_delivery(h: AddressHistory, event: BounceEvent, remembered: dict[str, Any]) -> AddressHistory:
    last = event.occurred_at if h.last_delivery_at is None else max(h.last_delivery_at, event.occurred_at)
    update = {**remembered, "last_delivery_at": last}
    # Most addresses have neither soft bounces nor pending retries: no tuples rebuilt for them.
    if h.pending and event.message_id is not None:
        update["pending"] = tuple(p for p in h.pending if p.message_id != event.message_id)
    if h.soft_bounces:
        update["soft_bounces"] = tuple(sb for sb in h.soft_bounces if sb.at > last)
    return _changed(h, update)


def _add_soft(h: AddressHistory, bounce: SoftBounce, config: PolicyConfig) -> AddressHistory:
    floor = _reset_floor(h)
    kept = sorted((*h.soft_bounces, bounce), key=lambda sb: (sb.at, sb.event_id))
    if floor is not None:
        kept = [sb for sb in kept if sb.at > floor]
    if kept:
        start = kept[-1].at - config.soft_window
        kept = [sb for sb in kept if sb.at > start]
    return _changed(h, {"soft_bounces": tuple(kept[-config.max_soft_kept :])})


def _advise(
    h: AddressHistory, event: BounceEvent, address: str, config: PolicyConfig, *, give_up: bool
) -> tuple[AddressHistory, RetryAdvice]:
    """Retry advice for this failure, tracking attempts and first failure per message id."""
    at = event.occurred_at
    first = at
    attempt = 1
    pending = list(h.pending)
    if event.message_id is not None:
        index = next((i for i, p in enumerate(pending) if p.message_id == event.message_id), None)
        if index is None:
            entry = PendingMessage(message_id=event.message_id, first_seen_at=at, last_seen_at=at, attempts=1)
        else:
            old = pending.pop(index)
            entry = PendingMessage(
                message_id=old.message_id,
                first_seen_at=min(old.first_seen_at, at),
                last_seen_at=max(old.last_seen_at, at),
                attempts=old.attempts + 1,
            )
        first, attempt = entry.first_seen_at, entry.attempts
        pending.append(entry)
    if event.first_attempt_at is not None:
        first = min(first, event.first_attempt_at)
    advice = advise_retry(
        event,
        address=address,
        attempt=attempt,
        first_attempt_at=first,
        rules=config.retry_rules,
        max_age=config.retry_max_age,
        give_up=give_up,
    )
    if advice.action is RetryAction.GIVE_UP and event.message_id is not None:
        pending = [p for p in pending if p.message_id != event.message_id]
    newest = h.newest_event_at or at
    horizon = newest - 2 * config.retry_max_age  # long given up: forget
    pending = [p for p in pending if p.last_seen_at >= horizon]
    pending.sort(key=lambda p: (p.last_seen_at, p.message_id))
    return _changed(h, {"pending": tuple(pending[-config.max_pending_messages :])}), advice


def _transition(
    h: AddressHistory,
    action: SuppressionAction,
    *,
    at: datetime,
    event_id: str,
    reason: Reason | None = None,
    category: Category | None = None,
    first: StoredEvidence | None = None,
    last: StoredEvidence | None = None,
    actor: str | None = None,
    note: str | None = None,
) -> tuple[AddressHistory, Suppression]:
    number = h.transitions + 1
    tid = transition_id(h.tenant, h.address, number, event_id)
    record = Suppression(
        transition_id=tid,
        tenant=h.tenant,
        address=h.address,
        action=action,
        reason=reason,
        category=category,
        first_evidence=first.public() if first is not None else None,
        last_evidence=last.public() if last is not None else None,
        decided_at=at,
        actor=actor,
        note=note,
    )
    status = AddressStatus.SUPPRESSED if action is SuppressionAction.SUPPRESS else AddressStatus.ACTIVE
    updated = msgspec.structs.replace(
        h,
        status=status,
        reason=reason,
        category=category,
        since=at,
        first_evidence=first,
        last_evidence=last,
        actor=actor,
        transition_id=tid,
        transitions=number,
    )
    return updated, record


def _refresh_evidence(h: AddressHistory, evidence: StoredEvidence) -> AddressHistory:
    if h.last_evidence is not None and evidence.at <= h.last_evidence.at:
        return h
    return _changed(h, {"last_evidence": evidence})


def _overridden(h: AddressHistory, at: datetime) -> bool:
    return h.cleared_at is not None and at <= h.cleared_at


def _reset_floor(h: AddressHistory) -> datetime | None:
    """Soft bounces at or before this time never count: a delivery or manual reset came after."""
    marks = [t for t in (h.last_delivery_at, h.cleared_at) if t is not None]
    return max(marks) if marks else None


def _evidence(event: BounceEvent) -> StoredEvidence:
    return StoredEvidence(
        event_id=event.event_id,
        at=event.occurred_at,
        reason=event.reason,
        mailbox=event.mailbox,
        message_id=event.message_id,
    )


def _soft_evidence(bounce: SoftBounce) -> StoredEvidence:
    return StoredEvidence(
        event_id=bounce.event_id,
        at=bounce.at,
        reason=bounce.reason,
        mailbox=bounce.mailbox,
        message_id=bounce.message_id,
    )


def _utc_day(at: datetime) -> date:
    return at.astimezone(UTC).date()

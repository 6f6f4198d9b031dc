"""One step of the per-address state machine, as the stream runs it.

Wraps the suppression policy (`suppression_policy.decide` / `manual_change`) with the two
things the stream needs beside it: whether the event is a new *attempt* for rate
denominators (once per message, so retries and later bounces of the same message do not
inflate it), and the trend inputs it feeds per mailbox and per segment.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import msgspec

from bounceguard.core.address_history import AddressHistory, InvalidHistory
from bounceguard.core.models import BounceEvent, Outcome, RetryAdvice, Scope, Suppression
from bounceguard.core.suppression_policy import Decision, Effect, PolicyConfig, decide, manual_change

# Outcomes that are an attempt to deliver a message (a send); complaints etc. are not.
_ATTEMPT_OUTCOMES = frozenset({Outcome.SENT, Outcome.DELIVERED, Outcome.DEFERRED, Outcome.BOUNCED})
_MAX_ATTEMPTED = 32


class AddressRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """The table value: the policy's history plus recent message digests counted as attempts."""

    history: AddressHistory
    attempted: tuple[str, ...] = ()


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(AddressRecord)


def record_to_json(record: AddressRecord) -> bytes:
    """The stored form of a record: JSON without the fields that hold their defaults.

    A new address's record is half the size of the full form (about 220 bytes instead of 420):
    the table is written and read once per event, and every record also travels through the
    changelog and is replayed on recovery. Leaving a default out changes nothing on reading, so
    records written in the full form still decode.
    """
    return _ENCODER.encode(record)


def record_from_json(raw: bytes | str) -> AddressRecord:
    """Decode a stored record; raises :class:`InvalidHistory` (a ValueError) for bytes that are not one."""
    try:
        return _DECODER.decode(raw)
    except msgspec.DecodeError as exc:
        raise InvalidHistory(f"not an AddressRecord: {exc}") from None


class StepResult(msgspec.Struct, frozen=True):
    record: AddressRecord
    decision: Decision
    counts_as_attempt: bool

    @property
    def duplicate(self) -> bool:
        return self.decision.effect is Effect.DUPLICATE

    @property
    def suppression(self) -> Suppression | None:
        return self.decision.suppression

    @property
    def retry(self) -> RetryAdvice | None:
        return self.decision.retry


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def step(
    record: AddressRecord | None,
    event: BounceEvent,
    config: PolicyConfig,
    *,
    domain_last_delivery: datetime | None = None,
) -> StepResult:
    history = record.history if record is not None else None
    if event.manual_action is not None:
        decision = manual_change(
            history,
            tenant=event.tenant,
            address=event.recipient,
            action=event.manual_action,
            actor=event.actor or "unknown",
            note=event.note,
            at=event.occurred_at,
            event_id=event.event_id,
            config=config,
        )
    else:
        decision = decide(history, event, config, domain_last_delivery)
    attempted = record.attempted if record is not None else ()
    counts = False
    if decision.effect is not Effect.DUPLICATE and event.manual_action is None and event.outcome in _ATTEMPT_OUTCOMES:
        message = _digest(event.message_id or event.event_id)
        if message not in attempted:
            counts = True
            attempted = (*attempted, message)[-_MAX_ATTEMPTED:]
    return StepResult(AddressRecord(history=decision.history, attempted=attempted), decision, counts)


def trend_scopes(event: BounceEvent, result: StepResult) -> list[tuple[Scope, str]]:
    """The (scope, name) pairs whose trends count the event; none for manual changes or echoes."""
    if result.duplicate or event.manual_action is not None or event.outcome is Outcome.SUPPRESSED:
        return []
    scopes = []
    if event.mailbox:
        scopes.append((Scope.MAILBOX, event.mailbox))
    if event.segment:
        scopes.append((Scope.SEGMENT, event.segment))
    return scopes

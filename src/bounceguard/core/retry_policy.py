"""When to try a temporarily failed message again, and when to stop.

The wait depends on why it failed: greylisting clears in minutes, a throttling receiver
needs the sender to slow down for much longer, a full mailbox needs the owner to act
(hours). Each retry of the same message waits longer (exponential backoff, capped), and a
message older than the maximum age is given up: mail that arrives days late does more
harm than good. Some reasons make a retry of the same message pointless (too big, expired
at the sending MTA): those are given up at once.

The table is data (:data:`DEFAULT_RETRY_RULES`) and part of ``PolicyConfig``, keyed by
reason name, plus ``"greylisting"`` (chosen from the wording, see
:mod:`bounceguard.core.greylisting`) and ``"default"`` for everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bounceguard.core.categories import Reason
from bounceguard.core.greylisting import is_greylisting
from bounceguard.core.models import BounceEvent, RetryAction, RetryAdvice

GREYLISTING = "greylisting"
DEFAULT = "default"


class RetryRule(BaseModel):
    """Wait ``first_minutes`` before retry 1, times ``factor`` per later retry, at most ``max_minutes``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_minutes: float = Field(default=30.0, gt=0)
    factor: float = Field(default=2.0, ge=1)
    max_minutes: float = Field(default=360.0, gt=0)
    give_up: bool = Field(default=False, description="Retrying the same message cannot help.")

    @model_validator(mode="after")
    def _max_not_below_first(self) -> RetryRule:
        if self.max_minutes < self.first_minutes:
            raise ValueError("max_minutes must be >= first_minutes")
        return self

    def delay(self, attempt: int) -> timedelta:
        """The wait after the ``attempt``-th failure (1-based)."""
        exponent = max(attempt, 1) - 1
        # Cap the exponent so huge attempt counts cannot overflow the float.
        minutes = min(self.first_minutes * self.factor ** min(exponent, 64), self.max_minutes)
        return timedelta(minutes=minutes)


_SLOW_DOWN = RetryRule(first_minutes=30, factor=2, max_minutes=240)
_SERVER_TROUBLE = RetryRule(first_minutes=20, factor=2, max_minutes=240)
_PATIENCE = RetryRule(first_minutes=180, factor=2, max_minutes=720)
_POINTLESS = RetryRule(give_up=True)

DEFAULT_RETRY_RULES: dict[str, RetryRule] = {
    # RFC 6647 §2.2: greylisting waits are typically a few minutes (postgrey's default 300 s),
    # so the first retry just after that usually passes.
    GREYLISTING: RetryRule(first_minutes=6, factor=2, max_minutes=60),
    # Throttling (Gmail 421-4.7.28, Yahoo "TSS04", Outlook 451 4.7.500): sending again soon
    # prolongs the limit; back off for a long time.
    Reason.RATELIMITED.value: _SLOW_DOWN,
    Reason.SPEEDING.value: _SLOW_DOWN,
    Reason.TOOMANYCONN.value: _SLOW_DOWN,
    # The owner has to delete mail or the operator has to add disk: hours.
    Reason.MAILBOXFULL.value: _PATIENCE,
    Reason.SYSTEMFULL.value: RetryRule(first_minutes=60, factor=2, max_minutes=480),
    # Receiving server or network trouble: tens of minutes.
    Reason.SYSTEMERROR.value: _SERVER_TROUBLE,
    Reason.NETWORKERROR.value: _SERVER_TROUBLE,
    Reason.MAILERERROR.value: _SERVER_TROUBLE,
    Reason.FAILEDSTARTTLS.value: _SERVER_TROUBLE,
    # A domain that does not resolve right now (only soft after a recent delivery): DNS caches
    # and negative TTLs expire within the hour.
    Reason.HOSTUNKNOWN.value: RetryRule(first_minutes=30, factor=2, max_minutes=360),
    # Sender-side deferrals (4.7.x reputation / policy): the sender must fix something first.
    Reason.BLOCKED.value: RetryRule(first_minutes=60, factor=2, max_minutes=720),
    Reason.BADREPUTATION.value: RetryRule(first_minutes=60, factor=2, max_minutes=720),
    # The same message will fail the same way again.
    Reason.MESGTOOBIG.value: _POINTLESS,
    Reason.EXCEEDLIMIT.value: _POINTLESS,
    Reason.CONTENTERROR.value: _POINTLESS,
    Reason.SYNTAXERROR.value: _POINTLESS,
    Reason.EXPIRED.value: _POINTLESS,  # the sending MTA already retried for its whole queue life
    DEFAULT: RetryRule(first_minutes=30, factor=2, max_minutes=360),
}

_RULE_KEYS = frozenset({GREYLISTING, DEFAULT} | {reason.value for reason in Reason})


def check_rule_keys(rules: Mapping[str, RetryRule]) -> None:
    """Reject a table with an unknown key or without ``default`` (config errors surface early)."""
    unknown = sorted(set(rules) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"unknown retry rule keys {unknown}: use reason names, 'greylisting', 'default'")
    if DEFAULT not in rules:
        raise ValueError("the retry table needs a 'default' rule")


def rule_for(reason: Reason, diagnostic: str | None, rules: Mapping[str, RetryRule]) -> tuple[str, RetryRule]:
    """The table entry for this failure: greylisting wording first, then the reason, then default."""
    if GREYLISTING in rules and is_greylisting(reason, diagnostic):
        return GREYLISTING, rules[GREYLISTING]
    rule = rules.get(reason.value)
    if rule is not None:
        return reason.value, rule
    return DEFAULT, rules[DEFAULT]


def advise_retry(
    event: BounceEvent,
    *,
    address: str,
    attempt: int,
    first_attempt_at: datetime,
    rules: Mapping[str, RetryRule],
    max_age: timedelta,
    give_up: bool = False,
) -> RetryAdvice:
    """Retry-at time for the ``attempt``-th failure of a message first tried at ``first_attempt_at``.

    Gives up when ``give_up`` is set (the address was just suppressed), when the reason makes
    a retry pointless, or when the next try would fall later than ``first_attempt_at + max_age``.
    All times are event times; the wall clock is never read.
    """
    _, rule = rule_for(event.reason, event.diagnostic, rules)
    retry_at: datetime | None = None
    if not (give_up or rule.give_up):
        candidate = event.occurred_at + rule.delay(attempt)
        if candidate <= first_attempt_at + max_age:
            retry_at = candidate
    return RetryAdvice(
        event_id=event.event_id,
        tenant=event.tenant,
        recipient=address,
        message_id=event.message_id,
        mailbox=event.mailbox,
        reason=event.reason,
        action=RetryAction.RETRY if retry_at is not None else RetryAction.GIVE_UP,
        retry_at=retry_at,
        decided_at=event.occurred_at,
    )

"""Retry advice: wait by reason, back off per attempt, give up by age or on escalation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.greylisting import is_greylisting
from bounceguard.core.models import Outcome, RetryAction
from bounceguard.core.retry_policy import DEFAULT_RETRY_RULES, RetryRule, advise_retry, rule_for
from bounceguard.core.suppression_policy import PolicyConfig, decide, replay

from .policy_events import at, event

R = Reason
CONFIG = PolicyConfig()
MAX_AGE = timedelta(hours=72)


@pytest.mark.parametrize(
    ("reason", "diagnostic", "rule"),
    [
        (R.UNDEFINED, "451 4.7.1 Greylisting in action, please come back later", "greylisting"),
        (R.BLOCKED, "450 4.7.1 <bob@example.com>: Recipient address rejected: Greylisted", "greylisting"),
        (R.SYSTEMERROR, "451 4.3.2 Please try again later", "greylisting"),
        (R.RATELIMITED, "421 4.7.28 Our system has detected an unusual rate ... try again later", "ratelimited"),
        (R.SPEEDING, None, "speeding"),
        (R.TOOMANYCONN, "421 Too many concurrent SMTP connections", "toomanyconn"),
        (R.MAILBOXFULL, "452 4.2.2 Mailbox full", "mailboxfull"),
        (R.SYSTEMERROR, "451 4.3.0 Internal error", "systemerror"),
        (R.NETWORKERROR, None, "networkerror"),
        (R.HOSTUNKNOWN, None, "hostunknown"),
        (R.MESGTOOBIG, None, "mesgtoobig"),
        (R.SUSPEND, None, "default"),
        (R.UNDEFINED, "451 Temporary local problem", "default"),
    ],
)
def test_rule_chosen_by_reason_and_wording(reason: Reason, diagnostic: str | None, rule: str) -> None:
    assert rule_for(reason, diagnostic, DEFAULT_RETRY_RULES)[0] == rule


@pytest.mark.parametrize(
    ("reason", "diagnostic", "expected"),
    [
        (R.UNDEFINED, "Greylisted for 5 minutes", True),
        (R.MAILBOXFULL, "GRAYLISTED, try again", True),
        (R.UNDEFINED, "try again later", True),
        (R.RATELIMITED, "try again later", False),  # too vague to override a rate limit
        (R.UNDEFINED, None, False),
        (R.UNDEFINED, "", False),
        (R.MAILBOXFULL, "over quota", False),
    ],
)
def test_is_greylisting(reason: Reason, diagnostic: str | None, expected: bool) -> None:
    assert is_greylisting(reason, diagnostic) is expected


@pytest.mark.parametrize(
    ("rule", "attempt", "minutes"),
    [
        (RetryRule(first_minutes=6, factor=2, max_minutes=60), 1, 6),
        (RetryRule(first_minutes=6, factor=2, max_minutes=60), 2, 12),
        (RetryRule(first_minutes=6, factor=2, max_minutes=60), 4, 48),
        (RetryRule(first_minutes=6, factor=2, max_minutes=60), 5, 60),
        (RetryRule(first_minutes=6, factor=2, max_minutes=60), 10_000, 60),
        (RetryRule(first_minutes=10, factor=1, max_minutes=10), 7, 10),
        (RetryRule(first_minutes=10, factor=3, max_minutes=1000), 0, 10),
    ],
)
def test_backoff(rule: RetryRule, attempt: int, minutes: float) -> None:
    assert rule.delay(attempt) == timedelta(minutes=minutes)


def test_rule_rejects_max_below_first() -> None:
    with pytest.raises(ValueError):
        RetryRule(first_minutes=60, max_minutes=10)


@pytest.mark.parametrize(
    ("reason", "diagnostic", "attempt", "first", "when", "retry_at"),
    [
        # (reason, diagnostic, attempt, first attempt, event time, expected retry_at or None = give up)
        (R.UNDEFINED, "Greylisted", 1, at(), at(), at(minutes=6)),
        (R.MAILBOXFULL, None, 1, at(), at(), at(hours=3)),
        (R.MAILBOXFULL, None, 2, at(), at(hours=3), at(hours=9)),
        (R.MAILBOXFULL, None, 9, at(), at(hours=30), at(hours=42)),  # capped at 12 h
        (R.RATELIMITED, None, 1, at(), at(), at(minutes=30)),
        (R.SYSTEMERROR, None, 1, at(), at(), at(minutes=20)),
        (R.MESGTOOBIG, None, 1, at(), at(), None),  # the same message will not fit later
        (R.EXPIRED, None, 1, at(), at(), None),
        (R.MAILBOXFULL, None, 1, at(hours=-73), at(), None),  # older than 72 h
        (R.MAILBOXFULL, None, 1, at(hours=-70), at(), None),  # next try would pass 72 h
        (R.UNDEFINED, "Greylisted", 1, at(hours=-71), at(), at(minutes=6)),  # just fits
    ],
)
def test_advise_retry(
    reason: Reason, diagnostic: str | None, attempt: int, first: datetime, when: datetime, retry_at: datetime | None
) -> None:
    e = event("e", reason, when, diagnostic=diagnostic)
    advice = advise_retry(
        e,
        address="bob@example.com",
        attempt=attempt,
        first_attempt_at=first,
        rules=DEFAULT_RETRY_RULES,
        max_age=MAX_AGE,
    )
    assert advice.retry_at == retry_at
    assert advice.action is (RetryAction.GIVE_UP if retry_at is None else RetryAction.RETRY)
    assert (advice.event_id, advice.message_id, advice.reason, advice.decided_at) == ("e", "msg-e", reason, when)


def test_attempts_per_message_back_off() -> None:
    events = [event(f"d{i}", R.SYSTEMERROR, at(hours=i), message_id="m1") for i in range(4)]
    retries = replay(events, CONFIG).retries
    waits = [r.retry_at - e.occurred_at for r, e in zip(retries, events, strict=True) if r.retry_at]
    assert waits == [timedelta(minutes=m) for m in (20, 40, 80, 160)]


def test_message_age_measured_from_first_soft_bounce_seen() -> None:
    # throttling does not escalate, so only the message's age can end the retries
    events = [event(f"d{i}", R.RATELIMITED, at(hours=24 * i), message_id="m1") for i in range(4)]
    actions = [r.action for r in replay(events, CONFIG).retries]
    assert actions == [RetryAction.RETRY, RetryAction.RETRY, RetryAction.RETRY, RetryAction.GIVE_UP]


def test_message_age_measured_from_first_attempt_at_when_given() -> None:
    e = event("d", R.SYSTEMERROR, at(), first_attempt_at=at(hours=-80))
    advice = decide(None, e, CONFIG).retry
    assert advice is not None and advice.action is RetryAction.GIVE_UP


def test_escalation_to_suppression_gives_up() -> None:
    events = [event(f"s{i}", R.MAILBOXFULL, at(days=i)) for i in range(3)]
    result = replay(events, CONFIG)
    assert [r.action for r in result.retries] == [RetryAction.RETRY, RetryAction.RETRY, RetryAction.GIVE_UP]
    assert len(result.suppressions) == 1


def test_soft_bounce_on_a_suppressed_address_gives_up() -> None:
    h = decide(None, event("h", R.USERUNKNOWN, at()), CONFIG).history
    advice = decide(h, event("s", R.MAILBOXFULL, at(hours=1)), CONFIG).retry
    assert advice is not None and advice.action is RetryAction.GIVE_UP


def test_hard_bounce_cancels_a_pending_retry() -> None:
    h = decide(None, event("s", R.SYSTEMERROR, at(), message_id="m1"), CONFIG).history
    d = decide(h, event("h", R.USERUNKNOWN, at(hours=1), message_id="m1"), CONFIG)
    assert d.retry is not None and d.retry.action is RetryAction.GIVE_UP
    assert d.history.pending == ()


def test_delivery_forgets_the_pending_message() -> None:
    h = decide(None, event("s1", R.SYSTEMERROR, at(), message_id="m1"), CONFIG).history
    h = decide(h, event("ok", R.DELIVERED, at(hours=1), message_id="m1"), CONFIG).history
    assert h.pending == ()
    advice = decide(h, event("s2", R.SYSTEMERROR, at(hours=2), message_id="m1"), CONFIG).retry
    assert advice is not None and advice.retry_at == at(hours=2, minutes=20)  # attempt 1 again


@pytest.mark.parametrize(
    ("reason", "outcome", "category", "action"),
    [
        (R.BLOCKED, Outcome.DEFERRED, Category.BLOCK, RetryAction.RETRY),  # 4.7.x deferral: advised
        (R.BLOCKED, Outcome.BOUNCED, Category.BLOCK, None),  # final block: nothing to retry
        (R.USERUNKNOWN, Outcome.BOUNCED, Category.HARD, None),
        (R.DELIVERED, Outcome.DELIVERED, Category.NONE, None),
        (R.MAILBOXFULL, Outcome.BOUNCED, Category.SOFT, RetryAction.RETRY),  # provider soft bounce
    ],
)
def test_which_events_get_advice(
    reason: Reason, outcome: Outcome, category: Category, action: RetryAction | None
) -> None:
    advice = decide(None, event("e", reason, at(), outcome=outcome, category=category), CONFIG).retry
    assert (advice.action if advice else None) is action


def test_advice_without_message_id_is_first_attempt() -> None:
    advice = decide(None, event("e", R.SYSTEMERROR, at(), message_id=None), CONFIG).retry
    assert advice is not None and advice.retry_at == at(minutes=20) and advice.message_id is None


def test_custom_table_in_config() -> None:
    rules = {**DEFAULT_RETRY_RULES, "mailboxfull": RetryRule(first_minutes=5, max_minutes=5)}
    config = PolicyConfig(retry_rules=rules, retry_max_age_hours=1)
    first = decide(None, event("a", R.MAILBOXFULL, at(), message_id="m"), config)
    assert first.retry is not None and first.retry.retry_at == at(minutes=5)
    late = decide(first.history, event("b", R.MAILBOXFULL, at(minutes=58), message_id="m"), config)
    assert late.retry is not None and late.retry.action is RetryAction.GIVE_UP

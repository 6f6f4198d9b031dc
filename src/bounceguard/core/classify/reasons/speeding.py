"""speeding: sending too fast, rate-limited by the receiver (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SPEEDING,
    priority=57,
    phrases=(
        "rate limit",  # Gmail "rate limited", Microsoft "RecipientThrottled"
        "rate limited",
        "ratelimit",
        "rate-limit",
        "too many messages",  # Microsoft 365 "too many messages in a short time"
        "too fast",
        "unusual rate",  # Gmail "unusual rate of unsolicited mail"
        "throttl",  # "throttled", "throttling"
        "server busy. please try again later",  # Microsoft 365 "4.7.500 Server busy ... (S77719)"
        "sending too much",
        "receiving mail at a rate",  # Gmail "receiving mail at a rate that prevents additional messages"
        "temporarily deferred",  # Yahoo/AOL "temporarily deferred"
    ),
)

"""The bare words of an IP/host block, outranked by every specific family and by X.7.x codes."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.BLOCKED,
    priority=22,
    phrases=(
        "blocked",  # Gmail "has been blocked", many appliances
        "blacklist",  # various
        "is listed",
        "connection refused",  # Sendmail "Deferred: Connection refused by x"
        "connection rejected",
    ),
)

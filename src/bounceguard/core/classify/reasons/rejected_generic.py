"""The bare words of a refusal, outranked by every specific family and by leaning status codes."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.REJECTED,
    priority=10,
    phrases=(
        "rejected",  # "550 Rejected", "Address rejected"
        "refused",
        "denied",  # "Access denied" with no further detail
        "not accepted",
        "sender was rejected",  # qmail prefix for any MAIL FROM refusal; the remote text says why
    ),
)

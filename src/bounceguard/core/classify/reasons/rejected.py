"""rejected: the envelope sender (MAIL FROM) or its domain was refused (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.REJECTED,
    priority=26,
    phrases=(
        "sender address rejected",  # Postfix "Sender address rejected: Domain not found"
        "sender rejected",  # various
        "sender verify failed",  # Exim callout
        "sender domain",  # "sender domain must exist"
        "sender unknown",
        "domain of sender address",  # Sendmail "Domain of sender address x does not exist"
        "mail from rejected",
        "invalid sender",
        "sender denied",
        "address rejected",  # generic, outranked by the specific families above
        "rejected",  # generic refusal
        "refused",
        "denied",
        "not accepted",
    ),
)

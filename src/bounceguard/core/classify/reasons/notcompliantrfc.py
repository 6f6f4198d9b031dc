"""notcompliantrfc: the message breaks the format standards (RFC 5322) (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.NOTCOMPLIANTRFC,
    priority=76,
    phrases=(
        "rfc 5322",  # Gmail "This message is not RFC 5322 compliant"
        "rfc5322",
        "rfc 2822",  # older Gmail wording
        "rfc2822",
        "not rfc compliant",
        "duplicate header",  # Gmail "multiple From headers"
        "multiple addresses in from",  # Gmail
        "multiple from",
        "missing from",
        "multiple subject",  # Gmail "There are multiple Subject headers"
        "missing date",
        "message-id header",
    ),
)

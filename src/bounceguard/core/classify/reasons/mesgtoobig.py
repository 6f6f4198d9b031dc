"""mesgtoobig: the message is larger than the receiver takes (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.MESGTOOBIG,
    priority=74,
    phrases=(
        "message too big",  # Sendmail, Gmail "Your message exceeded Google's message size limits"
        "message too large",  # Postfix
        "message is too large",
        "message size exceeds",  # Exim "message size exceeds maximum permitted"
        "size exceeds",
        "exceeded google's message size limits",  # Gmail
        "message size limit",  # Microsoft 365 "message size exceeds fixed maximum"
        "mail size exceeds",
        "size limit exceeded",
        "exceeds size limit",
        "exceeds the maximum size",
        "message exceeds maximum",
        "too big for system",  # RFC 3463 wording
        "maximum message size",
        "line limit exceeded",  # Exim peer "500 Line limit exceeded"
    ),
    pairs=(("message", "too big"), ("size", "exceed")),
)

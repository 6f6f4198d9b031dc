"""securityerror: a security-related refusal, e.g. authentication required (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SECURITYERROR,
    priority=58,
    phrases=(
        "authentication required",  # RFC 4954 530
        "authentication failed",  # RFC 4954 535
        "authentication credentials invalid",
        "must authenticate",
        "submission requires authentication",
        "not authenticated",
        "sender address spoofing",
        "security policy",
        "sender is not allowed",
        "encryption required",
        "unauthenticated senders",  # "Unauthenticated senders not allowed"
        "smtp authentication",  # MessageLabs "Please turn on SMTP Authentication"
    ),
)

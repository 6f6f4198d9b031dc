"""authfailure: SPF, DKIM or DMARC checks failed (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.AUTHFAILURE,
    priority=71,
    phrases=(
        "spf check failed",  # Postfix policy daemons
        "spf fail",
        "bad spf",  # "550 Bad SPF records for [x]"
        "spf validation failed",
        "sender policy framework",  # Microsoft 365
        "dkim",  # Gmail "...not DKIM or SPF authenticated", Yahoo "DKIM"
        "dmarc",  # Gmail "DMARC policy", Yahoo/AOL "DMARC"
        "unauthenticated email",  # Gmail "Unauthenticated email from example.com is not accepted"
        "authentication checks",  # Gmail "This message does not pass authentication checks"
        "does not pass authentication",
        "not authorized to send mail on behalf",  # Microsoft SPF wording
        "is not designated as permitted sender",  # Gmail SPF text
        "arc validation",  # RFC 8617
        "does not have authentication information",  # Gmail 5.7.1 unauthenticated sender
        "sender id",  # Microsoft 365 Sender ID
    ),
)

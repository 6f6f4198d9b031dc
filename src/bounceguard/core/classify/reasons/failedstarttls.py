"""failedstarttls: delivery failed because of a STARTTLS/TLS problem (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.FAILEDSTARTTLS,
    priority=62,
    phrases=(
        "starttls",  # Gmail "Must issue a STARTTLS command first"
        "tls required",  # Postfix smtp_tls_security_level
        "tls is required",
        "tls negotiation failed",
        "tls handshake",
        "requiretls",  # RFC 8689
        "must use tls",
        "ssl handshake",
        "does not support tls",  # Gmail "500 Remote server does not support TLS (state 6)"
    ),
)

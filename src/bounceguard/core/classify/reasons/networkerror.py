"""networkerror: a network or DNS failure on the way (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.NETWORKERROR,
    priority=44,
    phrases=(
        "name service error",  # Postfix "Name service error for name=... type=MX: Host not found, try again"
        "host not found, try again",  # Postfix temporary DNS failure
        "temporary failure in name resolution",
        "dns lookup",
        "dns error",
        "connection timed out",  # Postfix, Sendmail
        "timed out",
        "no route to host",
        "network is unreachable",
        "connection reset",
        "lost connection",  # Postfix "lost connection with x while ..."
        "could not connect",
        "unable to connect",
        "malformed or unexpected name server reply",  # Postfix
        "too many hops",  # Postfix, Sendmail loop counters
        "routing loop",  # RFC 3463 X.4.6
        "mail loops back to myself",  # Postfix
        "loop detected",
        "conversation with",  # Postfix "conversation with x timed out"
    ),
)

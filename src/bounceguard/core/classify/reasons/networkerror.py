"""networkerror: a network or DNS failure on the way (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.NETWORKERROR,
    priority=44,
    phrases=(
        "name service error",  # Postfix "Name service error for name=... type=MX: Host not found, try again"
        "not found, try again",  # Postfix temporary DNS failure "Host not found, try again"
        "temporary failure in name resolution",
        "dns lookup",
        "dns error",
        "no route to host",
        "host name lookup failure",  # Sendmail "Name server: x: host name lookup failure"
        "network error",  # OpenSMTPD "Network error on destination MXs"
        "unable to contact ldap",  # qmail-ldap
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
    ),
)

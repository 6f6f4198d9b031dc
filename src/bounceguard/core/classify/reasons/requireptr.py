"""requireptr: the sending IP has no PTR record, or one that does not match (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.REQUIREPTR,
    priority=72,
    phrases=(
        "no ptr record",  # various
        "ptr record",  # Gmail "does not have a PTR record", Microsoft "reverse DNS"
        "reverse dns",  # Microsoft 365 "Reverse DNS lookup failed"
        "reverse lookup",
        "rdns",  # Yahoo/AOL, Mail.ru
        "cannot find your hostname",  # Postfix reject_unknown_client_hostname
        "client host rejected: cannot find your reverse hostname",  # Postfix
        "cannot find your reverse hostname",  # Postfix
        "no reverse dns",
        "reverse dns lookup failed",
        "ip name lookup failed",  # Sendmail
        "unresolvable relay host name",
        "invalid ip address or hostname",
        "host name does not match ip",  # Exim "reverse DNS mismatch"
        "does not have a ptr",  # Gmail
        "reverse mapping",  # Sendmail "reverse mapping does not match"
        "not resolve your hostname",
        "unverifyable sending ip",  # sic, "service permits 2 unverifyable sending IPs"
        "unverifiable sending ip",
        "mismatches client ip",  # Outlook.com "domain [x] mismatches client ip"
    ),
)

"""hostunknown: the recipient's domain does not exist or has no mail host (hard)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.HOSTUNKNOWN,
    priority=91,
    phrases=(
        "host unknown",  # Sendmail "Host unknown (Name server: ...: host not found)"
        "host not found",  # Sendmail, Postfix "Host or domain name not found"
        "domain not found",  # Postfix "Domain not found"
        "domain name not found",  # Postfix "Host or domain name not found. Name service error"
        "no such domain",  # various
        "unknown domain",  # Exim, Courier
        "domain does not exist",  # various
        "domain doesn't exist",
        "unrouteable mail domain",  # Exim
        "name or service not known",  # resolver error text
        "nxdomain",  # resolver error echoed
        "recipient domain not found",  # various
        "domain is not valid",  # various
        "illegal host/domain name found",  # Sendmail
        "no route to host domain",  # various
        "resolver.adr.invalidsmtpaddress",  # Microsoft 365
        "host or domain name not found",  # Postfix
        "domain is not reachable",  # Outlook.com "the domain is not reachable. Please check the domain"
        "no such host",
        "unrouteable address",  # Exim: no router could resolve the domain
    ),
    pairs=(
        ("domain", "not exist"),
        ("host", "not found"),  # DragonFly "DNS lookup failure: host x not found"
    ),
    # Postfix "Host not found, try again" is a temporary resolver failure (networkerror.py).
    excludes=("not found, try again",),
)

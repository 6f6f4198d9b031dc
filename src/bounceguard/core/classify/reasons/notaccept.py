"""notaccept: the destination accepts no mail at all, e.g. a null MX (hard when 5xx)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.NOTACCEPT,
    priority=84,
    phrases=(
        "null mx",  # RFC 7505 "domain has a null MX"
        "does not accept mail",  # RFC 7504 521/556 wording
        "does not accept any mail",
        "not accepting mail",  # various
        "accepts no mail",
        "host does not receive any mail",  # various
        "mx points to localhost",  # Sendmail-style misconfigured MX
        "no mx record",  # various
        "no mx or a record",  # various
        "no mx found",  # OpenSMTPD "No MX found for domain"
        "couldn't find a mail exchanger",  # qmail "Sorry, I couldn't find a mail exchanger or IP address"
        "indicated no smtp service",  # Exim "an MX or SRV record indicated no SMTP service"
        "not accepting network messages",  # RFC 3463 X.3.2 wording
    ),
)

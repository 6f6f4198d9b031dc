"""blocked: the sending IP or host was refused (block lists, unknown client)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.BLOCKED,
    priority=64,
    phrases=(
        "blocked",  # Gmail "has been blocked", Microsoft "access denied, banned sending IP"
        "blacklist",  # various
        "blocklist",  # Spamhaus wording
        "block list",  # Microsoft 365 "part of their network is on our block list (S3150)"
        "denylist",
        "spamhaus",  # Spamhaus DNSBL
        "spamcop",  # SpamCop DNSBL
        "barracudacentral",  # Barracuda reputation list
        "dnsbl",
        "rbl",  # "listed in RBL"
        "banned sending ip",  # Microsoft 365 "5.7.606 Access denied, banned sending IP"
        "access denied",  # Microsoft 365 5.7.606-649
        "client host rejected",  # Postfix smtpd_client_restrictions
        "connection refused",  # Sendmail, Exim "connection refused by"
        "connection rejected",
        "ip address is listed",
        "listed at",  # "listed at zen.spamhaus.org"
        "is listed",
        "your ip",  # Yahoo "your IP is blocked"
        "not allowed to send",
        "poor ip",
        "rejected due to ip",
        "service unavailable; client host",  # Postfix RBL reject "Service unavailable; Client host [x] blocked"
        "bad reputation of your ip",
        "mail from your ip",
        "s3140",  # Microsoft 365 block list codes
        "s3150",
    ),
)

"""blocked: the sending IP address or host was refused (block lists, unknown client) (block).

Only wording that names the sending IP/host or a block list lives here; the bare word
"blocked" is in blocked_generic.py, below every specific family.
"""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.BLOCKED,
    priority=69,
    phrases=(
        "blacklisted by",  # Sendmail sites "IP address blacklisted by recipient"
        "which is an open relay",  # Sendmail-era receivers "no access from mail server [ip] which is an open relay"
        "blocklist",  # Spamhaus wording
        "block list",  # Microsoft 365 "part of their network is on our block list (S3150)"
        "denylist",
        "spamhaus",  # Spamhaus DNSBL
        "spamcop",  # SpamCop DNSBL
        "barracudacentral",  # Barracuda reputation list
        "dnsbl",
        "rbl",  # "listed in RBL"
        "banned sending ip",  # Microsoft 365 "5.7.606 Access denied, banned sending IP"
        "client host rejected",  # Postfix smtpd_client_restrictions
        "client host blocked",  # Orange "Client host blocked for spamming issues"
        "blocked ip",  # Tencent QQ "Blocked IP"
        "ip blocked",
        "ip address is listed",
        "listed at",  # "listed at zen.spamhaus.org"
        "your ip",  # Yahoo "your IP is blocked"
        "poor ip",
        "rejected due to ip",
        "mail from your ip",
        "bad reputation of your ip",
        "refused to talk to me",  # Postfix "server refused to talk to me: 421 ..."
        "my name was rejected",  # qmail: the HELO name was refused
        "smtp server of your isp",  # "Please use the smtp server of your ISP" (dynamic IP ranges)
        "dynamic ip",
        "dial-up",
        "dialup",
        "not accepting connections",  # iCloud "ESMTP not accepting connections"
        "invalid ip for sending",  # Yahoo "INVALID IP FOR SENDING MAIL OF DOMAIN"
        "unfortunately, messages from",  # Outlook.com SC-00x "messages from x weren't sent"
        "service refuse",  # Orange / La Poste "Service refuse. Veuillez essayer plus tard"
        "blocked using",  # Postfix RBL "Client host [x] blocked using zen.spamhaus.org"
        "traffic not accepted from this ip",  # Microsoft 365 5.7.708
        "s3140",  # Microsoft 365 block list codes
        "s3150",
    ),
)

"""mailboxfull: the recipient's mailbox is over quota (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.MAILBOXFULL,
    priority=80,
    phrases=(
        "mailbox full",  # Sendmail, Postfix virtual
        "mailbox is full",  # Gmail-hosted, Yandex "Mailbox is full"
        "over quota",  # Exim, Dovecot "Quota exceeded (mailbox for user is full)"
        "overquota",  # Gmail "OverQuotaTemp", Microsoft 365
        "quota exceeded",  # Dovecot LMTP
        "exceeded storage allocation",  # RFC 5321 552 wording
        "out of storage space",  # Gmail "The email account that you tried to reach is over quota"
        "is over quota",
        "insufficient storage",
        "mailbox size limit exceeded",  # Exchange
        "mail quota exceeded",  # Mail.ru
        "user is over quota",
        "mailbox exceeded the local limit",
        "storage quota",  # iCloud
        "inbox is full",  # Yahoo/AOL "The recipient's inbox is full"
        "mailfolder is full",  # qmail
        "account is full",  # various
        "over the quota",
        "exceeds quota",
        "exceeding its mailbox quota",  # Outlook.com
        "not enough space",  # various
        "mailbox quota",
        "mailbox exceeds allowed size",  # IMail "User mailbox exceeds allowed size"
    ),
    pairs=(
        ("mailbox", "full"),  # "mailbox ... is full", "mailbox quota full"
        ("quota", "exceeded"),
        ("quota", "exceed"),
        ("over", "quota"),
    ),
)

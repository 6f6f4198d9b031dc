"""suspend: the account exists but is disabled, suspended or inactive (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SUSPEND,
    priority=92,
    phrases=(
        "mailbox disabled",  # Gmail/Outlook "mailbox disabled, not accepting messages"
        "account disabled",  # Gmail "The email account that you tried to reach is disabled"
        "account is disabled",
        "is disabled",
        "has been disabled",  # Gmail
        "account has been suspended",  # various
        "is suspended",
        "account suspended",
        "mailbox is inactive",  # Yahoo/AOL inactive accounts
        "inactive account",
        "account is inactive",
        "is not active",
        "mailbox unavailable or access denied",
        "account expired",
        "blocked by owner",
        "temporarily disabled",
        "account is frozen",
        "this account has been",  # Yandex "This account has been blocked/disabled"
        "mailbox is frozen",
        "temporary locked",  # Amazon SES-relayed "User x temporary locked"
        "account is locked",  # vpopmail "vdelivermail: account is locked"
        "account is blocked",  # La Poste "The recipient account is blocked"
        "disabled recipient",  # RFC 5248 X.7.13 wording echoed by Postfix sites
        "disabled or discontinued",  # various webmail "This account has been disabled or discontinued"
    ),
)

"""filtered: refused after DATA by a filter on the recipient side (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.FILTERED,
    priority=30,
    phrases=(
        "refused by recipient",
        "mail is not accepted from",
        "not accept mail from",
        "recipient rejected",  # Yahoo/AOL; filtered at RCPT
        "rejected by recipient",
        "message filtered",
        "filter rejected",
        "this user doesn't accept",
        "recipient not authorized",
        "sender not allowed",
        "sender is not in",  # "sender is not in my list"
        "only accepts mail from",
        "not on the whitelist",
        "not in the allowed list",
        "envelope blocked",  # Mimecast "Envelope blocked - User Entry": the recipient blocks this sender
    ),
)

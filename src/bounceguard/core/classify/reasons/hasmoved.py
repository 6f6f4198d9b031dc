"""hasmoved: the mailbox moved to another address, mail is not forwarded (hard)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.HASMOVED,
    priority=88,
    phrases=(
        "has been moved",  # qmail-style "address has been moved to ..."
        "user has moved",  # Sendmail 551 "User has moved; please try <new>"
        "mailbox has moved",
        "not local; please try",  # RFC 5321 551 example "User not local; please try <forward-path>"
        "user not local",  # RFC 5321 551
        "address has changed",
    ),
)

"""systemerror: a failure inside the receiving system (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SYSTEMERROR,
    priority=40,
    phrases=(
        "local error in processing",  # RFC 5321 451 wording
        "system error",
        "internal error",
        "server error",
        "temporary local problem",  # Exim
        "transaction failed",  # RFC 5321 554 wording; specific causes outrank it
        "service currently unavailable",  # SurfControl
        "configuration error",
        "misconfigured",
        "server configuration",
        "mail server temporarily rejected",
        "service temporarily unavailable",
        "temporarily unavailable",
        "duplicated message-id",  # fml refuses a Message-ID it has already seen (a mail loop)
    ),
)

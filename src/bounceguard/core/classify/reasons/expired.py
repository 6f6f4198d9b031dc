"""expired: the sending MTA gave up after retrying for its whole queue lifetime (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.EXPIRED,
    priority=48,
    phrases=(
        "delivery time expired",  # RFC 3463 X.4.7 wording
        "message expired",  # Exchange "message expired"
        "retry time exceeded",
        "retry timeout exceeded",  # Exim "retry timeout exceeded"
        "could not be delivered for",  # Sendmail "Cannot send message for 5 days"
        "cannot send message for",  # Sendmail
        "was not delivered within",
        "giving up",
        "delivery attempts will continue",  # Sendmail warning DSN
        "message timed out",
        "queue lifetime",
        "too long in queue",
        "delivery expired",
        "expired after",
        "has been delayed",
        "deferred for too long",
        "message was not accepted for delivery within",
    ),
)

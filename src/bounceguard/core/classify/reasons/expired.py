"""expired: the sending MTA gave up after retrying for its whole queue lifetime (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.EXPIRED,
    priority=32,
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
        "connection timed out",  # Postfix/Sendmail final bounce after retries timed out
        "timed out",  # Gmail "did not accept our requests to connect ... timed out"
        "did not accept our requests to connect",  # Gmail
        "all hosts have been failing",  # Exim "all hosts have been failing for a long time"
        "envelope expired",  # OpenSMTPD
        "recipients was aborted after",  # X3 "Delevery to the following recipients was aborted after 5.0 hour(s)"
        "in the queue too long",  # qmail "this message has been in the queue too long"
        "still undelivered",  # Sendmail "message still undelivered after 4 hours"
        "delivery failed 20 attempts",  # IMail
        "host not reachable",  # Zoho "Host not reachable"
        "message was not accepted for delivery within",
    ),
)

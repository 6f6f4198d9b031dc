"""systemfull: the receiving system is out of disk space (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SYSTEMFULL,
    priority=59,
    phrases=(
        "insufficient system storage",  # RFC 5321 452 wording, Sendmail
        "mail system full",  # RFC 3463 X.3.1 wording
        "out of disk space",
        "disk full",
        "no space left on device",  # errno text via Exim/Postfix
        "file system full",
        "system storage",
        "insufficient disk space",  # Sendmail "452 4.4.5 Insufficient disk space; try again later"
    ),
)

"""exceedlimit: the message went over a limit set for the recipient (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.EXCEEDLIMIT,
    priority=73,
    phrases=(
        "message size exceeds recipient limit",  # various
        "exceeds recipient's limit",
        "recipient limit",
        "exceeds the size limit set by the recipient",
        "message length exceeds administrative limit",  # RFC 3463 X.2.3 wording
    ),
)

"""badreputation: refused for the sending IP's or domain's poor reputation (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.BADREPUTATION,
    priority=70,
    phrases=(
        "reputation",  # Gmail "IP's reputation", Microsoft "sender reputation"
        "poor reputation",
        "low reputation",
        "sender score",
        "ts03",  # Yahoo/AOL "[TS03] All messages from x will be permanently deferred"
        "tss04",  # Yahoo/AOL "[TSS04] Messages from x temporarily deferred due to user complaints"
        "tss09",  # Yahoo/AOL "[TSS09] All messages from x will be permanently deferred"
        "user complaints",
        "sending ip has been temporarily rate limited due to ip reputation",  # Gmail
    ),
)

"""virusdetected: malware was found in the message (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.VIRUSDETECTED,
    priority=77,
    phrases=(
        "virus",  # Amavis "INFECTED", ClamAV "virus found", Gmail "a virus was detected"
        "infected",  # Amavis "Message content rejected: INFECTED"
        "malware",  # Microsoft 365, Proofpoint
        "malicious",
        "trojan",
    ),
)

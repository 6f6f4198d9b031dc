"""Greylisting (RFC 6647): a deliberate "come back in a few minutes" (soft).

No Sisimai reason names greylisting. It says nothing about the recipient and nothing
about the sender's reputation, so it must never become a block (milter-greylist answers
with 4.7.1, which alone would lean to "blocked"): it maps to onhold, a soft reason with
no verdict, and core.greylisting / retry_policy pick it out by its wording for the
short retry.
"""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.ONHOLD,
    priority=96,
    phrases=(
        "greylist",  # postgrey "Recipient address rejected: Greylisted, see http://postgrey..."
        "graylist",  # Exchange/Proofpoint spelling
        "grey-list",
        "gray-list",
        "greylisting in action",  # milter-greylist "451 4.7.1 Greylisting in action, please come back later"
    ),
)

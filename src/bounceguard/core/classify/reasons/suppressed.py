"""suppressed: the sending service refused because the address is on its suppression list (none)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SUPPRESSED,
    priority=95,
    phrases=(
        "on the suppression list",  # Amazon SES "Address is on the suppression list"
        "suppression list",  # SparkPost, Postmark "address is suppressed"
        "address is suppressed",
        "previously bounced address",  # Mailgun "Not delivering to previously bounced address"
        "not delivering to a user who marked",  # Mailgun complaint suppression
        "bounced address",  # SendGrid "Bounced Address"
    ),
)

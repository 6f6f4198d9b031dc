"""norelaying: the server refused to relay for this recipient (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.NORELAYING,
    priority=79,
    phrases=(
        "relay access denied",  # Postfix
        "relaying denied",  # Sendmail "Relaying denied"
        "relay not permitted",  # Exim "relay not permitted"
        "relaying not allowed",
        "relay denied",
        "not permitted to relay",
        "unable to relay",  # Exchange "Unable to relay"
        "we do not relay",  # Sendmail
        "no relaying allowed",
        "relay prohibited",
        "relaying mail to",  # Cisco IronPort "relaying mail to ... not allowed"
        "not allowed to relay",
        "sorry, that domain isn't in my list of allowed rcpthosts",  # qmail
        "isn't allowed to relay",
        "relay not allowed",
        "no relaying",
        "not configured to relay",  # Exchange "This system is not configured to relay mail"
        "insecure mail relay",  # Sendmail-era receivers "550 Insecure Mail Relay"
    ),
)

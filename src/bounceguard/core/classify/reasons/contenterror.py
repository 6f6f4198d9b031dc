"""contenterror: refused for the form of the message, header format or encoding (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.CONTENTERROR,
    priority=38,
    phrases=(
        "header error",
        "improper use of 8-bit data",  # Sendmail "improper use of 8-bit data in message header"
        "8bit",
        "8-bit",
        "message header",
        "malformed mime",
        "invalid mime",
        "bare lf",  # Microsoft, Postfix "bare <LF> received"
        "bare <lf>",
        "line too long",
        "invalid character",
        "encoding",
    ),
)

"""syntaxerror: the receiver rejected an SMTP command as malformed (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SYNTAXERROR,
    priority=36,
    phrases=(
        "syntax error",  # RFC 5321 500/501 wording
        "command unrecognized",
        "command not recognized",
        "command not implemented",
        "bad sequence of commands",  # RFC 5321 503
        "unrecognized command",
        "invalid command",
        "malformed address",  # Exim "malformed address: x may not follow y"
    ),
)

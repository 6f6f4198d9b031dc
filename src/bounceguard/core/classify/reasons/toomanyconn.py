"""toomanyconn: too many connections or recipients in a short time (soft)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.TOOMANYCONN,
    priority=71,
    phrases=(
        "too many connections",  # Postfix "too many connections from"
        "too many concurrent",
        "too many recipients",  # Sendmail, RFC 3463 X.5.3
        "too many smtp sessions",
        "connection limit",
        "too many simultaneous",
        "maximum number of connections",
        "too many open connections",
        "connection rate limit",  # Postfix anvil "Connection rate limit exceeded"
        "frequency limited",  # Tencent QQ "Ip frequency limited" / "Connection frequency limited"
        "too many recipients this hour",  # GoDaddy "has sent to too many recipients this hour"
    ),
)

"""spamdetected: the content was judged to be spam (block)."""

from bounceguard.core.categories import Reason
from bounceguard.core.classify.rule import ReasonRule

RULE = ReasonRule(
    reason=Reason.SPAMDETECTED,
    priority=68,
    phrases=(
        "spam",  # Gmail "likely unsolicited mail", Barracuda "Message rejected as spam"
        "unsolicited",  # Gmail "this message has been blocked because it is unsolicited"
        "junk mail",  # Microsoft 365
        "bulk mail",  # various
        "message looks like spam",
        "content rejected",  # Mimecast, IronPort "message content rejected"
        "spam classification",  # Google Groups "rejected due to spam classification"
        "blacklisted url",  # URIBL-based body filters
        "blocked by content filter",
        "rejected by our content",
        "high probability of being spam",
        "scored too high",  # SpamAssassin "message scored too high"
        "rejected due to content",
        "suspicious message",
        "uce",  # "UCE" Sendmail / Exim
    ),
    # DNS block list names: the listing, not the content, is the reason (see blocked.py).
    excludes=("spamhaus", "spamcop", "client host blocked", "ip blocked", "blocked ip"),
)

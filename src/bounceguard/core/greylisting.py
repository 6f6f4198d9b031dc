"""Deferrals that only ask for patience: greylisting and plain "try again later".

Greylisting (RFC 6647) defers the first delivery attempt from an unknown sender/recipient
pair on purpose and accepts a retry a few minutes later. Such a deferral says nothing about
the recipient, so it must neither count toward soft-bounce escalation nor wait hours for
its retry. The classifier maps these replies to a generic soft reason; the wording tells
them apart, so the phrases live here as data (lower-case substrings).
"""

from __future__ import annotations

from bounceguard.core.categories import Reason

# Explicit greylisting: trusted whatever reason the classifier chose.
GREYLISTING_PHRASES: tuple[str, ...] = (
    # postgrey: "450 4.2.0 <rcpt>: Recipient address rejected: Greylisted, see http://postgrey..."
    # milter-greylist: "451 4.7.1 Greylisting in action, please come back later"
    "greylist",
    "graylist",
    "grey-list",
    "gray-list",
    "grey list",
    "gray list",
)

# Generic wording that asks for a later try. Too vague to override a specific reason
# (a rate limit also says "try again later"), so only used with the generic reasons below.
TRY_LATER_PHRASES: tuple[str, ...] = (
    "try again later",  # OpenBSD spamd, Microsoft "451 4.3.2 ... please try again later"
    "please come back later",
    "please retry later",
    "try later",
    "temporarily deferred",
)

# Reasons the classifier gives when it only knows "temporary failure".
GENERIC_SOFT_REASONS: frozenset[Reason] = frozenset(
    {Reason.UNDEFINED, Reason.SYSTEMERROR, Reason.ONHOLD, Reason.REJECTED}
)


def is_greylisting(reason: Reason, diagnostic: str | None) -> bool:
    """True when the reply is a greylisting / "try again later" deferral, not a recipient problem."""
    if not diagnostic:
        return False
    text = diagnostic.lower()
    if any(phrase in text for phrase in GREYLISTING_PHRASES):
        return True
    return reason in GENERIC_SOFT_REASONS and any(phrase in text for phrase in TRY_LATER_PHRASES)

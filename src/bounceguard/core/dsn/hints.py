"""Reasons that the sending MTA states in its own report, read as a second opinion.

PowerMTA adds `X-PowerMTA-BounceCategory` to each recipient block of its DSNs: its own
reading of the remote reply (PowerMTA user's guide, "bounce categories"). It is used only
where the wording and codes left us with a vague reading, never to overrule a specific one.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason

POWERMTA_FIELD = "x-powermta-bouncecategory"
POWERMTA_PREFIX = "powermta:"

# PowerMTA bounce category -> our reason; categories that say nothing specific
# ("other", "protocol-errors", "routing-errors", "bad-configuration") are left out.
_POWERMTA = {
    "bad-mailbox": Reason.USERUNKNOWN,
    "bad-domain": Reason.HOSTUNKNOWN,
    "inactive-mailbox": Reason.SUSPEND,
    "quota-issues": Reason.MAILBOXFULL,
    "message-expired": Reason.EXPIRED,
    "spam-related": Reason.SPAMDETECTED,
    "virus-related": Reason.VIRUSDETECTED,
    "relaying-issues": Reason.NORELAYING,
    "content-related": Reason.CONTENTERROR,
    "policy-related": Reason.POLICYVIOLATION,
    "no-answer-from-host": Reason.NETWORKERROR,
    "bad-connection": Reason.NETWORKERROR,
    "invalid-sender": Reason.REJECTED,
}


def powermta_hint(value: str) -> str:
    """The `reason_hint` for a PowerMTA bounce category field value ("" when absent)."""
    value = value.strip().lower()
    return POWERMTA_PREFIX + value if value else ""


def reason_from_hint(hint: str) -> Reason | None:
    """The reason a report's own category names, or None when it names none we trust."""
    if hint.startswith(POWERMTA_PREFIX):
        return _POWERMTA.get(hint[len(POWERMTA_PREFIX) :])
    return None

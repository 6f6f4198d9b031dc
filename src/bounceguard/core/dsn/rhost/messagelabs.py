"""Symantec/Broadcom Email Security.cloud (MessageLabs, messagelabs.com).

Its own refusals are short and fixed; the meanings come from Broadcom's knowledge-base
articles on Email Security.cloud bounce codes. "No such user" and "Invalid recipient" are
its recipient-validation answers, given for a mailbox the protected domain does not have,
whatever stage the report names; the bare "Rejected" with a 542 is the same check.
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

HOSTS = (".messagelabs.com",)

_PHRASES: tuple[tuple[str, Reason], ...] = (
    ("domain authentication fail", Reason.AUTHFAILURE),  # 553 SPF / DMARC domain authentication fail
    ("connection rejected by policy", Reason.BADREPUTATION),  # negative IP reputation
    ("your ip is in the pbl", Reason.BLOCKED),
    ("your ip address has been", Reason.BLOCKED),
    ("stray linefeeds in message", Reason.NOTCOMPLIANTRFC),
    ("has detected that this message is not rfc 5322", Reason.NOTCOMPLIANTRFC),
    ("tls/sslv3 connection required", Reason.FAILEDSTARTTLS),
    (" as a relay", Reason.NORELAYING),
    ("sender envelope domain not allowed", Reason.REJECTED),
    ("your domain has been", Reason.REJECTED),  # blocked / blacklisted by the recipient's list
    ("your email address has been", Reason.REJECTED),
    ("badmailfrom list", Reason.REJECTED),
    ("turn on smtp authentication", Reason.SECURITYERROR),
    ("message filtered", Reason.SPAMDETECTED),
    ("filtered by outbound scanning", Reason.SPAMDETECTED),
    ("too many recipients received this hour", Reason.TOOMANYCONN),
    ("no such user", Reason.USERUNKNOWN),
    ("invalid recipient", Reason.USERUNKNOWN),
    ("mailbox is not allowed", Reason.USERUNKNOWN),
)
_BARE_REJECTED = re.compile(r"^542\b.*\brejected\.?$", re.IGNORECASE)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    for phrase, reason in _PHRASES:
        if phrase in text:
            return reason, f"MessageLabs: '{phrase.strip()}'"
    if _BARE_REJECTED.match(fields.diagnostic.strip()):
        return Reason.USERUNKNOWN, "MessageLabs: 542 recipient rejected by its address check"
    return None

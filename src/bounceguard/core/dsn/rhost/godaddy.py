"""GoDaddy (secureserver.net): refusals end with an "IBnnn" code that names the cause.

Meanings from GoDaddy's help page on rejected e-mail bounce errors. The code matters
because GoDaddy sends 5.1.1 even for its hourly recipient limit (IB607).
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

HOSTS = ("secureserver.net",)

_CODE = re.compile(r"\b(IB\d{3})\b")
_CODES: dict[str, Reason] = {
    "IB007": Reason.TOOMANYCONN,  # too many sessions from this IP
    "IB101": Reason.SPEEDING,  # server temporarily unavailable, higher than normal volume
    "IB103": Reason.BADREPUTATION,  # poor reputation on Cloudmark CSI
    "IB104": Reason.BLOCKED,  # Spamhaus SBL
    "IB105": Reason.BLOCKED,  # Spamhaus XBL
    "IB106": Reason.BLOCKED,  # Spamhaus PBL
    "IB108": Reason.REQUIREPTR,  # reverse DNS for this IP failed
    "IB110": Reason.BLOCKED,  # IP blocked for an hour: too much spam
    "IB111": Reason.BLOCKED,  # IP blocked for the day: too much spam
    "IB112": Reason.BLOCKED,  # IP blocked for an hour: too many invalid recipients
    "IB113": Reason.BLOCKED,  # IP blocked for the day: too many invalid recipients
    "IB212": Reason.SPAMDETECTED,  # content judged to be spam
    "IB401": Reason.SECURITYERROR,  # authentication not allowed on inbound servers
    "IB501": Reason.NOTCOMPLIANTRFC,  # blank From: address
    "IB502": Reason.NOTCOMPLIANTRFC,  # an IP address as From: address
    "IB504": Reason.SPEEDING,  # too many messages this hour
    "IB506": Reason.REJECTED,  # From: domain is invalid (no MX/A)
    "IB508": Reason.AUTHFAILURE,  # SPF does not authorise the sending server
    "IB510": Reason.SPEEDING,  # too many messages in one session
    "IB605": Reason.TOOMANYCONN,  # too many recipients in one message
    "IB607": Reason.SPEEDING,  # too many recipients this hour
    "IB705": Reason.VIRUSDETECTED,
}


def read(fields: Fields) -> tuple[Reason, str] | None:
    match = _CODE.search(fields.diagnostic)
    reason = _CODES.get(match.group(1)) if match else None
    if match is None or reason is None:
        return None
    return reason, f"GoDaddy {match.group(1)}"

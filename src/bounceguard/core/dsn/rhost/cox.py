"""Cox (cox.net): refusals name an "AUP#" code from Cox's postmaster error-code list.

The wording is often "sender rejected" whatever the cause, so the code decides: CDRBL is a
temporary block of the sending IP, not a refused sender address.
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("cox.net",)
HOSTS = ("cox.net",)

_CODE = re.compile(r"AUP#([A-Z]+[0-9]*)")
_CODES: dict[str, Reason] = {
    "CXBL": Reason.BLOCKED,  # sending IP blocked for spam-like behaviour
    "CDRBL": Reason.BLOCKED,  # sending IP temporarily blocked (up to 24 hours)
    "CXDNS": Reason.REQUIREPTR,  # reverse DNS of the sending IP fails
    "CXSNDR": Reason.AUTHFAILURE,  # SPF/DKIM checks of the sending domain failed
    "CXSMTP": Reason.REJECTED,  # could not verify a legitimate sender
    "CXCNCT": Reason.TOOMANYCONN,  # concurrent connection limit
    "CXMXRT": Reason.TOOMANYCONN,  # too many recipients, wait before sending more
    "CXTHRT": Reason.SECURITYERROR,  # suspicious account activity
    "CXMJ": Reason.SECURITYERROR,
}


def read(fields: Fields) -> tuple[Reason, str] | None:
    match = _CODE.search(fields.diagnostic)
    if match is None:
        return None
    code = match.group(1)
    if code.startswith("IPBL"):
        return Reason.BLOCKED, f"Cox {code}: sending IP on a block list"
    if code.startswith("URLBL"):
        return Reason.SPAMDETECTED, f"Cox {code}: a URL in the message is on a block list"
    reason = _CODES.get(code)
    return (reason, f"Cox {code}") if reason is not None else None

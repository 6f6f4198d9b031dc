"""Facebook (facebook.com): every refusal carries a response code such as "RCP-P1".

The letters name the area (RCP recipient, POL policy, DNS, MSG message, CON connection,
INT internal), P is permanent and T temporary; meanings from Facebook's postmaster page
(postmaster.facebook.com/response_codes). The code decides, whatever the enhanced status
says (Facebook sends 5.1.1 for a recipient's own preferences too).
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("facebook.com",)
HOSTS = (".facebook.com",)

_CODE = re.compile(r"\b([A-Z]{3}-[PT]\d)\b")
_CODES: dict[str, Reason] = {
    "RCP-P1": Reason.USERUNKNOWN,  # the recipient address does not exist
    "RCP-P2": Reason.FILTERED,  # the recipient's preferences refuse the message
    "RCP-P3": Reason.FILTERED,  # the recipient's privacy settings refuse the message
    "RCP-T1": Reason.SYSTEMERROR,  # recipient temporarily unavailable: internal issue
    "RCP-T4": Reason.SUSPEND,  # address deactivated, may be reactivated
    "INT-P1": Reason.USERUNKNOWN,
    "INT-P2": Reason.MESGTOOBIG,
    "INT-P3": Reason.USERUNKNOWN,  # group address does not exist
    "INT-P4": Reason.USERUNKNOWN,
    "MSG-P1": Reason.MESGTOOBIG,
    "MSG-P2": Reason.CONTENTERROR,  # attachment type not accepted
    "MSG-P3": Reason.NOTCOMPLIANTRFC,  # a once-only header field appears several times
    "MSG-T1": Reason.TOOMANYCONN,  # too many recipients
    "CON-T1": Reason.TOOMANYCONN,
    "CON-T2": Reason.TOOMANYCONN,
    "CON-T3": Reason.TOOMANYCONN,
    "CON-T4": Reason.TOOMANYCONN,
    "DNS-P1": Reason.REJECTED,  # MAIL FROM domain does not exist
    "DNS-P2": Reason.REJECTED,  # MAIL FROM domain has no MX
    "DNS-T1": Reason.REJECTED,  # MAIL FROM domain does not resolve now
    "DNS-P3": Reason.REQUIREPTR,  # sending server has no reverse DNS
    "DNS-T2": Reason.REQUIREPTR,
    "POL-P1": Reason.BLOCKED,  # sending IP on the Spamhaus PBL
    "POL-P2": Reason.BLOCKED,
    "POL-P3": Reason.BLOCKED,
    "POL-P4": Reason.BLOCKED,
    "POL-T1": Reason.BLOCKED,
    "POL-T2": Reason.BLOCKED,
    "POL-T3": Reason.BLOCKED,
    "POL-P5": Reason.VIRUSDETECTED,
    "POL-P6": Reason.SPAMDETECTED,  # a URL blocked by Facebook
    "POL-P7": Reason.AUTHFAILURE,  # domain authentication requirements not met
}


def read(fields: Fields) -> tuple[Reason, str] | None:
    match = _CODE.search(fields.diagnostic)
    reason = _CODES.get(match.group(1)) if match else None
    if match is None or reason is None:
        return None
    return reason, f"Facebook response code {match.group(1)}"

"""Spectrum / Charter (charter.net): refusals carry "AUP#I-nnnn" (incoming) or "AUP#O-nnnn".

Ranges from Spectrum's "understanding e-mail error codes" page; the wording around the
code ("sender rejected") is the same for most of them, so only the number tells.
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("charter.net", "spectrum.net")
HOSTS = ("charter.net",)

_CODE = re.compile(r"AUP#[A-Za-z]*-?(\d{4})")
# (first, last, reason), inclusive ranges
_RANGES: tuple[tuple[int, int, Reason], ...] = (
    (1000, 1000, Reason.BLOCKED),  # IP blocked for suspicious activity
    (1010, 1080, Reason.REJECTED),  # the sending account is blocked or limited
    (1090, 1090, Reason.SYSTEMERROR),  # cannot be processed now
    (1100, 1150, Reason.REQUIREPTR),  # full-circle reverse DNS required
    (1160, 1190, Reason.POLICYVIOLATION),  # against the domain's security policies
    (1200, 1250, Reason.BLOCKED),  # Cloudmark CSI / Spamhaus listings
    (1260, 1260, Reason.NETWORKERROR),  # IPv6 not accepted
    (1300, 1340, Reason.TOOMANYCONN),  # concurrent / total connection limits
    (1350, 1490, Reason.SPEEDING),  # message, recipient and invalid-recipient rates
    (1500, 1520, Reason.REJECTED),  # sending as another address or domain
    (1530, 1530, Reason.MESGTOOBIG),  # over 20 MB
    (1540, 1550, Reason.SPEEDING),  # too many messages per session / recipients per message
    (1560, 1560, Reason.POLICYVIOLATION),  # too many invalid recipients
    (1580, 1580, Reason.SPEEDING),  # too many recipients in a short time
)


def read(fields: Fields) -> tuple[Reason, str] | None:
    match = _CODE.search(fields.diagnostic)
    if match is None:
        return None
    number = int(match.group(1))
    for first, last, reason in _RANGES:
        if first <= number <= last:
            return reason, f"Spectrum AUP code {number}"
    return None

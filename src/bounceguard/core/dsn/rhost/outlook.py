"""Outlook.com / Hotmail (hotmail.com MX hosts): "Requested action not taken: mailbox
unavailable" is its answer for an address it does not have, and its reports rarely say at
which SMTP stage it came, so the stage rule would otherwise read it as a content filter."""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

HOSTS = (".hotmail.com",)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    if "requested action not taken: mailbox unavailable" in text:
        return Reason.USERUNKNOWN, "Outlook.com: mailbox unavailable"
    if "domain is not reachable" in text:
        return Reason.HOSTUNKNOWN, "Outlook.com: the recipient's domain is not reachable"
    return None

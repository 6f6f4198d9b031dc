"""Verizon Wireless e-mail-to-text gateways (vtext.com SMS, vzwpix.com MMS).

The gateway is the final system: it maps the address to a phone line itself and writes its
own report ("Error: Invalid user address" over "550 - Requested action not taken: no such
user here") without saying at which SMTP stage, so the stage rule would otherwise read its
directory answer as a content filter. "No such user" here means no such line.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("vtext.com", "vzwpix.com")
HOSTS = ("vtext.com", "vzwpix.com")


def read(fields: Fields) -> tuple[Reason, str] | None:
    if "no such user here" in fields.diagnostic.lower():
        return Reason.USERUNKNOWN, "Verizon text gateway: no such line"
    return None

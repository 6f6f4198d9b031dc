"""Yahoo: "554 delivery error: dd This user doesn't have a yahoo.com account" is Yahoo's
answer for a mailbox that does not exist, given at DATA time (so it would otherwise read as
a content filter). Wording seen from Yahoo's MX hosts (mta*.mail.*.yahoo.com)."""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("yahoo.com", "yahoo.co.jp", "ymail.com", "rocketmail.com", "aol.com")
HOSTS = ("yahoo.com", "yahoodns.net")


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    if "delivery error: dd" in text and "doesn't have a" in text and "account" in text:
        return Reason.USERUNKNOWN, "Yahoo: no such account"
    return None

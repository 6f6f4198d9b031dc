"""KDDI au (ezweb.ne.jp, au.com): the same "User unknown" words mean two different things.

au's MX answers a mailbox that does not exist with the address in the reply
("550 <user@ezweb.ne.jp>: User unknown"), while the recipient's own designated-sender
filter refuses with the address left out ("550 : User unknown"): the mailbox exists and the
recipient chose not to take the message. A report written by au's own gateway that only says
the recipient "was rejected by a remote mail server", with no SMTP reply at all, is that same
reception filter (the old EZweb notice).
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("ezweb.ne.jp", "au.com")
HOSTS = ("ezweb.ne.jp", "au.com")

_WITHOUT_ADDRESS = re.compile(r"\b5\d\d:?\s*:\s*user unknown", re.IGNORECASE)
_WITH_ADDRESS = re.compile(r"<[^<>\s]+@[^<>\s]+>:?\s*user unknown", re.IGNORECASE)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic
    own_notice = not fields.reply_code and fields.reporting_mta.endswith(HOSTS)
    if own_notice and "rejected by a remote mail server" in text.lower():
        return Reason.FILTERED, "au: its own gateway's refusal without a reply is the recipient's filter"
    if _WITHOUT_ADDRESS.search(text):
        return Reason.FILTERED, "au: 'User unknown' without the address is the recipient's sender filter"
    if _WITH_ADDRESS.search(text):
        return Reason.USERUNKNOWN, "au: 'User unknown' naming the address"
    return None

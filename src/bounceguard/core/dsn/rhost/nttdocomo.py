"""NTT DOCOMO (docomo.ne.jp, MX mfsmax.docomo.ne.jp): "550 Unknown user" means two things.

Answered to RCPT TO it is a mailbox that does not exist. Answered only after DATA it is the
recipient's own reception setting turning our sender away: the address exists. With
X.2.0 (a mailbox status) the report names the recipient's filter; otherwise the sender
(designated senders / refused domains) was refused.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("docomo.ne.jp",)
HOSTS = ("mfsmax.docomo.ne.jp",)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    if "550 unknown user" not in text:
        return None
    if fields.command == "RCPT":
        return Reason.USERUNKNOWN, "DOCOMO: 'Unknown user' at RCPT TO"
    if fields.command == "DATA" and fields.status[1:] == ".2.0":
        return Reason.FILTERED, "DOCOMO: 'Unknown user' after DATA with a mailbox status: the recipient's filter"
    if fields.command == "DATA":
        return Reason.REJECTED, "DOCOMO: 'Unknown user' after DATA is the recipient's sender setting"
    return None

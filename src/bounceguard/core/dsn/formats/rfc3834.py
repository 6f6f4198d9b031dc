"""RFC 3834 automatic replies (out of office, vacation): not a bounce, reason `vacation`."""

from __future__ import annotations

import re

from bounceguard.core.dsn.bouncemail import BounceMail
from bounceguard.core.dsn.fields import Fields, Kind, clean_address, squeeze
from bounceguard.core.dsn.formats.base import BounceFormat

# Subjects auto-responders use when they do not set Auto-Submitted (Outlook "Automatic reply:",
# Apple "Auto reply:", Lotus "Out of Office", "Away until ...").
_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort)|out of (?:the )?office|away until|"
    r"abwesenheit|vacation|r[ée]ponse automatique|absence)",
    re.IGNORECASE,
)


def _detect(mail: BounceMail) -> bool:
    if mail.first("message/delivery-status") is not None:
        return False
    sender = mail.from_addr.lower()
    if "mailer-daemon" in sender or "postmaster" in sender or not sender:
        return False  # bounces carry Auto-Submitted too (Postfix, Exim)
    auto = mail.header("auto-submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    if mail.headers.get("x-autoreply") or mail.headers.get("x-autorespond"):
        return True
    if mail.header("precedence").lower() == "auto_reply":
        return True
    return bool(_SUBJECT.search(mail.subject))


def _extract(mail: BounceMail) -> list[Fields]:
    addr = clean_address(mail.from_addr)
    if not addr:
        return []
    return [Fields(recipient=addr, kind=Kind.AUTOREPLY, diagnostic=squeeze(mail.bounce_text[:300]))]


FORMAT = BounceFormat(name="RFC3834", detect=_detect, extract=_extract, order=850)

"""Orange / Wanadoo / La Poste (orange.fr, wanadoo.fr, laposte.net): a numbered code decides.

Their refusals end with a label and a number, "OFR_506", "OFR005_505", "LPN007_416",
"OUK_513": the last three digits name the cause, the French/English wording around them
is shared by several causes ("Mail rejete. Mail rejected." is spam, 506). Meanings from
Orange's postmaster code list (as collected by postmastery.com and smtpfieldmanual.com).
"""

from __future__ import annotations

import re

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

DOMAINS = ("orange.fr", "wanadoo.fr", "laposte.net")
HOSTS = (".orange.fr", ".wanadoo.fr", ".laposte.net")

_CODE = re.compile(r"\b(?:OFR|LPN|OUK)[A-Z]*\d*_(\d{3})\b", re.IGNORECASE)
_CODES: dict[str, Reason] = {
    "101": Reason.BLOCKED,  # sending IP on Spamhaus
    "102": Reason.BLOCKED,  # source IP blocked for spam incidents
    "103": Reason.BLOCKED,  # "Service refuse. Veuillez essayer plus tard"
    "104": Reason.TOOMANYCONN,  # "Trop de connexions"
    "305": Reason.SECURITYERROR,  # invalid authentication code
    "401": Reason.AUTHFAILURE,  # SPF: not allowed to send mail
    "402": Reason.SECURITYERROR,  # authentication required
    "403": Reason.REJECTED,  # "Emetteur invalide. Invalid Sender."
    "405": Reason.REJECTED,
    "415": Reason.REJECTED,
    "416": Reason.USERUNKNOWN,  # "Invalid recipient"
    "417": Reason.MAILBOXFULL,  # "Recipient overquota"
    "420": Reason.SUSPEND,  # "Archived recipient"
    "421": Reason.REJECTED,  # "Mail from not owned by user"
    "426": Reason.SUSPEND,  # "The recipient account is blocked"
    "505": Reason.SYSTEMERROR,  # 421 4.2.x "Service refused, please try later" after DATA
    "506": Reason.SPAMDETECTED,  # "Mail rejete. Mail rejected."
    "510": Reason.BLOCKED,  # "les emails envoyes ... ont ete bloques"
    "514": Reason.MESGTOOBIG,  # "Taille limite du message atteinte"
    "517": Reason.AUTHFAILURE,  # DMARC verification failed
    "630": Reason.POLICYVIOLATION,  # "Client host rejected" under a local policy
    "999": Reason.BLOCKED,
}


def read(fields: Fields) -> tuple[Reason, str] | None:
    match = _CODE.search(fields.diagnostic)
    reason = _CODES.get(match.group(1)) if match else None
    if match is None or reason is None:
        return None
    return reason, f"Orange/La Poste code {match.group(0)}"

"""Mimecast (mimecast.com): fixed refusal texts, each documented with its cause.

Phrases from Mimecast's "SMTP error codes" knowledge-base article. "Rejected due to
security policies" is a signature hit (virus or spam signature such as MCSpamSignature),
not a site policy, so the generic "policies" wording would misread it.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields

HOSTS = (".mimecast.com",)

_PHRASES: tuple[tuple[str, Reason], ...] = (
    ("rejected due to security policies", Reason.VIRUSDETECTED),  # 554: a signature was detected
    ("spf sender invalid", Reason.AUTHFAILURE),
    ("dkim sender invalid", Reason.AUTHFAILURE),
    ("dmarc sender invalid", Reason.AUTHFAILURE),
    ("local ct ip reputation", Reason.BADREPUTATION),
    ("ip temporarily blacklisted", Reason.BLOCKED),
    ("sender address blocked", Reason.BLOCKED),
    ("this route requires", Reason.FAILEDSTARTTLS),  # TLS required / TLS 1.2 / strong ciphers
    ("maximum email size exceeded", Reason.MESGTOOBIG),
    ("open relay not allowed", Reason.NORELAYING),
    ("open relay is not allowed", Reason.NORELAYING),
    ("account inbounds disabled", Reason.NOTACCEPT),
    ("anti-spoofing policy", Reason.POLICYVIOLATION),
    ("content examination policy", Reason.POLICYVIOLATION),
    ("host network not allowed", Reason.POLICYVIOLATION),
    ("envelope blocked", Reason.REJECTED),  # blocked senders policy
    ("blocked senders", Reason.REJECTED),
    ("submitter failed to authenticate", Reason.SECURITYERROR),
    ("exceeding outbound thread limit", Reason.TOOMANYCONN),
    ("account service is temporarily unavailable", Reason.TOOMANYCONN),
    ("invalid recipient", Reason.USERUNKNOWN),
)


def read(fields: Fields) -> tuple[Reason, str] | None:
    text = fields.diagnostic.lower()
    for phrase, reason in _PHRASES:
        if phrase in text:
            return reason, f"Mimecast: '{phrase}'"
    return None

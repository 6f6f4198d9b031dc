"""SMTP reply codes (RFC 5321 4.2.2, RFC 7504) that hint at a reason when nothing else does.

Only used when there is no specific enhanced status code and the text names nothing:
basic reply codes are coarse, and receivers bend them (e.g. 550 for spam blocks).
"""

from __future__ import annotations

from bounceguard.core.categories import Reason

REPLY_REASONS: dict[int, Reason] = {
    421: Reason.TOOMANYCONN,  # service not available, closing channel: mostly connection/volume limits
    451: Reason.SYSTEMERROR,  # local error in processing
    452: Reason.SYSTEMFULL,  # insufficient system storage
    500: Reason.SYNTAXERROR,  # syntax error, command unrecognised
    501: Reason.SYNTAXERROR,  # syntax error in parameters
    502: Reason.SYNTAXERROR,  # command not implemented
    503: Reason.SYNTAXERROR,  # bad sequence of commands
    504: Reason.SYNTAXERROR,  # command parameter not implemented
    521: Reason.NOTACCEPT,  # host does not accept mail (RFC 7504)
    530: Reason.SECURITYERROR,  # authentication required (RFC 4954)
    535: Reason.SECURITYERROR,  # authentication credentials invalid (RFC 4954)
    552: Reason.MAILBOXFULL,  # exceeded storage allocation
    556: Reason.NOTACCEPT,  # domain does not accept mail (RFC 7504)
}


def reason_for_reply(code: int) -> Reason | None:
    """The reason a bare reply code implies, or None when it is ambiguous (550, 554, ...)."""
    if 200 <= code < 300:
        return Reason.DELIVERED
    return REPLY_REASONS.get(code)

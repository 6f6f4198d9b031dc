"""Enhanced status codes (RFC 3463, registry in RFC 5248) that name a reason on their own.

Each entry is `subject.detail -> (reason, firm)`. A firm code decides regardless of the
text (a 5.1.1 is a missing mailbox even when the text also says "blocked"); a leaning
code is the answer only when the text names no reason (receivers reuse 5.7.1 for many
refusals, some Exchange setups even for unknown users). Codes left out (X.0.0, X.1.0,
X.2.0, X.3.0, X.5.0, ...) are generic: the text decides.
"""

from __future__ import annotations

from bounceguard.core.categories import Reason

FIRM = True
LEANING = False

# subject.detail -> (reason, firm); class-independent unless overridden below.
STATUS_REASONS: dict[str, tuple[Reason, bool]] = {
    # X.1.* addressing (RFC 3463 3.2)
    "1.1": (Reason.USERUNKNOWN, FIRM),  # bad destination mailbox address
    "1.2": (Reason.HOSTUNKNOWN, FIRM),  # bad destination system address
    "1.3": (Reason.USERUNKNOWN, LEANING),  # bad destination mailbox address syntax
    "1.4": (Reason.USERUNKNOWN, LEANING),  # destination mailbox address ambiguous
    "1.6": (Reason.HASMOVED, FIRM),  # destination mailbox has moved, no forwarding address
    "1.7": (Reason.REJECTED, FIRM),  # bad sender's mailbox address syntax
    "1.8": (Reason.REJECTED, FIRM),  # bad sender's system address
    # Recipient address has null MX (RFC 7505); Microsoft 365 also sends 5.1.10 for
    # "RecipientNotFound", so its text may refine it (both are hard).
    "1.10": (Reason.NOTACCEPT, LEANING),
    # X.2.* mailbox (RFC 3463 3.3)
    "2.1": (Reason.SUSPEND, LEANING),  # mailbox disabled; Postfix sites also use it for unknown users
    "2.2": (Reason.MAILBOXFULL, FIRM),  # mailbox full
    "2.3": (Reason.EXCEEDLIMIT, FIRM),  # message length exceeds administrative limit
    "2.4": (Reason.SYSTEMERROR, LEANING),  # mailing list expansion problem
    # X.3.* mail system (RFC 3463 3.4)
    "3.1": (Reason.SYSTEMFULL, LEANING),  # mail system full
    "3.2": (Reason.SYSTEMERROR, LEANING),  # system not accepting network messages
    "3.3": (Reason.SYSTEMERROR, LEANING),  # system not capable of selected features
    "3.4": (Reason.MESGTOOBIG, FIRM),  # message too big for system
    "3.5": (Reason.SYSTEMERROR, LEANING),  # system incorrectly configured
    # X.4.* network and routing (RFC 3463 3.5)
    "4.1": (Reason.NETWORKERROR, LEANING),  # no answer from host
    "4.2": (Reason.NETWORKERROR, LEANING),  # bad connection
    "4.3": (Reason.NETWORKERROR, LEANING),  # directory server (DNS) failure
    "4.4": (Reason.NETWORKERROR, LEANING),  # unable to route (5.4.4 overridden below)
    "4.5": (Reason.SYSTEMERROR, LEANING),  # mail system congestion
    "4.6": (Reason.NETWORKERROR, LEANING),  # routing loop detected
    # Delivery time expired: the reporting MTA gave up; the receiver's text, when it
    # names a cause (Sendmail "Deferred: Connection refused"), says why.
    "4.7": (Reason.EXPIRED, LEANING),
    # X.5.* protocol (RFC 3463 3.6)
    "5.1": (Reason.SYNTAXERROR, LEANING),  # invalid command
    "5.2": (Reason.SYNTAXERROR, LEANING),  # syntax error
    "5.3": (Reason.TOOMANYCONN, LEANING),  # too many recipients
    "5.4": (Reason.SYNTAXERROR, LEANING),  # invalid command arguments
    "5.5": (Reason.SYSTEMERROR, LEANING),  # wrong protocol version
    "5.6": (Reason.SYNTAXERROR, LEANING),  # authentication exchange line too long (RFC 4954)
    # X.6.* message content or media (RFC 3463 3.7, RFC 6531, RFC 6533)
    "6.0": (Reason.CONTENTERROR, LEANING),
    "6.1": (Reason.CONTENTERROR, LEANING),  # media not supported
    "6.2": (Reason.CONTENTERROR, LEANING),  # conversion required and prohibited
    "6.3": (Reason.CONTENTERROR, LEANING),  # conversion required but not supported
    "6.4": (Reason.CONTENTERROR, LEANING),  # conversion with loss performed
    "6.5": (Reason.CONTENTERROR, LEANING),  # conversion failed
    "6.6": (Reason.CONTENTERROR, LEANING),  # message content not available
    "6.7": (Reason.CONTENTERROR, LEANING),  # non-ASCII addresses not permitted (RFC 6531)
    "6.8": (Reason.CONTENTERROR, LEANING),  # UTF-8 string reply required (RFC 6531)
    "6.9": (Reason.CONTENTERROR, LEANING),  # UTF-8 header cannot be transferred (RFC 6531)
    "6.10": (Reason.CONTENTERROR, LEANING),  # RFC 6533
    # X.7.* security or policy (RFC 3463 3.8, RFC 5248 registry)
    "7.0": (Reason.SECURITYERROR, LEANING),  # other security status: Gmail also uses it for rate/TLS
    "7.1": (Reason.BLOCKED, LEANING),  # delivery not authorized, message refused
    "7.2": (Reason.POLICYVIOLATION, LEANING),  # mailing list expansion prohibited
    "7.3": (Reason.SECURITYERROR, LEANING),  # security conversion required but not possible
    "7.4": (Reason.SECURITYERROR, LEANING),  # security features not supported
    "7.5": (Reason.SECURITYERROR, LEANING),  # cryptographic failure
    "7.6": (Reason.SECURITYERROR, LEANING),  # cryptographic algorithm not supported
    "7.7": (Reason.SECURITYERROR, LEANING),  # message integrity failure
    "7.8": (Reason.SECURITYERROR, LEANING),  # authentication credentials invalid (RFC 4954)
    "7.9": (Reason.SECURITYERROR, LEANING),  # authentication mechanism too weak (RFC 4954)
    "7.10": (Reason.FAILEDSTARTTLS, LEANING),  # encryption needed (RFC 5248)
    "7.11": (Reason.SECURITYERROR, LEANING),  # encryption required for auth mechanism (RFC 4954)
    "7.12": (Reason.SECURITYERROR, LEANING),  # password transition needed (RFC 4954)
    "7.13": (Reason.SUSPEND, LEANING),  # user account disabled (RFC 5248)
    "7.14": (Reason.SECURITYERROR, LEANING),  # trust relationship required (RFC 5248)
    "7.15": (Reason.POLICYVIOLATION, LEANING),  # priority level too low (RFC 6710)
    "7.16": (Reason.MESGTOOBIG, LEANING),  # message too big for specified priority (RFC 6710)
    "7.17": (Reason.HASMOVED, FIRM),  # mailbox owner has changed (RFC 7293)
    "7.18": (Reason.HASMOVED, FIRM),  # domain owner has changed (RFC 7293)
    "7.19": (Reason.SYSTEMERROR, LEANING),  # RRVS test cannot be completed (RFC 7293)
    "7.20": (Reason.AUTHFAILURE, FIRM),  # no passing DKIM signature found (RFC 7372)
    "7.21": (Reason.AUTHFAILURE, FIRM),  # no acceptable DKIM signature found (RFC 7372)
    "7.22": (Reason.AUTHFAILURE, FIRM),  # no valid author-matched DKIM signature (RFC 7372)
    "7.23": (Reason.AUTHFAILURE, FIRM),  # SPF validation failed (RFC 7372)
    "7.24": (Reason.AUTHFAILURE, FIRM),  # SPF validation error (RFC 7372)
    "7.25": (Reason.REQUIREPTR, FIRM),  # reverse DNS validation failed (RFC 7372)
    "7.26": (Reason.AUTHFAILURE, FIRM),  # multiple authentication checks failed (RFC 7372)
    # RFC 7505 names 7.27 "sender address has null MX": a sender-side domain failure, grouped
    # with the other sender-authentication refusals so it blocks nothing on the recipient.
    "7.27": (Reason.AUTHFAILURE, FIRM),
    "7.28": (Reason.SPEEDING, LEANING),  # mail flood detected (RFC 5248 registry)
    "7.29": (Reason.AUTHFAILURE, FIRM),  # ARC validation failure (RFC 8617)
    "7.30": (Reason.FAILEDSTARTTLS, LEANING),  # REQUIRETLS support required (RFC 8689)
}

# Full codes whose meaning depends on the class.
CLASS_STATUS_REASONS: dict[str, tuple[Reason, bool]] = {
    # A permanent "unable to route" means the domain has no usable MX/A (Postfix, Sendmail).
    "5.4.4": (Reason.HOSTUNKNOWN, LEANING),
    "5.4.1": (Reason.NETWORKERROR, LEANING),
    # Success codes: delivered (RFC 3464 "delivered" / "relayed" reports).
    "2.0.0": (Reason.DELIVERED, FIRM),
    "2.1.5": (Reason.DELIVERED, FIRM),
    "2.6.0": (Reason.DELIVERED, FIRM),
}


def reason_for_status(status: str) -> tuple[Reason, bool] | None:
    """(reason, firm) for a valid `X.Y.Z` code whose meaning is specific, else None."""
    hit = CLASS_STATUS_REASONS.get(status)
    if hit is not None:
        return hit
    if status[0] == "2":
        return (Reason.DELIVERED, FIRM)
    _, _, subject_detail = status.partition(".")
    return STATUS_REASONS.get(subject_detail)

"""Bounce reasons (Sisimai's names) and the category each one implies.

Reason names follow Sisimai so results compare directly with its labelled corpus.
The category decides the action: see docs/taxonomy.md for the table and the why.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    HARD = "hard"  # address is dead: suppress now
    SOFT = "soft"  # temporary, recipient side: count, retry, escalate when persistent
    BLOCK = "block"  # sender side (reputation, policy, auth): never suppress the recipient
    COMPLAINT = "complaint"
    UNSUBSCRIBE = "unsubscribe"
    TRAP = "trap"
    NONE = "none"  # delivered, sent, auto-reply


class Reason(StrEnum):
    # recipient is gone
    USERUNKNOWN = "userunknown"
    HOSTUNKNOWN = "hostunknown"
    HASMOVED = "hasmoved"
    NOTACCEPT = "notaccept"
    # recipient side, temporary
    MAILBOXFULL = "mailboxfull"
    MESGTOOBIG = "mesgtoobig"
    EXCEEDLIMIT = "exceedlimit"
    SUSPEND = "suspend"
    EXPIRED = "expired"
    FILTERED = "filtered"
    REJECTED = "rejected"
    NETWORKERROR = "networkerror"
    SYSTEMERROR = "systemerror"
    SYSTEMFULL = "systemfull"
    MAILERERROR = "mailererror"
    ONHOLD = "onhold"
    UNDEFINED = "undefined"
    RATELIMITED = "ratelimited"
    SPEEDING = "speeding"
    TOOMANYCONN = "toomanyconn"
    SYNTAXERROR = "syntaxerror"
    NORELAYING = "norelaying"
    CONTENTERROR = "contenterror"
    FAILEDSTARTTLS = "failedstarttls"
    # sender side: block
    BLOCKED = "blocked"
    SPAMDETECTED = "spamdetected"
    POLICYVIOLATION = "policyviolation"
    VIRUSDETECTED = "virusdetected"
    SECURITYERROR = "securityerror"
    AUTHFAILURE = "authfailure"
    BADREPUTATION = "badreputation"
    REQUIREPTR = "requireptr"
    NOTCOMPLIANTRFC = "notcompliantrfc"
    # not bounces
    FEEDBACK = "feedback"
    UNSUBSCRIBED = "unsubscribed"
    SPAMTRAP = "spamtrap"
    VACATION = "vacation"
    DELIVERED = "delivered"
    SUPPRESSED = "suppressed"  # the provider refused to send: its own suppression list


REASON_CATEGORY: dict[Reason, Category] = {
    Reason.USERUNKNOWN: Category.HARD,
    Reason.HOSTUNKNOWN: Category.HARD,
    Reason.HASMOVED: Category.HARD,
    Reason.NOTACCEPT: Category.HARD,  # null MX / domain accepts no mail; 4xx variants are soft
    Reason.MAILBOXFULL: Category.SOFT,
    Reason.MESGTOOBIG: Category.SOFT,
    Reason.EXCEEDLIMIT: Category.SOFT,
    Reason.SUSPEND: Category.SOFT,
    Reason.EXPIRED: Category.SOFT,
    Reason.FILTERED: Category.SOFT,
    Reason.REJECTED: Category.SOFT,
    Reason.NETWORKERROR: Category.SOFT,
    Reason.SYSTEMERROR: Category.SOFT,
    Reason.SYSTEMFULL: Category.SOFT,
    Reason.MAILERERROR: Category.SOFT,
    Reason.ONHOLD: Category.SOFT,
    Reason.UNDEFINED: Category.SOFT,
    Reason.RATELIMITED: Category.SOFT,
    Reason.SPEEDING: Category.SOFT,
    Reason.TOOMANYCONN: Category.SOFT,
    Reason.SYNTAXERROR: Category.SOFT,
    Reason.NORELAYING: Category.SOFT,
    Reason.CONTENTERROR: Category.SOFT,
    Reason.FAILEDSTARTTLS: Category.SOFT,
    Reason.BLOCKED: Category.BLOCK,
    Reason.SPAMDETECTED: Category.BLOCK,
    Reason.POLICYVIOLATION: Category.BLOCK,
    Reason.VIRUSDETECTED: Category.BLOCK,
    Reason.SECURITYERROR: Category.BLOCK,
    Reason.AUTHFAILURE: Category.BLOCK,
    Reason.BADREPUTATION: Category.BLOCK,
    Reason.REQUIREPTR: Category.BLOCK,
    Reason.NOTCOMPLIANTRFC: Category.BLOCK,
    Reason.FEEDBACK: Category.COMPLAINT,
    Reason.UNSUBSCRIBED: Category.UNSUBSCRIBE,
    Reason.SPAMTRAP: Category.TRAP,
    Reason.VACATION: Category.NONE,
    Reason.DELIVERED: Category.NONE,
    Reason.SUPPRESSED: Category.NONE,
}


def category_of(reason: Reason) -> Category:
    """The default category of a reason; the classifier may refine it (4xx notaccept is soft)."""
    return REASON_CATEGORY[reason]

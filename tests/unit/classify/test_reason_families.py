"""One table per reason family: wording alone (no codes) -> reason, via reason_from_text,
and the category the full classifier gives it. Each module in reasons/ has rows here."""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import classify, reason_from_text

R = Reason

FAMILIES: dict[str, list[tuple[str, Reason]]] = {
    "userunknown": [
        ("User unknown in local recipient table", R.USERUNKNOWN),
        ("No such user here", R.USERUNKNOWN),
        ("The email account that you tried to reach does not exist", R.USERUNKNOWN),
        ("Recipient address rejected: Access denied. AS(201806281)", R.USERUNKNOWN),
    ],
    "hostunknown": [
        ("Host or domain name not found. Name service error for name=example.invalid type=A", R.HOSTUNKNOWN),
        ("Domain does not exist", R.HOSTUNKNOWN),
        ("DNS lookup failure: host cx.example.org not found", R.HOSTUNKNOWN),
    ],
    "hasmoved": [
        ("551 User not local; please try <new@example.org>", R.HASMOVED),
        ("address has been moved to new@example.org", R.HASMOVED),
    ],
    "notaccept": [
        ("Domain example.org has a null MX", R.NOTACCEPT),
        ("No MX found for domain", R.NOTACCEPT),
    ],
    "mailboxfull": [
        ("Mailbox is full", R.MAILBOXFULL),
        ("mailbox quota nearly full", R.MAILBOXFULL),
        ("Quota exceeded (mailbox for user is full)", R.MAILBOXFULL),
    ],
    "mesgtoobig": [
        ("Message size exceeds fixed maximum message size", R.MESGTOOBIG),
        ("message too large", R.MESGTOOBIG),
    ],
    "exceedlimit": [("message length exceeds administrative limit", R.EXCEEDLIMIT)],
    "suspend": [
        ("This account has been disabled or discontinued", R.SUSPEND),
        ("vdelivermail: account is locked", R.SUSPEND),
    ],
    "expired": [("all hosts have been failing for a long time", R.EXPIRED), ("Envelope expired", R.EXPIRED)],
    "filtered": [
        ("Envelope blocked - User Entry", R.FILTERED),
        ("this user doesn't accept mail from your address", R.FILTERED),
    ],
    "rejected": [("Sender address rejected: Domain not found", R.REJECTED), ("Sender verify failed", R.REJECTED)],
    "rejected_generic": [("550 Rejected", R.REJECTED), ("Access denied", R.REJECTED)],
    "networkerror": [
        ("Network error on destination MXs", R.NETWORKERROR),
        ("Host not found, try again", R.NETWORKERROR),
    ],
    "systemerror": [("Local error in processing", R.SYSTEMERROR), ("internal error", R.SYSTEMERROR)],
    "systemfull": [("Insufficient system storage", R.SYSTEMFULL), ("no space left on device", R.SYSTEMFULL)],
    "mailererror": [("Command died with status 1: /usr/bin/procmail", R.MAILERERROR)],
    "speeding": [("Recipient is being rate limited", R.SPEEDING), ("too many messages in a short time", R.SPEEDING)],
    "toomanyconn": [("Too many connections from your host", R.TOOMANYCONN), ("Too many recipients", R.TOOMANYCONN)],
    "syntaxerror": [("Syntax error, command unrecognized", R.SYNTAXERROR), ("Bad sequence of commands", R.SYNTAXERROR)],
    "norelaying": [("Relay access denied", R.NORELAYING), ("Relaying denied", R.NORELAYING)],
    "contenterror": [("improper use of 8-bit data in message header", R.CONTENTERROR)],
    "failedstarttls": [("Must issue a STARTTLS command first", R.FAILEDSTARTTLS), ("TLS required", R.FAILEDSTARTTLS)],
    "blocked": [
        ("Client host [192.0.2.1] blocked using zen.spamhaus.org", R.BLOCKED),
        ("Access denied, banned sending IP", R.BLOCKED),
        ("server refused to talk to me", R.BLOCKED),
    ],
    "blocked_generic": [("Your message was blocked", R.BLOCKED), ("Connection refused by mx.example.org", R.BLOCKED)],
    "spamdetected": [("Message rejected as spam", R.SPAMDETECTED), ("likely unsolicited mail", R.SPAMDETECTED)],
    "policyviolation": [
        ("Message rejected due to local policy", R.POLICYVIOLATION),
        ("BANNED attachment", R.POLICYVIOLATION),
    ],
    "virusdetected": [("Message content rejected: INFECTED (Eicar-Test-Signature)", R.VIRUSDETECTED)],
    "securityerror": [
        ("Authentication required", R.SECURITYERROR),
        ("Unauthenticated senders not allowed", R.SECURITYERROR),
    ],
    "authfailure": [("does not pass DMARC verification", R.AUTHFAILURE), ("SPF check failed", R.AUTHFAILURE)],
    "badreputation": [("due to the very low reputation of the sending IP", R.BADREPUTATION)],
    "requireptr": [
        ("Client host rejected: cannot find your reverse hostname", R.REQUIREPTR),
        ("no PTR record", R.REQUIREPTR),
    ],
    "notcompliantrfc": [("This message is not RFC 5322 compliant", R.NOTCOMPLIANTRFC)],
    "suppressed": [("Address is on the suppression list", R.SUPPRESSED)],
    "greylisting": [("Greylisted, see http://postgrey.example/help", R.ONHOLD)],
}

ROWS = [(family, text, reason) for family, rows in FAMILIES.items() for text, reason in rows]


@pytest.mark.parametrize(("family", "text", "reason"), ROWS)
def test_wording_names_the_reason(family: str, text: str, reason: Reason) -> None:
    assert reason_from_text(text) is reason


@pytest.mark.parametrize(("family", "text", "reason"), ROWS)
def test_category_follows_the_reason(family: str, text: str, reason: Reason) -> None:
    verdict = classify(diagnostic=text)
    assert verdict.reason is reason
    block = {
        R.BLOCKED,
        R.SPAMDETECTED,
        R.POLICYVIOLATION,
        R.VIRUSDETECTED,
        R.SECURITYERROR,
        R.AUTHFAILURE,
        R.BADREPUTATION,
        R.REQUIREPTR,
        R.NOTCOMPLIANTRFC,
    }
    hard = {R.USERUNKNOWN, R.HOSTUNKNOWN, R.HASMOVED, R.NOTACCEPT}
    expected = Category.BLOCK if reason in block else Category.HARD if reason in hard else None
    if expected is not None:
        assert verdict.category is expected


def test_every_reason_module_has_rows() -> None:
    import pkgutil

    from bounceguard.core.classify import reasons

    assert {m.name for m in pkgutil.iter_modules(reasons.__path__)} <= set(FAMILIES)

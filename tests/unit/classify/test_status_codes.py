"""Status and reply codes -> reason; the category follows the reason, not the first digit."""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import classify

H, S, B = Category.HARD, Category.SOFT, Category.BLOCK
R = Reason

# (reply_code, status, diagnostic, reason, category)
STATUS_ROWS: list[tuple[int | None, str | None, str | None, Reason, Category]] = [
    (550, "5.1.1", None, R.USERUNKNOWN, H),
    (550, "5.1.2", None, R.HOSTUNKNOWN, H),
    (556, "5.1.10", None, R.NOTACCEPT, H),
    (551, "5.1.6", None, R.HASMOVED, H),
    (552, "5.2.2", None, R.MAILBOXFULL, S),
    (552, "5.3.4", None, R.MESGTOOBIG, S),
    (550, "5.7.26", None, R.AUTHFAILURE, B),
    (550, "5.7.27", None, R.AUTHFAILURE, B),
    (550, "5.7.25", None, R.REQUIREPTR, B),
    (550, "5.7.23", None, R.AUTHFAILURE, B),
    (550, "5.7.1", None, R.BLOCKED, B),
    (550, "5.7.1", "Delivery not authorized, message refused", R.BLOCKED, B),
    (550, "5.7.17", None, R.HASMOVED, H),
    (525, "5.7.13", None, R.SUSPEND, S),
    (553, "5.1.8", None, R.REJECTED, S),
    (554, "5.4.6", None, R.NETWORKERROR, S),
    (550, "5.4.4", None, R.HOSTUNKNOWN, H),
    (450, "4.4.4", None, R.NETWORKERROR, S),
    (None, "4.4.7", None, R.EXPIRED, S),
    (550, "5.6.0", None, R.CONTENTERROR, S),
    (530, "5.7.10", None, R.FAILEDSTARTTLS, S),
    (250, "2.0.0", None, R.DELIVERED, Category.NONE),
    (250, None, None, R.DELIVERED, Category.NONE),
    # bare reply codes
    (421, None, None, R.TOOMANYCONN, S),
    (452, None, None, R.SYSTEMFULL, S),
    (521, None, None, R.NOTACCEPT, H),
    (501, None, None, R.SYNTAXERROR, S),
    # generic codes without wording: a failure we cannot read
    (550, None, None, R.ONHOLD, S),
    (554, "5.0.0", None, R.ONHOLD, S),
    (None, "4.0.0", None, R.ONHOLD, S),
    (550, "5.5.0", None, R.ONHOLD, S),
    (None, None, None, R.UNDEFINED, S),
    (None, None, "", R.UNDEFINED, S),
]


@pytest.mark.parametrize(("code", "status", "text", "reason", "category"), STATUS_ROWS)
def test_status_and_reply_codes(
    code: int | None, status: str | None, text: str | None, reason: Reason, category: Category
) -> None:
    verdict = classify(reply_code=code, status=status, diagnostic=text)
    assert (verdict.reason, verdict.category) == (reason, category), verdict.why


# The category follows the reason: the first digit never decides on its own.
FOLLOWS_REASON_ROWS: list[tuple[int | None, str | None, str, Reason, Category]] = [
    (450, "4.1.1", "<x@example.org>: Recipient address rejected: User unknown", R.USERUNKNOWN, H),
    (452, "4.2.2", "mailbox full", R.MAILBOXFULL, S),
    (552, "5.2.2", "mailbox full", R.MAILBOXFULL, S),
    (550, "5.7.1", "Message rejected as spam", R.SPAMDETECTED, B),
    (550, "5.7.1", "Service unavailable; client host blocked using zen.spamhaus.org", R.BLOCKED, B),
    (556, "5.1.10", "Recipient address has null MX", R.NOTACCEPT, H),
    (451, "4.1.10", "Recipient address has null MX", R.NOTACCEPT, S),
    (421, None, "host does not accept mail", R.NOTACCEPT, S),
    (550, None, "host does not accept mail", R.NOTACCEPT, H),
    # some Exchange setups use 5.7.1 for unknown users: the wording refines the leaning code
    (550, "5.7.1", "RESOLVER.ADR.RecipNotFound; user unknown", R.USERUNKNOWN, H),
    # a 5.1.1 never becomes a block, whatever the text says
    (550, "5.1.1", "user unknown; blocked by spamhaus", R.USERUNKNOWN, H),
    (550, "5.1.1", "Message rejected as spam", R.USERUNKNOWN, H),
    # ...but clear softer wording (mailbox full, rate limits) is not proof the address is dead
    (552, "5.1.1", "sorry, mailbox x is over quota temporarily", R.MAILBOXFULL, S),
    # generic words do not override a code that leans to a reason
    (550, "5.7.9", "Rejected", R.SECURITYERROR, B),
    (550, "5.6.0", "Recipient address rejected: Media error", R.CONTENTERROR, S),
    # the receiver's own status in the text beats a DSN's generic or summary Status field
    (550, "5.0.0", "550 5.1.1 <x@example.org>... User Unknown", R.USERUNKNOWN, H),
    (None, "4.4.7", "450 4.7.1 Access denied. IP name lookup failed [192.0.2.1]", R.REQUIREPTR, B),
    (550, "5.1.1", "550 5.7.1 IP address blacklisted by recipient", R.BLOCKED, B),
    # codes written only in the text are found there
    (None, None, "host mx.example.org[192.0.2.1] said: 550 5.1.1 <x@example.org>: User unknown", R.USERUNKNOWN, H),
    (None, None, "Sorry, no mailbox here by that name. (#5.1.1)", R.USERUNKNOWN, H),
    # a "user unknown" answered only after DATA is a filter (Japanese carriers), not a dead address
    (550, None, "SMTP error from remote mail server after end of data: 550 : User unknown", R.FILTERED, S),
    (550, "5.0.0", "550 Unknown user x@example.jp (in reply to end of DATA command)", R.FILTERED, S),
]


@pytest.mark.parametrize(("code", "status", "text", "reason", "category"), FOLLOWS_REASON_ROWS)
def test_category_follows_reason(
    code: int | None, status: str | None, text: str, reason: Reason, category: Category
) -> None:
    verdict = classify(reply_code=code, status=status, diagnostic=text)
    assert (verdict.reason, verdict.category) == (reason, category), verdict.why


@pytest.mark.parametrize(
    ("command", "reason"),
    [("DATA", R.FILTERED), ("data", R.FILTERED), ("BDAT", R.FILTERED), ("RCPT", R.USERUNKNOWN), (None, R.USERUNKNOWN)],
)
def test_smtp_command_after_data(command: str | None, reason: Reason) -> None:
    verdict = classify(reply_code=550, status="5.1.1", diagnostic="User unknown", smtp_command=command)
    assert verdict.reason is reason


@pytest.mark.parametrize(
    ("code", "status", "text", "why"),
    [
        (550, "5.1.1", "user unknown", "status 5.1.1"),
        (552, None, "mailbox full", "text 'mailbox full' (mailboxfull)"),
        (421, None, None, "reply 421"),
        (None, None, None, "no code and no known wording"),
    ],
)
def test_why_names_the_deciding_signal(code: int | None, status: str | None, text: str | None, why: str) -> None:
    assert classify(reply_code=code, status=status, diagnostic=text).why == why


@pytest.mark.parametrize(
    ("code", "status", "reason"),
    [
        (999, None, R.UNDEFINED),  # out-of-range reply code: ignored
        (-1, None, R.UNDEFINED),
        (None, "9.9.9", R.UNDEFINED),  # not an RFC 3463 class
        (None, "5.1", R.UNDEFINED),
        (None, " 5.1.1 ", R.USERUNKNOWN),  # surrounding blanks are tolerated
        (None, "5.999.999", R.ONHOLD),  # well-formed but unregistered: a failure we cannot read
    ],
)
def test_odd_codes_are_ignored_not_fatal(code: int | None, status: str | None, reason: Reason) -> None:
    assert classify(reply_code=code, status=status).reason is reason

"""Per format family: corpus file -> expected format, recipients and the fields we extract.

Reasons are asserted where the structure decides them (ARF, auto-replies, delivered) or the
code is firm (X.1.1); the wording-driven rest is covered by the corpus accuracy floors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bounceguard.core.categories import Category, Reason
from bounceguard.core.dsn import parse_bounce

CORPUS = Path(
    os.environ.get("BOUNCEGUARD_CORPUS", Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "sisimai")
)


def email_bytes(name: str) -> bytes:
    path = CORPUS / "emails" / name
    assert path.is_file(), f"bounce corpus missing at {CORPUS} (set BOUNCEGUARD_CORPUS)"
    return path.read_bytes()


# file, format, [(recipient, status, reply code)]
EXTRACTION = [
    ("lhost-postfix-13.eml", "RFC3464", [("kijitora@example.jp", "5.2.1", 550), ("noraneko@example.jp", "5.2.2", 550)]),
    ("lhost-sendmail-01.eml", "RFC3464", [("userunknown@bouncehammer.jp", "5.1.1", 550)]),
    ("lhost-exim-01.eml", "plaintext", [("kijitora@example.ed.jp", "5.7.0", 550)]),
    ("lhost-exim-02.eml", "plaintext", [("kijitora@example.jp", "5.1.1", 550), ("sabatora@example.jp", "5.2.1", 550)]),
    ("lhost-qmail-01.eml", "plaintext", [("kijitora@example.ne.jp", "5.5.0", 550)]),
    ("lhost-yahoo-01.eml", "plaintext", [("kijitora@example.org", "5.1.1", 550)]),
    ("lhost-dragonfly-01.eml", "plaintext", [("pseudo-local-part@google.example.com", "5.7.26", 550)]),
    ("lhost-gmail-01.eml", "plaintext", [("userunknown@example.jp", "5.1.1", 550)]),
    ("lhost-amazonses-09.eml", "AmazonSES", [("bounce@simulator.amazonses.com", "5.1.1", 550)]),
    (
        "lhost-v5sendmail-05.eml",
        "plaintext",
        [
            ("kijitora@example.edu", "", 550),  # the remote "<<< 550" reply, not the local summary
            ("kuroneko@example.or.jp", "", 554),
            ("kijitora@example.org", "", 554),
            ("mikeneko@example.co.jp", "", 550),
        ],
    ),
    ("lhost-messagingserver-02.eml", "RFC3464", [("kijitora@example.net", "5.2.0", 522)]),  # source route
    ("lhost-postfix-32.eml", "RFC3464", [('"neko....nyaan...."@libsisimai.org', "5.1.1", 550)]),  # quoted local part
    ("lhost-postfix-49.eml", "RFC3464", [("kijitora-neko-nyaan@ntt.example.ne.jp", "4.0.0", 421)]),  # DSN as text
    ("lhost-verizon-02.eml", "plaintext", [("may-be-straycat-nyaaaaaan@vtext.com", "", 550)]),  # lost boundary
    ("lhost-fml-02.eml", "fml", [("neko-nyaan@example.org", "", None)]),
    ("rhost-facebook-03.eml", "RFC3464", [("kijitora@facebook.com", "5.1.1", 550)]),  # address after Status
    (
        "lhost-x2-02.eml",
        "plaintext",
        [("kijitora@example.com", "", None), ("mikeneko@example.com", "", None), ("sabineko@example.com", "", None)],
    ),
]


@pytest.mark.parametrize(("name", "fmt", "expected"), EXTRACTION, ids=[row[0] for row in EXTRACTION])
def test_extraction(name: str, fmt: str, expected: list[tuple[str, str, int | None]]) -> None:
    parsed = parse_bounce(email_bytes(name))
    assert parsed.format == fmt
    got = [(r.recipient, r.status, r.reply_code) for r in parsed.recipients]
    assert got == expected


# file, recipient, reason, category, hardbounce
DECIDED = [
    ("arf-01.eml", "redacted@example.net", Reason.FEEDBACK, Category.COMPLAINT, False),
    ("rfc3834-02.eml", "nekonyaan@example.org", Reason.VACATION, Category.NONE, False),
    ("rfc3834-05.eml", "foo@bar.net", Reason.VACATION, Category.NONE, False),
    ("lhost-amazonses-11.eml", "complaint@simulator.amazonses.com", Reason.FEEDBACK, Category.COMPLAINT, False),
    ("lhost-amazonses-12.eml", "success@simulator.amazonses.com", Reason.DELIVERED, Category.NONE, False),
    ("rfc3464-28.eml", "info@neko.example.jp", Reason.DELIVERED, Category.NONE, False),  # mbox, 2nd message
    ("lhost-sendmail-01.eml", "userunknown@bouncehammer.jp", Reason.USERUNKNOWN, Category.HARD, True),
    ("lhost-postfix-03.eml", "kijitora@example.net", Reason.FILTERED, Category.SOFT, False),  # answer to DATA
    ("lhost-exim-36.eml", "kijitora@example.edu", Reason.REJECTED, Category.SOFT, False),  # after MAIL FROM
    ("lhost-postfix-15.eml", "kijitora@bukkoji.example.org", Reason.EXPIRED, Category.SOFT, False),  # timeout
    ("lhost-googlegroups-02.eml", "libsisimai@googlegroups.com", Reason.REJECTED, Category.SOFT, False),
    ("rfc3464-57.eml", "otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp", Reason.FILTERED, Category.SOFT, False),
    ("rfc3464-58.eml", "otsu-sakaba-hunter-neko-nyaaaaaaan@ezweb.ne.jp", Reason.USERUNKNOWN, Category.HARD, True),
    ("lhost-postfix-75.eml", "kijitora@libsisimai.net", Reason.SYSTEMERROR, Category.SOFT, False),  # failing reply
    ("lhost-x2-02.eml", "mikeneko@example.com", Reason.SUSPEND, Category.SOFT, False),  # own paragraph only
    ("lhost-exim-35.eml", "kijitora@example.com", Reason.BLOCKED, Category.BLOCK, False),  # at connection
    ("rhost-franceptt-04.eml", "xxxx@xxxx.fr", Reason.SPAMDETECTED, Category.BLOCK, False),  # host from the prose
    ("rhost-messagelabs-02.eml", "kijitora@neko.example.org", Reason.USERUNKNOWN, Category.HARD, True),  # reporter
    ("lhost-exim-44.eml", "kijitora@example.com", Reason.MAILERERROR, Category.SOFT, False),  # pipe recipient
    ("lhost-powermta-02.eml", "kijitora@example.com", Reason.USERUNKNOWN, Category.HARD, True),  # bad-mailbox
    ("lhost-sendmail-09.eml", "kijitora@example.co.jp", Reason.POLICYVIOLATION, Category.BLOCK, False),  # 5.7.9 header
    ("rfc3464-03.eml", "kijitora@example.com", Reason.POLICYVIOLATION, Category.BLOCK, False),  # "policy reasons"
    ("rfc3464-51.eml", "kijitora@example.de", Reason.USERUNKNOWN, Category.HARD, True),  # "#5.1.0 Address rejected."
    (
        "lhost-ezweb-01.eml",
        "this-message-rejected-by-the-domain-filter@ezweb.ne.jp",
        Reason.FILTERED,
        Category.SOFT,
        False,
    ),  # au's own notice
    ("lhost-v5sendmail-06.eml", "kijitora@example.edu", Reason.NORELAYING, Category.SOFT, False),  # "<<<" reply
    ("lhost-v5sendmail-07.eml", "mikeneko@example.org", Reason.HOSTUNKNOWN, Category.HARD, True),  # no "<<<" of its own
]


@pytest.mark.parametrize(("name", "recipient", "reason", "category", "hard"), DECIDED, ids=[row[0] for row in DECIDED])
def test_decided(name: str, recipient: str, reason: Reason, category: Category, hard: bool) -> None:
    parsed = parse_bounce(email_bytes(name))
    rec = next(r for r in parsed.recipients if r.recipient == recipient)
    assert (rec.reason, rec.category, rec.hardbounce) == (reason, category, hard)


def test_original_message_headers_are_kept() -> None:
    rec = parse_bounce(email_bytes("lhost-exim-01.eml")).recipients[0]
    assert rec.message_id == "E1P1ce6-000Egt-GZ@e1.example.org"


def test_x_headers_of_the_original_message() -> None:
    raw = email_bytes("lhost-postfix-13.eml").replace(
        b"Message-Id: <20150213024748", b"X-Bounceguard-Mailbox: news@example.jp\nMessage-Id: <20150213024748", 1
    )
    rec = parse_bounce(raw).recipients[0]
    assert rec.x_headers.get("X-Bounceguard-Mailbox") == "news@example.jp"


def test_feedback_type_is_kept() -> None:
    rows = parse_bounce(email_bytes("arf-16.eml")).recipients
    assert len(rows) == 7
    assert {r.feedback_type for r in rows} <= {"abuse", "opt-out", "auth-failure", "fraud", "virus", "other"}

"""Receiver readings (dsn/rhost/): one row per receiver code or wording -> reason.

Fields are built by hand, so each row tests the reading alone, without the corpus.
"""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields
from bounceguard.core.dsn.reasoning import decide
from bounceguard.core.dsn.rhost import reason_for_receiver

GODADDY = "smtp.secureserver.net"
COX = "cxr.mx.a.cloudfilter.net"
LABS = "server-0.bemta-0.messagelabs.com"
DOCOMO = "mfsmax.docomo.ne.jp"

# recipient, remote MTA, reporting MTA, command, status, diagnostic, expected reason
ROWS = [
    ("a@facebook.com", "", "", "", "5.1.1", "550 5.1.1 RCP-P2 http://postmaster.facebook.com Refused", Reason.FILTERED),
    ("a@facebook.com", "", "", "", "5.1.1", "550 5.1.1 RCP-P1 Recipient address does not exist", Reason.USERUNKNOWN),
    ("a@facebook.com", "", "", "", "5.7.1", "554 5.7.1 POL-P5 virus", Reason.VIRUSDETECTED),
    (
        "a@example.com",
        GODADDY,
        "",
        "RCPT",
        "5.1.1",
        "550 5.1.1 too many recipients this hour. IB607",
        Reason.SPEEDING,
    ),
    ("a@example.com", GODADDY, "", "DATA", "5.2.0", "550 5.2.0 From: Domain is invalid. IB506", Reason.REJECTED),
    ("a@cox.net", COX, "", "MAIL", "5.1.0", "550 5.1.0 <b> sender rejected. AUP#CDRBL", Reason.BLOCKED),
    ("a@cox.net", "", "", "", "", "554 rejected AUP#IPBL1010", Reason.BLOCKED),
    ("a@cox.net", "", "", "", "", "554 rejected AUP#URLBL011", Reason.SPAMDETECTED),
    ("a@charter.net", "", "", "", "5.1.0", "550 5.1.0 <b> sender rejected. AUP#In-1310", Reason.TOOMANYCONN),
    ("a@charter.net", "", "", "", "5.1.0", "550 5.1.0 <b> sender rejected. AUP#O-1400", Reason.SPEEDING),
    ("a@wanadoo.fr", "", "", "", "5.2.0", "550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]", Reason.SPAMDETECTED),
    ("a@orange.fr", "", "", "", "4.2.0", "421 4.2.0 Service refuse. OFR005_505 [505]", Reason.SYSTEMERROR),
    ("a@laposte.net", "", "", "", "5.7.1", "554 5.7.1 Client host rejected: LPN000_630", Reason.POLICYVIOLATION),
    ("a@example.fr", "smtp-in.orange.fr", "", "", "5.2.0", "550 5.2.0 Mail rejete. OFR_506", Reason.SPAMDETECTED),
    (
        "a@example.co.uk",
        "s1.mimecast.com",
        "",
        "",
        "",
        "554 rejected due to security policies",
        Reason.VIRUSDETECTED,
    ),
    ("a@example.org", "", LABS, "", "", "550 a@example.org... No such user", Reason.USERUNKNOWN),
    ("a@example.org", "", LABS, "", "", "542 a@example.org Rejected", Reason.USERUNKNOWN),
    ("a@example.org", "", LABS, "", "", "553 your envelope sender is in my badmailfrom list", Reason.REJECTED),
    (
        "a@hotmail.example.com",
        "CAT4.hotmail.com",
        "",
        "",
        "5.5.0",
        "550 Requested action not taken: mailbox unavailable",
        Reason.USERUNKNOWN,
    ),
    ("a@docomo.ne.jp", DOCOMO, "", "RCPT", "5.0.0", "550 Unknown user a", Reason.USERUNKNOWN),
    ("a@docomo.ne.jp", DOCOMO, "", "DATA", "5.0.0", "550 Unknown user a", Reason.REJECTED),
    ("a@docomo.ne.jp", DOCOMO, "", "DATA", "5.2.0", "550 Unknown user a", Reason.FILTERED),
    ("5550100@vtext.com", "", "", "", "", "550 - Requested action not taken: no such user here", Reason.USERUNKNOWN),
]


@pytest.mark.parametrize(("recipient", "remote", "reporting", "command", "status", "diagnostic", "reason"), ROWS)
def test_receiver_reading(
    recipient: str, remote: str, reporting: str, command: str, status: str, diagnostic: str, reason: Reason
) -> None:
    fields = Fields(
        recipient=recipient,
        remote_mta=remote,
        reporting_mta=reporting,
        command=command,
        status=status,
        diagnostic=diagnostic,
        reply_code=diagnostic[:3],
    )
    found = reason_for_receiver(fields)
    assert found is not None and found[0] is reason
    assert decide(fields).reason is reason


# Texts a receiver module must leave to the general classifier (no code, other receiver).
UNREAD = [
    ("a@facebook.com", "", "", "550 5.1.1 mailbox unavailable"),
    ("a@example.com", "smtp.secureserver.net", "", "550 5.1.1 user unknown"),
    ("a@cox.net", "", "", "550 5.1.1 recipient rejected"),
    ("a@charter.net", "", "", "550 AUP#In-9999 unknown code"),
    ("a@wanadoo.fr", "", "", "550 5.1.1 user unknown"),
    ("a@example.org", "mx.example.org", "mx.example.org", "550 No such user"),
    ("a@docomo.ne.jp", "mfsmax.docomo.ne.jp", "", "550 5.7.1 Access denied"),
    ("5550100@vtext.com", "", "", "552 - Requested action not taken: message too large"),
]


@pytest.mark.parametrize(("recipient", "remote", "reporting", "diagnostic"), UNREAD)
def test_no_reading(recipient: str, remote: str, reporting: str, diagnostic: str) -> None:
    fields = Fields(recipient=recipient, remote_mta=remote, reporting_mta=reporting, diagnostic=diagnostic)
    assert reason_for_receiver(fields) is None

"""Readings that need the report's context (SMTP stage, X-Unix, final vs delayed): one row each."""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.fields import Fields, find_command
from bounceguard.core.dsn.reasoning import decide

# command, status, reply, diagnostic, expected reason
ROWS = [
    # before MAIL FROM only the connecting host can be refused
    ("CONN", "", "550", "550 Access denied...7d39d52995", Reason.BLOCKED),
    ("CONN", "", "554", "554 neko.example.net : You've reached your daily relay quota", Reason.BLOCKED),
    ("HELO", "5.0.0", "550", "550 Rejected", Reason.BLOCKED),
    ("CONN", "5.7.1", "554", "554 5.7.1 Missing reverse DNS for 192.0.2.1", Reason.REQUIREPTR),
    # a bare refusal at MAIL FROM is about the envelope sender, whatever X.7.1 leans to
    ("MAIL", "5.7.1", "550", "550 5.7.1 Access denied", Reason.REJECTED),
    ("MAIL", "5.7.1", "554", "554 5.7.1 Client host rejected: blocked using zen.spamhaus.org", Reason.BLOCKED),
    ("MAIL", "5.0.0", "554", "554 Transaction failed", Reason.SYSTEMERROR),
    ("MAIL", "5.0.0", "550", "550 Host unknown", Reason.REJECTED),
    # the same texts at RCPT keep their own reading
    ("RCPT", "5.7.1", "550", "550 5.7.1 Access denied", Reason.BLOCKED),
    ("RCPT", "5.1.1", "550", "550 5.1.1 User unknown", Reason.USERUNKNOWN),
]


# action, status, reply, diagnostic, expected reason: a still-retried message ("delayed")
# whose receiver answered only with a code is a pending expiry, not a diagnosis
DELAYED = [
    ("delayed", "4.5.0", "421", "... Deferred: 421", Reason.EXPIRED),
    ("delayed", "4.2.2", "452", "452 4.2.2 Mailbox full", Reason.MAILBOXFULL),
    ("failed", "4.5.0", "421", "421 closing channel", Reason.TOOMANYCONN),
]


@pytest.mark.parametrize(("action", "status", "reply", "diagnostic", "reason"), DELAYED)
def test_delayed_reading(action: str, status: str, reply: str, diagnostic: str, reason: Reason) -> None:
    fields = Fields(recipient="a@example.org", action=action, status=status, reply_code=reply, diagnostic=diagnostic)
    assert decide(fields).reason is reason


@pytest.mark.parametrize(("command", "status", "reply", "diagnostic", "reason"), ROWS)
def test_stage_reading(command: str, status: str, reply: str, diagnostic: str, reason: Reason) -> None:
    fields = Fields(
        recipient="a@example.org",
        action="failed",
        command=command,
        status=status,
        reply_code=reply,
        diagnostic=diagnostic,
    )
    assert decide(fields).reason is reason


COMMANDS = [
    ("Connected to 192.0.2.1 but sender was rejected. Remote host said: 550 5.7.1 Access denied", "MAIL"),
    ("192.0.2.1 does not like recipient. Remote host said: 550 5.1.1 unknown", "RCPT"),
    ("SMTP error from remote mail server after initial connection: 554 go away", "CONN"),
    ("550 5.1.1 <a@example.org>: User unknown (in reply to RCPT TO command)", "RCPT"),
]


@pytest.mark.parametrize(("text", "command"), COMMANDS)
def test_find_command(text: str, command: str) -> None:
    assert find_command(text) == command


# remote MTA, status, reply, diagnostic, expected reason, expected hardbounce
REMOTE_ROWS = [
    # RFC 7505 null MX: the Remote-MTA is the recipient's own domain, so that domain takes no mail
    ("example.org", "5.7.27", "550", "550 Host does not accept mail", Reason.NOTACCEPT, True),
    # the same status from one of the domain's MX hosts stays the sender-side reading
    ("mx.example.org", "5.7.27", "550", "550 5.7.27 sender address has null MX", Reason.AUTHFAILURE, False),
    # a 5xx refusal in words under X.4.1: the host answered, so "no answer from host" is not it
    ("", "5.4.1", "550", "550 5.4.1 All recipient addresses rejected : Access denied", Reason.REJECTED, False),
    # a routing status keeps its reading whatever verb the report uses (X.4.6 loop)
    ("", "5.4.6", "554", "refused: 554 5.4.6 Hop count exceeded - possible mail loop", Reason.NETWORKERROR, False),
    # no reply at all: X.4.1 is read literally
    ("", "5.4.1", "", "no answer from host", Reason.NETWORKERROR, False),
]


@pytest.mark.parametrize(("remote", "status", "reply", "diagnostic", "reason", "hard"), REMOTE_ROWS)
def test_status_against_report(
    remote: str, status: str, reply: str, diagnostic: str, reason: Reason, hard: bool
) -> None:
    fields = Fields(
        recipient="a@example.org",
        action="failed",
        status=status,
        reply_code=reply,
        diagnostic=diagnostic,
        remote_mta=remote,
    )
    verdict = decide(fields)
    assert (verdict.reason, verdict.hardbounce) == (reason, hard)

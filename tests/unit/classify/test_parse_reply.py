"""parse_reply: an SMTP reply split into reply code, enhanced status and text (RFC 5321 4.2, RFC 3463)."""

from __future__ import annotations

import pytest

from bounceguard.core.classify import ClassifyInputError, ParsedReply, parse_reply
from bounceguard.core.classify.reply import find_status

ROWS: list[tuple[str, ParsedReply]] = [
    ("550 5.1.1 <a@example.com>: user unknown", ParsedReply(550, "5.1.1", "<a@example.com>: user unknown")),
    ("550 Unknown user x@example.jp", ParsedReply(550, None, "Unknown user x@example.jp")),
    ("550", ParsedReply(550, None, "")),
    ("5.1.1 user unknown", ParsedReply(None, "5.1.1", "user unknown")),
    ("user unknown", ParsedReply(None, None, "user unknown")),
    ("", ParsedReply(None, None, "")),
    ("  421-4.7.0 try later", ParsedReply(421, "4.7.0", "try later")),
    # multi-line reply: codes once, lines joined
    (
        "550-5.1.1 The email account that you tried to reach does not exist.\n"
        "550-5.1.1 Please try double-checking.\r\n550 5.1.1 https://support.google.com/mail",
        ParsedReply(
            550,
            "5.1.1",
            "The email account that you tried to reach does not exist. Please try double-checking. "
            "https://support.google.com/mail",
        ),
    ),
    # a multi-line reply already folded into one line keeps no inner codes
    (
        "550-5.7.1 [192.0.2.1] Messages with multiple 550-5.7.1 addresses in From: header",
        ParsedReply(550, "5.7.1", "[192.0.2.1] Messages with multiple addresses in From: header"),
    ),
    ("550 5.1.10 RESOLVER.ADR.RecipientNotFound", ParsedReply(550, "5.1.10", "RESOLVER.ADR.RecipientNotFound")),
    # 6yz is not a reply code (RFC 5321 4.2.1): the text is kept whole
    ("650 5.1.1 no such code", ParsedReply(None, None, "650 5.1.1 no such code")),
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_parse_reply(text: str, expected: ParsedReply) -> None:
    assert parse_reply(text) == expected


@pytest.mark.parametrize("bad", [None, 550, b"550 5.1.1", ["550"]])
def test_parse_reply_refuses_non_text(bad: object) -> None:
    with pytest.raises(ClassifyInputError):
        parse_reply(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("host said: 550 5.1.1 user unknown", "5.1.1"),
        ("(#5.1.1)", "5.1.1"),
        ("relay 192.0.2.22 said 4.4.1", "4.4.1"),  # the IP address is not a status
        ("v4.16.55.1", None),
        ("1.2.5.1.1", None),
        ("x 4.4.7.", "4.4.7"),
        ("no code here", None),
    ],
)
def test_find_status(text: str, status: str | None) -> None:
    assert find_status(text) == status

"""Leaf bodies are read in their declared charset, including 7-bit ones with escape sequences."""

from __future__ import annotations

import pytest

from bounceguard.core.dsn.mime import decode_body, parse_headers

# charset, body bytes as they sit in the message, expected text
ROWS = [
    # RFC 1468 ISO-2022-JP: pure 7-bit, so only the charset turns the escapes into text (Notes in Japanese)
    ("ISO-2022-JP", "ディレクトリのリストにありません".encode("iso2022_jp"), "ディレクトリのリストにありません"),
    ("us-ascii", b"550 5.1.1 User unknown", "550 5.1.1 User unknown"),
    ("utf-8", "Empfänger unbekannt".encode(), "Empfänger unbekannt"),
]


@pytest.mark.parametrize(("charset", "body", "expected"), ROWS)
def test_body_in_declared_charset(charset: str, body: bytes, expected: str) -> None:
    head = f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 7bit\n\n"
    text = head + body.decode("ascii", "surrogateescape")
    assert decode_body(parse_headers(text)).strip() == expected

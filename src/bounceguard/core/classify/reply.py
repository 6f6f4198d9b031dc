"""Splitting an SMTP reply into reply code, enhanced status code and text.

RFC 5321 section 4.2: a reply is a three-digit code, then a space (last line) or a
hyphen (continued line), then text. RFC 2034 / RFC 3463: the enhanced status code
`class.subject.detail` comes first in the text. Multi-line replies repeat both codes
on every line; they are folded into one text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bounceguard.core.classify.errors import ClassifyInputError

# RFC 3463 class.subject.detail. Written without look-arounds, which make Python's re
# scan ten times slower; find_status checks the boundaries itself.
_STATUS_CORE = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
_STATUS_LEAD_RE = re.compile(r"\s*([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)")
_LINE_RE = re.compile(r"^\s*([2-5]\d\d)(?:[ \-]|$)\s*(?:([245]\.\d{1,3}\.\d{1,3})(?:\s+|$))?")


def find_status(text: str) -> str | None:
    """The first enhanced status code standing on its own in `text` (not inside an IP address)."""
    n = len(text)
    for m in _STATUS_CORE.finditer(text):
        start, end = m.span()
        if start and (text[start - 1].isdigit() or text[start - 1] == "."):
            continue
        if end < n and (text[end].isdigit() or (text[end] == "." and end + 1 < n and text[end + 1].isdigit())):
            continue
        return m.group(0)
    return None


class ParsedReply(NamedTuple):
    """One reply, split: `text` is what follows the codes, lines joined by spaces."""

    reply_code: int | None
    status: str | None
    text: str


def parse_reply(text: str) -> ParsedReply:
    """ "550 5.1.1 <a@example.com>: user unknown" -> (550, "5.1.1", "<a@example.com>: user unknown").

    Text without a leading reply code keeps the code None (a status code is still
    picked from its start when present). Raises ClassifyInputError if `text` is not a str.
    """
    if not isinstance(text, str):
        raise ClassifyInputError(f"reply must be a str, not {type(text).__name__}")
    if "\n" not in text and "\r" not in text:
        return _parse_line(text)
    code: int | None = None
    status: str | None = None
    parts: list[str] = []
    for line in text.splitlines():
        one = _parse_line(line)
        if code is None and status is None and not parts:
            code, status = one.reply_code, one.status
        if one.text:
            parts.append(one.text)
    return _unfold(ParsedReply(code, status, " ".join(parts)))


def _parse_line(line: str) -> ParsedReply:
    m = _LINE_RE.match(line)
    if m is not None:
        return _unfold(ParsedReply(int(m.group(1)), m.group(2), line[m.end() :].strip()))
    m = _STATUS_LEAD_RE.match(line)
    if m is not None:
        return ParsedReply(None, m.group(1), line[m.end() :].strip())
    return ParsedReply(None, None, line.strip())


def _unfold(reply: ParsedReply) -> ParsedReply:
    """Drop the codes repeated inside a multi-line reply that was folded into one line
    ("550-5.7.1 Messages with multiple 550-5.7.1 addresses in From: ...", Gmail)."""
    code, status, text = reply
    if code is None or str(code) not in text:
        return reply
    for sep in ("-", " "):
        marker = f"{code}{sep}{status} " if status else f"{code}{sep}"
        text = text.replace(marker, "")
    return ParsedReply(code, status, text.strip())

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

# RFC 3463: class 2/4/5, subject and detail of 1-3 digits.
STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]|\.\d)")
_LINE_RE = re.compile(r"^\s*([2-5]\d\d)(?:[ \-]|$)\s*(?:([245]\.\d{1,3}\.\d{1,3})(?:\s+|$))?")


class ParsedReply(NamedTuple):
    """One reply, split: `text` is what follows the codes, lines joined by spaces."""

    reply_code: int | None
    status: str | None
    text: str


def parse_reply(text: str) -> ParsedReply:
    """ "550 5.1.1 <a@example.com>: user unknown" -> (550, "5.1.1", "<a@example.com>: user unknown").

    Text without a leading reply code keeps both codes None (a status code is still
    picked from its start when present). Raises ClassifyInputError if `text` is not a str.
    """
    if not isinstance(text, str):
        raise ClassifyInputError(f"reply must be a str, not {type(text).__name__}")
    code: int | None = None
    status: str | None = None
    parts: list[str] = []
    for line in text.splitlines() or [""]:
        m = _LINE_RE.match(line)
        if m is None:
            stripped = line.strip()
            if not parts and code is None and status is None:
                sm = re.match(r"\s*([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)", line)
                if sm is not None:
                    status = sm.group(1)
                    stripped = line[sm.end() :].strip()
            if stripped:
                parts.append(stripped)
            continue
        if code is None:
            code = int(m.group(1))
        if status is None and m.group(2):
            status = m.group(2)
        rest = line[m.end() :].strip()
        if rest:
            parts.append(rest)
    return ParsedReply(code, status, " ".join(parts))

"""The parsed bounce as the format modules see it: the MIME tree plus lazily found pieces.

Every format module reads the same object, so the message is parsed once and the costly
pieces (the human-readable text, the returned original headers) are computed at most once.
"""

from __future__ import annotations

import contextlib
import re
from email.header import decode_header, make_header
from email.message import Message
from functools import cached_property

from bounceguard.core.dsn.mime import Part, build_tree, parse_headers, unescape

# Lines that start the returned copy of the original message in plain-text bounces.
# Each is the wording of a real MTA: qmail/Yahoo "--- Below this line is a copy of the
# message.", Exim "------ This is a copy of the message", Gmail "----- Original message -----",
# Sendmail "----- Original message follows -----", DragonFly "Message headers follow." ...
_ORIGINAL_MARKERS = re.compile(
    r"^[ \t>]*(?:"
    r"-+ ?below this line is a copy of the message"
    r"|-+ ?this is a copy of the message"
    r"|-+ ?original message"
    r"|-+ ?(?:the )?(?:original|returned|unsent) message"
    r"|-+ ?the header of the original message"
    r"|-+ ?message header follows"
    r"|message headers follow"
    r"|original message follows"  # IMail
    r"|original mail as follows"  # fml
    r"|original message headers"
    r"|-+ ?copy of the message"
    r"|-+ ?forwarded message"
    r"|-+ ?start of returned message"
    r"|-+ ?original mail"
    r"|-+ ?the following is a copy of"
    r"|content-type: message/rfc822"
    r")",
    re.MULTILINE,
)
_HEADER_BLOCK = re.compile(
    r"^(?:Return-Path|Received|Message-I[dD]|DKIM-Signature|X-Received|Date|From|To|Subject"
    r"|MIME-Version|Content-Type|Reply-To|X-Mailer|X-Original-To|Delivered-To|ARC-Seal):[ \t]",
    re.MULTILINE,
)
_PASTED_HEADERS = re.compile(r"^(?:Return-Path|Received|DKIM-Signature|X-Received|ARC-Seal):[ \t]", re.MULTILINE)
_TEXTUAL = ("text/plain", "text/html", "text/enriched")
_RECEIVED_BY = re.compile(r"\bby\s+([A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,})")


def header_text(value: object) -> str:
    """A header value as clean text: RFC 2047 words decoded, surrogate escapes read as UTF-8."""
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        with contextlib.suppress(ValueError, LookupError, UnicodeError, AssertionError):
            text = str(make_header(decode_header(text)))
    return " ".join(unescape(text).split())


def _strip_html(text: str) -> str:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</tr\s*>|</li\s*>", "\n", text)
    text = re.sub(r"<[^>]{0,2000}>", " ", text)
    for entity, char in (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


class BounceMail:
    """One bounce message: top-level headers, MIME tree and derived views."""

    def __init__(self, text: str) -> None:
        self.tree: Part = build_tree(text)
        self.headers: Message = self.tree.headers

    def header(self, name: str) -> str:
        return header_text(self.headers.get(name))

    @cached_property
    def subject(self) -> str:
        return self.header("subject")

    @cached_property
    def from_addr(self) -> str:
        return self.header("from")

    @cached_property
    def reporting_host(self) -> str:
        """The host that wrote the bounce: the "by" host of its first hop (the bottom-most
        Received header, RFC 5321 4.4), which is where the report entered the mail system."""
        received = self.headers.get_all("received") or []
        if not received:
            return ""
        match = _RECEIVED_BY.search(header_text(received[-1]))
        return match.group(1).lower().rstrip(".") if match else ""

    @cached_property
    def parts(self) -> list[Part]:
        return self.tree.walk()

    @cached_property
    def outer_parts(self) -> list[Part]:
        """Parts outside any attached message/rfc822: the report itself, not what it returns."""
        out: list[Part] = []
        stack = [self.tree]
        while stack:
            part = stack.pop()
            out.append(part)
            if part.content_type != "message/rfc822":
                stack.extend(reversed(part.children))
        return out

    def first(self, content_type: str) -> Part | None:
        for part in self.parts:
            if part.content_type == content_type:
                return part
        return None

    @cached_property
    def original(self) -> Message | None:
        """The headers of the returned original message, wherever the bounce put them."""
        for part in self.parts:
            if part.content_type == "message/rfc822" and part.children:
                return part.children[0].headers
            if part.content_type in ("text/rfc822-headers", "message/rfc822-headers"):
                return parse_headers(part.text().lstrip("\r\n"))
        text = self.full_text
        cut = self.cut_at
        if cut is not None:
            rest = text[cut:]
            match = _HEADER_BLOCK.search(rest)
            if match:
                return parse_headers(rest[match.start() :])
        return None

    @cached_property
    def full_text(self) -> str:
        """All human-readable leaves outside a returned message, joined in order."""
        chunks: list[str] = []
        self._collect(self.tree, chunks)
        return "\n".join(chunks)

    def _collect(self, part: Part, chunks: list[str]) -> None:
        ctype = part.content_type
        if ctype.startswith("multipart/") and not part.children:
            chunks.append(part.text())  # no usable boundary: read the body as one text
            return
        if ctype.startswith("multipart/"):
            alternative = ctype == "multipart/alternative"
            for child in part.children:
                before = len(chunks)
                self._collect(child, chunks)
                if alternative and len(chunks) > before:
                    break  # the first readable alternative is enough
            return
        if ctype in _TEXTUAL or (part is self.tree and not ctype.startswith("message/")):
            text = part.text()
            if ctype == "text/html":
                text = _strip_html(text)
            chunks.append(text)

    @cached_property
    def cut_at(self) -> int | None:
        """Offset in `full_text` where a copy of the original message starts, if any."""
        text = self.full_text
        lowered = text.lower()  # a case-sensitive search of the lower-cased text is much faster
        if len(lowered) != len(text):  # a few characters grow when lower-cased: offsets would shift
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        match = _ORIGINAL_MARKERS.search(lowered)
        return match.start() if match else None

    @cached_property
    def bounce_text(self) -> str:
        """The human-readable report without the returned original message."""
        text = self.full_text
        cut = self.cut_at
        if cut is not None:
            return text[:cut]
        match = _PASTED_HEADERS.search(text)
        if match and match.start() > 0:
            # an original header block pasted without a marker line
            return text[: match.start()]
        return text

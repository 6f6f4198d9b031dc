"""Bounce e-mail (DSN/NDR) parser: raw bytes in, one classified record per recipient out.

`parse_bounce` parses the MIME tree once, lets the first format module that recognises the
message extract per-recipient fields (formats/), and asks the classifier for the reason.
It raises only `DsnParseError`, whatever the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bounceguard.core.categories import Category, Reason
from bounceguard.core.dsn.bouncemail import BounceMail, header_text
from bounceguard.core.dsn.fields import Fields
from bounceguard.core.dsn.formats import registry
from bounceguard.core.dsn.reasoning import decide

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BouncedRecipient",
    "DsnParseError",
    "ParsedBounce",
    "parse_bounce",
]


class DsnParseError(ValueError):
    """The input is not a bounce we can read: empty, too large, not a message, or no recipient.

    The only exception `parse_bounce` raises; the message says which of these it was.
    """


@dataclass(frozen=True)
class BouncedRecipient:
    recipient: str
    action: str
    status: str
    reply_code: int | None
    diagnostic: str
    remote_mta: str
    reason: Reason
    category: Category
    hardbounce: bool
    why: str
    message_id: str
    x_headers: dict[str, str] = field(default_factory=dict)
    format: str = ""
    feedback_type: str = ""


@dataclass(frozen=True)
class ParsedBounce:
    recipients: tuple[BouncedRecipient, ...]
    format: str
    subject: str
    from_addr: str
    date: str


def parse_bounce(raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedBounce:
    """Parse one bounce e-mail. Raises DsnParseError (and nothing else) on unreadable input."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise DsnParseError(f"expected bytes, got {type(raw).__name__}")
    if len(raw) > max_bytes:
        raise DsnParseError(f"message is {len(raw)} bytes, over the {max_bytes}-byte limit")
    if not bytes(raw[:4096]).strip():
        raise DsnParseError("empty message")
    try:
        return _parse(bytes(raw).decode("ascii", "surrogateescape"))
    except DsnParseError:
        raise
    except RecursionError as exc:
        raise DsnParseError("message nests too deeply") from exc
    except Exception as exc:  # malformed MIME must surface as our documented error, never a crash
        raise DsnParseError(f"unreadable message: {type(exc).__name__}: {exc}") from exc


# An mbox "From " separator line (RFC 4155) that starts a further message in the same input.
_MBOX_SEPARATOR = re.compile(r"\n\n(?=From \S+ +\w{3} \w{3} +\d)")


def _parse(text: str) -> ParsedBounce:
    if text.startswith("From ") and _MBOX_SEPARATOR.search(text):
        return _parse_mbox(text)
    return _parse_one(text)


def _parse_mbox(text: str) -> ParsedBounce:
    """Several bounces in one mbox: their recipients together, the first one's envelope."""
    results: list[ParsedBounce] = []
    for chunk in _MBOX_SEPARATOR.split(text)[:64]:
        try:
            results.append(_parse_one(chunk))
        except DsnParseError:
            continue
    if not results:
        raise DsnParseError("no failed recipient found in any message of the mbox")
    first = results[0]
    recipients = tuple(rec for result in results for rec in result.recipients)
    return ParsedBounce(recipients, first.format, first.subject, first.from_addr, first.date)


def _parse_one(text: str) -> ParsedBounce:
    mail = BounceMail(text)
    if not len(mail.headers):
        raise DsnParseError("no header block: not an e-mail message")
    for fmt in registry():
        if not fmt.detect(mail):
            continue
        found = fmt.extract(mail)
        if found:
            return _result(mail, fmt.name, found)
    raise DsnParseError("no failed recipient found: not a bounce, or a format we cannot read")


def _result(mail: BounceMail, fmt: str, found: list[Fields]) -> ParsedBounce:
    original = mail.original
    message_id = ""
    x_headers: dict[str, str] = {}
    if original is not None:
        message_id = header_text(original.get("message-id")).strip("<> ")
        for name, value in original.items():
            if name[:2].lower() == "x-" and name not in x_headers:
                x_headers[name] = header_text(value)
    records = []
    for item in found:
        if not item.reporting_mta:
            item.reporting_mta = mail.reporting_host
        verdict = decide(item)
        records.append(
            BouncedRecipient(
                recipient=item.recipient,
                action=item.action,
                status=item.status,
                reply_code=int(item.reply_code) if item.reply_code.isdigit() else None,
                diagnostic=item.diagnostic,
                remote_mta=item.remote_mta,
                reason=verdict.reason,
                category=verdict.category,
                hardbounce=verdict.hardbounce,
                why=verdict.why,
                message_id=message_id,
                x_headers=dict(x_headers),
                format=fmt,
                feedback_type=item.feedback_type,
            )
        )
    return ParsedBounce(
        recipients=tuple(records),
        format=fmt,
        subject=mail.subject,
        from_addr=mail.from_addr,
        date=mail.header("date"),
    )

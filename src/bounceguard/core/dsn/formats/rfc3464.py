"""RFC 3464 delivery-status reports: multipart/report with a message/delivery-status part.

Most MTAs (Postfix, Sendmail, Exchange 2007+, Gmail's MX, Amazon SES...) send this shape,
so the generic reader runs after the MTA-specific modules that need special reading.
"""

from __future__ import annotations

import re

from bounceguard.core.dsn.bouncemail import BounceMail, header_text
from bounceguard.core.dsn.fields import Fields, Kind, clean_address, find_command, find_reply_code, find_status, squeeze
from bounceguard.core.dsn.formats.base import BounceFormat
from bounceguard.core.dsn.hints import POWERMTA_FIELD, powermta_hint
from bounceguard.core.dsn.textscan import diagnostic_near

_DELIVERED_ACTIONS = ("delivered", "relayed", "expanded", "deliverable")  # the last: Postfix "verify"


def dsn_blocks(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The per-message fields and one dict per recipient (RFC 3464 sections 2.2 and 2.3).

    Read line by line rather than by blank-line blocks: real reports drop or add blank lines,
    so a recipient starts at a (second) Final-Recipient/Original-Recipient field instead.
    """
    per_message: dict[str, str] = {}
    recipients: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    name = ""
    block_break = False
    for line in text.splitlines():
        if not line.strip():
            name = ""
            block_break = True
            continue
        if line[0] in " \t":
            if name:
                target = current if current is not None else per_message
                target[name] = target.get(name, "") + " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep or " " in key.strip():
            name = ""
            continue
        name = key.strip().lower()
        value = value.strip()
        if name in ("final-recipient", "original-recipient", "x-actual-recipient"):
            if current is None or name in current or (block_break and len(current) > 1 and _has_address(current)):
                current = {}
                recipients.append(current)
        elif current is None and block_break and name in _RECIPIENT_FIELDS:
            # a recipient block whose address comes last (Facebook puts Diagnostic-Code and
            # Status before Final-Recipient): the block starts at its first recipient field
            current = {}
            recipients.append(current)
        elif current is None:
            per_message.setdefault(name, value)
            block_break = False
            continue
        block_break = False
        current.setdefault(name, value)
    return per_message, recipients


# RFC 3464 section 2.3: the fields that belong to one recipient.
_RECIPIENT_FIELDS = frozenset(
    {"action", "status", "remote-mta", "diagnostic-code", "last-attempt-date", "final-log-id", "will-retry-until"}
)


def _has_address(block: dict[str, str]) -> bool:
    return any(name in block for name in ("final-recipient", "original-recipient", "x-actual-recipient"))


def _after_type(value: str) -> str:
    """`smtp; 550 ...` / `dns; mx.example.com` -> the part after the RFC 3464 type label."""
    head, sep, rest = value.partition(";")
    if sep and len(head) <= 16 and " " not in head.strip():
        return rest.strip()
    return value.strip()


def fields_from_dsn(mail: BounceMail, text: str) -> list[Fields]:
    per_message, blocks = dsn_blocks(text)
    out: list[Fields] = []
    for block in blocks:
        final = _after_type(block.get("final-recipient", ""))
        recipient = clean_address(final)
        if final.startswith("@") and block.get("original-recipient"):
            recipient = ""  # a source route (Sun Messaging Server): the original address is the mailbox
        if not recipient:
            recipient = clean_address(block.get("original-recipient", ""))
        if not recipient:
            recipient = clean_address(block.get("x-actual-recipient", ""))
        if not recipient:
            continue
        action = block.get("action", "").strip().lower().split(" ")[0]
        raw_diagnostic = header_text(block.get("diagnostic-code", ""))
        diagnostic = squeeze(_after_type(raw_diagnostic))
        diagnostic_type = raw_diagnostic.partition(";")[0].strip().lower() if ";" in raw_diagnostic[:16] else ""
        actual = block.get("x-actual-recipient", "")
        if _after_type(actual).startswith("|") or actual.lower().startswith("x-unix") or final.startswith("|"):
            # delivered to a pipe (Exim names the pipe as Final-Recipient): any failure is the
            # local program's
            diagnostic_type = "x-unix"
        status = find_status(block.get("status", ""))
        if not diagnostic:
            diagnostic = diagnostic_near(mail.bounce_text, recipient)
        reply = find_reply_code(diagnostic) or find_reply_code(block.get("x-remote-smtp-reply", ""))
        remote = _after_type(block.get("remote-mta", "")) or _after_type(
            per_message.get("received-from-mta", "") if not block.get("remote-mta") else ""
        )
        kind = Kind.DELIVERED if action in _DELIVERED_ACTIONS else Kind.BOUNCE
        command = find_command(diagnostic) or find_command(diagnostic_near(mail.bounce_text, recipient))
        if not command and len(blocks) == 1:
            command = find_command(mail.bounce_text)
        out.append(
            Fields(
                recipient=recipient,
                action=action,
                status=status,
                reply_code=reply,
                diagnostic=diagnostic,
                remote_mta=remote.strip("[] "),
                kind=kind,
                command=command,
                diagnostic_type=diagnostic_type,
                reporting_mta=_after_type(per_message.get("reporting-mta", "")).strip("[] "),
                reason_hint=powermta_hint(block.get(POWERMTA_FIELD, "")),
            )
        )
    return out


# DSN fields pasted as text: forwarded bounces and MTAs that send the report as text/plain.
_INLINE_START = re.compile(r"^(?:Reporting-MTA|Final-Recipient|Original-Recipient):", re.IGNORECASE | re.MULTILINE)
_INLINE_END = re.compile(r"^(?:--|Received:|Return-Path:|Content-Type:)", re.IGNORECASE | re.MULTILINE)


def _inline_report(mail: BounceMail) -> str:
    text = mail.full_text
    start = _INLINE_START.search(text)
    if start is None or "final-recipient:" not in text[start.start() :].lower():
        return ""
    end = _INLINE_END.search(text, start.end())
    return text[start.start() : end.start() if end else len(text)]


def _detect(mail: BounceMail) -> bool:
    if mail.first("message/delivery-status") is not None:
        return True
    return _INLINE_START.search(mail.full_text) is not None


def _extract(mail: BounceMail) -> list[Fields]:
    out: list[Fields] = []
    # the report's own status parts; a bounce of a bounce returns the first one attached,
    # and that one is only read when the outer message has none (forwarded reports)
    for parts in (mail.outer_parts, mail.parts):
        for part in parts:
            if part.content_type == "message/delivery-status":
                out.extend(fields_from_dsn(mail, part.text()))
        if out:
            break
    if not out:
        inline = _inline_report(mail)
        if inline:
            out.extend(fields_from_dsn(mail, inline))
    return out


FORMAT = BounceFormat(name="RFC3464", detect=_detect, extract=_extract, order=500)

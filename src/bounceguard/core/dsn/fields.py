"""What a format module extracts for one recipient, and the small parsers they share.

Format modules only pull fields out of a bounce; the reason is decided later by the
classifier, so a new MTA format never carries its own idea of what a 550 means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What sort of report the entry is; only non-bounces are decided by structure."""

    BOUNCE = "bounce"
    DELIVERED = "delivered"  # RFC 3464 Action: delivered / relayed / expanded
    FEEDBACK = "feedback"  # RFC 5965 ARF complaint report
    AUTOREPLY = "autoreply"  # RFC 3834 auto-reply (vacation, out of office)


@dataclass
class Fields:
    """One recipient's fields as a format module found them (strings, empty when absent)."""

    recipient: str
    action: str = ""
    status: str = ""
    reply_code: str = ""
    diagnostic: str = ""
    remote_mta: str = ""
    kind: Kind = Kind.BOUNCE
    feedback_type: str = ""
    reason_hint: str = ""  # a reason stated by the report itself (e.g. a provider's bounce type)
    command: str = ""  # the SMTP command the failing reply answered: CONN, HELO, MAIL, RCPT, DATA
    diagnostic_type: str = ""  # RFC 3464 diagnostic-type: "smtp", or "x-unix" for a local program
    reporting_mta: str = ""  # the host that wrote the report (Reporting-MTA, else its Received header)


# RFC 5321 section 4.2: a reply code is 2yz..5yz; RFC 3463: class.subject.detail.
STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
REPLY_RE = re.compile(r"(?<![\d.\-])([245][0-5]\d)(?:[ \-]|$)(?!\d)")
ADDRESS_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,128}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+")
_BRACKETED_RE = re.compile(r"<([^<>\s]{1,320}@[^<>\s]{1,255})>")
_NOT_RECIPIENTS = ("mailer-daemon@", "postmaster@", "mail-daemon@")


# How MTAs say which command a reply answered: Postfix "(in reply to end of DATA command)",
# Sendmail/Courier transcripts ">>> DATA", Exim "after RCPT TO:<...>" / "after end of data",
# qmail "most progress was RCPT TO response", DragonFly "did not like our final DATA",
# Yahoo "[RCPT_TO]", Exim "after initial connection".
_COMMAND_RE = re.compile(
    r"in reply to (?:end of )?(data|rcpt to|mail from|helo|ehlo|starttls)\b"
    r"|>>> ?(data|rcpt to|mail from|helo|ehlo|starttls)\b"
    r"|after (?:end of )?(data|rcpt to|mail from|helo|ehlo|initial connection|starttls)\b"
    r"|most progress was (rcpt to|mail from|data)\b"
    r"|did not like our (?:final )?(data|rcpt to|mail from|helo)\b"
    r"|\[(rcpt_to|mail_from|data)\]"
    r"|does not like (recipient)\b"  # qmail "192.0.2.1 does not like recipient."
    r"|but (sender) was rejected\b"  # qmail "Connected to 192.0.2.1 but sender was rejected."
    r"|smtp:(rcpt|mail|data)\b",
)
_COMMANDS = {
    "rcpt": "RCPT",
    "reci": "RCPT",
    "mail": "MAIL",
    "data": "DATA",
    "helo": "HELO",
    "ehlo": "HELO",
    "init": "CONN",
    "send": "MAIL",
}


def find_command(text: str) -> str:
    """The SMTP command a failure answered, as CONN/HELO/MAIL/RCPT/DATA, or ""."""
    if ">>> " in text and "<<< " in text:
        # a session transcript: the command is the last one sent before the first error reply
        last = ""
        for line in text.splitlines():
            line = line.lstrip("> \t") if line.startswith(">>>>") else line.strip()
            if line.startswith(">>> "):
                last = line[4:]
            elif line.startswith("<<< ") and line[4:5] in ("4", "5") and last:
                return find_command(">>> " + last.split(":")[0])
    match = _COMMAND_RE.search(text.lower())  # lower-cased once: case-blind alternations are slow
    if not match:
        return ""
    word = next(g for g in match.groups() if g).lower()
    return _COMMANDS.get(word[:4], word.upper())


def find_status(text: str) -> str:
    match = STATUS_RE.search(text)
    return ".".join(match.groups()) if match else ""


_REPLY_BEFORE_STATUS = re.compile(r"(?<![\d.\-])([245][0-5]\d)[ \-]+\(?#?[245]\.\d{1,3}\.\d{1,3}(?!\d)")
_REPLY_LEAD = re.compile(
    r"(?:^|<<<|said:?|returned:?|reply:?|response:?|error:?|failed:?|with:|message|error_code ?:|:|smtp;)"
    r"\s*(?:\(\w+\)\s*)?"
    r"([45][0-5]\d)(?:[ \-,]|$)",
    re.IGNORECASE | re.MULTILINE,
)


def find_reply_code(text: str) -> str:
    """The SMTP reply code in a diagnostic: the one before a status code, else one that opens
    the reply (`said: 550 ...`), never an arbitrary three-digit number in the prose."""
    match = _REPLY_BEFORE_STATUS.search(text) or _REPLY_LEAD.search(text)
    return match.group(1) if match else ""


def clean_address(value: str) -> str:
    """An address from a header-ish value: `rfc822; <a@b>`, `"Name" <a@b>`, `a@b.` -> `a@b`."""
    value = value.strip()
    if ";" in value[:16]:
        value = value.split(";", 1)[1].strip()
    match = _BRACKETED_RE.search(value)
    if match:
        value = match.group(1)
    else:
        match = ADDRESS_RE.search(value)
        if match:
            value = match.group(0)
    if value.startswith("@") and ":" in value:
        value = value.rsplit(":", 1)[1]  # RFC 5321 source route "@relay:user@host"
    quoted = value.lstrip("<").startswith('"') and '"@' in value
    value = value.strip().strip("<>'()[],;:.").strip()
    if not quoted:
        value = value.strip('"')
    local, at, domain = value.rpartition("@")
    return value if at and local and domain and len(value) <= 320 else ""


def find_addresses(text: str) -> list[str]:
    """Distinct addresses in order of appearance, mailer daemons left out."""
    seen: list[str] = []
    for match in ADDRESS_RE.finditer(text):
        addr = match.group(0).strip(".-")
        low = addr.lower()
        if low.startswith(_NOT_RECIPIENTS) or low in (s.lower() for s in seen):
            continue
        seen.append(addr)
    return seen


def squeeze(text: str) -> str:
    """Collapse whitespace so a multi-line diagnostic reads as one line."""
    return " ".join(text.split())

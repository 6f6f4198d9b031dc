"""Fallback for prose bounces no specific module claimed: addresses that open a line,
else the X-Failed-Recipients header (Exim, Gmail) or the original recipient headers."""

from __future__ import annotations

import re

from bounceguard.core.dsn.bouncemail import BounceMail, header_text
from bounceguard.core.dsn.fields import (
    Fields,
    clean_address,
    find_addresses,
    find_command,
    find_reply_code,
    find_status,
    squeeze,
)
from bounceguard.core.dsn.formats.base import BounceFormat
from bounceguard.core.dsn.textscan import diagnostic_near, line_addresses


def _own_addresses(mail: BounceMail) -> set[str]:
    """Addresses of the bounce itself and of the original sender: never the failed recipient."""
    own = {a.lower() for a in find_addresses(mail.header("to") + " " + mail.header("from"))}
    original = mail.original
    if original is not None:
        own.update(a.lower() for a in find_addresses(header_text(original.get("from"))))
        own.update(a.lower() for a in find_addresses(header_text(original.get("return-path"))))
    return own


def candidates(mail: BounceMail) -> list[str]:
    own = _own_addresses(mail)
    text = mail.bounce_text
    leading = line_addresses(text)
    found = [a for a in leading if a.lower() not in own]
    if found:
        return found[:16]
    # Exim and Gmail name the failed addresses in a header as well
    failed = [clean_address(a) for a in mail.header("x-failed-recipients").split(",")]
    failed = [a for a in failed if a]
    if failed:
        return failed
    if not found:
        found = [a for a in find_addresses(text) if a.lower() not in own]
    if not found and leading:
        found = leading  # anonymised reports where the recipient equals the bounce's own To
    if not found:
        # the returned message's own To, then the bounce's X-Original-To (DragonFly puts the
        # failed recipient there; on other bounces it names the sender, hence the order)
        original = mail.original
        if original is not None:
            found = find_addresses(header_text(original.get("to")))[:1]
        if not found:
            addr = clean_address(mail.header("x-original-to"))
            found = [addr] if addr else []
    return found[:16]


def fields_for(mail: BounceMail, recipient: str, alone: bool = True) -> Fields:
    text = mail.bounce_text
    transcript = _transcript_reply(text, recipient) if "\n<<< " in text else None
    if transcript is not None and transcript[1]:
        command, remote = transcript
        return Fields(
            recipient=recipient,
            command=command,
            status=find_status(remote),
            reply_code=find_reply_code(remote),
            diagnostic=remote,
        )
    diagnostic = diagnostic_near(text, recipient)
    reply = find_reply_code(diagnostic)
    if not reply and not find_status(diagnostic):
        # the reason sits in the paragraph after the address list (Gmail, DragonFly); with
        # several recipients only what follows this one can be about it
        at = -1 if alone else text.find(recipient)
        coded = _coded_lines(text[at:] if at > 0 else text, keep_prose=alone or not diagnostic)
        reply = find_reply_code(coded)
        diagnostic = squeeze(diagnostic + " " + coded)
    failing = _FAILING.search(diagnostic)
    if failing is not None:
        # a session transcript ("Out: 250 2.1.5 Ok ... Out: 451 4.3.0 Error"): the failing
        # reply, not the accepted commands before it, is the answer
        reply = failing.group(1)
        diagnostic = diagnostic[failing.start(1) :]
    if transcript is not None:
        command = find_command(diagnostic)  # the local MTA's own summary: no remote command
    else:
        command = find_command(diagnostic) or _command_before(text, recipient) or find_command(text)
    host = _REMOTE_HOST.search(diagnostic)
    return Fields(
        recipient=recipient,
        command=command,
        status=find_status(diagnostic),
        reply_code=reply or find_reply_code(diagnostic),
        diagnostic=diagnostic.strip(),
        remote_mta=host.group(1).rstrip(".") if host else "",
    )


# Exim "host mx.example.org [192.0.2.1]: 550 ...", Courier/1&1 "host: smtp-in.orange.fr (193.0.2.1)"
_REMOTE_HOST = re.compile(r"\bhost:? ([A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,})\.? *[\[(]")
# A failing reply after accepted ones in a transcript: "Out: 250 ... Out: 451 4.3.0 ...".
_FAILING = re.compile(r"(?:^|\s)(?:out|<<<):? ([45]\d\d)[ \-]", re.IGNORECASE)


# one pass over the report for lines carrying a reply code ("550 ...", "said: 550") or a status
_CODE = re.compile(r"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}|(?<![\d.\-])[45][0-5]\d[ \-]")


def _coded_lines(text: str, keep_prose: bool = True) -> str:
    """The lines of a report that carry an SMTP reply or status code; without any, the
    report's prose when `keep_prose` (a lone recipient: the whole report is about it)."""
    lines: list[str] = []
    last_end = -1
    for match in _CODE.finditer(text):
        if match.start() < last_end:
            continue  # already took this line
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        last_end = end if end >= 0 else len(text)
        lines.append(text[start:last_end].strip())
        if len(lines) >= 6:
            break
    if lines:
        return "\n".join(lines)
    return squeeze(text)[:600] if keep_prose else ""


def _detect(mail: BounceMail) -> bool:
    return True


def _extract(mail: BounceMail) -> list[Fields]:
    found = candidates(mail)
    return [fields_for(mail, addr, alone=len(found) == 1) for addr in found]


# A Sendmail summary line for one recipient: "554 <a@example.org>... Remote protocol error".
_SUMMARY = re.compile(r"^[245]\d\d[ \-]+<?[^\s<>@]+@[^\s<>]+>?\.\.\.")


def _transcript_reply(text: str, recipient: str) -> tuple[str, str] | None:
    """In a Sendmail session transcript, the remote reply ("<<< ...") and the command it
    answered (">>> ...") that the recipient's summary line reports, as (command, reply).

    Sendmail writes the remote server's words on "<<<" lines and then its own summary per
    recipient ("554 <a@b>... Remote protocol error"); only the first summary after a reply
    is about it. Returns ("", "") when the recipient's summary follows no reply (a local
    failure such as a DNS lookup), None when the recipient has no summary line.
    """
    lines = text.splitlines()
    low = recipient.lower()
    at = next(
        (i for i, line in enumerate(lines) if _SUMMARY.match(line.strip()) and low in line.lower()),
        -1,
    )
    if at < 0:
        return None
    reply: list[str] = []
    for line in reversed(lines[:at]):
        line = line.strip()
        if line.startswith("<<< "):
            reply.insert(0, line[4:])
            continue
        if reply:
            command = find_command(">>> " + line[4:].split(":")[0]) if line.startswith(">>> ") else ""
            return command, squeeze(" ".join(reply))
        if _SUMMARY.match(line) or line.startswith((">>> ", "While talking to")):
            break  # another recipient's summary or a new session: nothing remote for this one
    return "", ""


def _command_before(text: str, recipient: str) -> str:
    """In a session transcript, the command exchange that mentions or precedes the recipient."""
    at = text.find(recipient)
    if at < 0 or ">>> " not in text:
        return ""
    start = text.rfind("\n>>> ", max(0, at - 2000), at)
    if start < 0:
        return ""
    return find_command(text[start + 1 : at + len(recipient) + 300])


FORMAT = BounceFormat(name="plaintext", detect=_detect, extract=_extract, order=900)

"""RFC 5965 Abuse Reporting Format: a complaint, not a bounce (reason `feedback`)."""

from __future__ import annotations

from bounceguard.core.dsn.bouncemail import BounceMail, header_text
from bounceguard.core.dsn.fields import Fields, Kind, clean_address, find_addresses
from bounceguard.core.dsn.formats.base import BounceFormat
from bounceguard.core.dsn.mime import parse_headers


def _detect(mail: BounceMail) -> bool:
    if mail.first("message/feedback-report") is not None:
        return True
    # some providers send the report as text/plain with report-type=feedback-report
    ctype = str(mail.headers.get("content-type", "")).lower()
    return "feedback-report" in ctype


def _extract(mail: BounceMail) -> list[Fields]:
    part = mail.first("message/feedback-report")
    report = parse_headers(part.text().lstrip("\r\n")) if part is not None else None
    feedback_type = header_text(report.get("feedback-type")).lower() if report is not None else ""
    recipients: list[str] = []
    if report is not None:
        # RFC 5965 section 3.2: Original-Rcpt-To may repeat, one per recipient
        for value in report.get_all("original-rcpt-to") or []:
            addr = clean_address(header_text(value))
            if addr and addr not in recipients:
                recipients.append(addr)
        if not recipients:
            for value in report.get_all("removal-recipient") or []:
                addr = clean_address(header_text(value))
                if addr and addr not in recipients:
                    recipients.append(addr)
    original = mail.original
    if not recipients and original is not None:
        recipients = find_addresses(header_text(original.get("to")))[:1]
    if not recipients:
        return []
    remote = header_text(report.get("source-ip")) if report is not None else ""
    return [
        Fields(
            recipient=addr,
            kind=Kind.FEEDBACK,
            feedback_type=feedback_type or "abuse",
            remote_mta=remote,
            diagnostic=header_text(report.get("user-agent")) if report is not None else "",
        )
        for addr in recipients
    ]


FORMAT = BounceFormat(name="ARF", detect=_detect, extract=_extract, order=10)

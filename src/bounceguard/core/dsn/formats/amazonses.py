"""Amazon SES notifications mailed as JSON (the SNS e-mail subscription of an SES topic).

Field names from the SES notification contents documentation: notificationType
Bounce / Complaint / Delivery, bounce.bouncedRecipients[].{emailAddress,status,diagnosticCode},
complaint.complainedRecipients[], delivery.recipients and smtpResponse.
"""

from __future__ import annotations

import json
from typing import Any

from bounceguard.core.dsn.bouncemail import BounceMail
from bounceguard.core.dsn.fields import Fields, Kind, find_reply_code, find_status, squeeze
from bounceguard.core.dsn.formats.base import BounceFormat


def _detect(mail: BounceMail) -> bool:
    text = mail.full_text
    return "notificationType" in text or '"eventType"' in text


def _document(text: str) -> dict[str, Any] | None:
    start = text.find("{")
    end = text.rfind("}")
    if start < 0 or end <= start:
        return None
    body = text[start : end + 1]
    # SNS e-mail wraps lines longer than 990 octets as "!" + newline + space
    body = body.replace("!\n ", "").replace("!\r\n ", "").replace("\r\n", "").replace("\n", "")
    try:
        doc = json.loads(body)
        if isinstance(doc, dict) and doc.get("Type") == "Notification" and isinstance(doc.get("Message"), str):
            doc = json.loads(doc["Message"])  # the SNS envelope carries the SES notification as a string
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _extract(mail: BounceMail) -> list[Fields]:
    doc = _document(mail.full_text)
    if doc is None:
        return []
    kind = _str(doc.get("notificationType") or doc.get("eventType")).lower()
    out: list[Fields] = []
    if kind == "bounce":
        bounce = doc.get("bounce") or {}
        remote = _str(bounce.get("reportingMTA")).removeprefix("dsn;").strip()
        for row in bounce.get("bouncedRecipients") or []:
            if not isinstance(row, dict) or not _str(row.get("emailAddress")):
                continue
            diagnostic = squeeze(_str(row.get("diagnosticCode")).removeprefix("smtp;"))
            out.append(
                Fields(
                    recipient=_str(row.get("emailAddress")),
                    action=_str(row.get("action")),
                    status=find_status(_str(row.get("status"))) or find_status(diagnostic),
                    reply_code=find_reply_code(diagnostic),
                    diagnostic=diagnostic,
                    remote_mta=remote,
                    reason_hint=_str(bounce.get("bounceType")).lower(),
                )
            )
    elif kind == "complaint":
        complaint = doc.get("complaint") or {}
        feedback = _str(complaint.get("complaintFeedbackType")) or "abuse"
        for row in complaint.get("complainedRecipients") or []:
            if isinstance(row, dict) and _str(row.get("emailAddress")):
                out.append(Fields(recipient=_str(row["emailAddress"]), kind=Kind.FEEDBACK, feedback_type=feedback))
    elif kind == "delivery":
        delivery = doc.get("delivery") or {}
        response = _str(delivery.get("smtpResponse"))
        for addr in delivery.get("recipients") or []:
            if isinstance(addr, str) and addr:
                out.append(
                    Fields(
                        recipient=addr,
                        action="delivered",
                        status=find_status(response),
                        reply_code=find_reply_code(response),
                        diagnostic=response,
                        remote_mta=_str(delivery.get("reportingMTA")),
                        kind=Kind.DELIVERED,
                    )
                )
    return out


FORMAT = BounceFormat(name="AmazonSES", detect=_detect, extract=_extract, order=30)

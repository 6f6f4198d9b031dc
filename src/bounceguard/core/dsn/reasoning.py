"""Turning extracted fields into a reason: structure for non-bounces, the classifier for bounces.

Format modules never decide reasons (they only extract); receiver-specific readings live in
`rhost/` modules and are consulted before the general classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from bounceguard.core.categories import Category, Reason, category_of
from bounceguard.core.classify import classify
from bounceguard.core.dsn.fields import Fields, Kind
from bounceguard.core.dsn.rhost import reason_for_receiver


@dataclass(frozen=True)
class Verdict:
    reason: Reason
    category: Category
    hardbounce: bool
    why: str


_STRUCTURAL = {
    Kind.FEEDBACK: (Reason.FEEDBACK, "RFC 5965 feedback report"),
    Kind.AUTOREPLY: (Reason.VACATION, "RFC 3834 auto-reply"),
    Kind.DELIVERED: (Reason.DELIVERED, "RFC 3464 Action: delivered"),
}


def decide(fields: Fields) -> Verdict:
    structural = _STRUCTURAL.get(fields.kind)
    if structural is not None:
        reason, why = structural
        return Verdict(reason, category_of(reason), False, why)
    reply = int(fields.reply_code) if fields.reply_code.isdigit() else None
    receiver = reason_for_receiver(fields)
    if receiver is not None:
        reason, why = receiver
        return Verdict(reason, category_of(reason), _hard(reason, fields.status, reply), why)
    verdict = classify(
        reply_code=reply,
        status=fields.status or None,
        diagnostic=fields.diagnostic or None,
        remote_host=fields.remote_mta or None,
    )
    return Verdict(verdict.reason, verdict.category, verdict.hardbounce, verdict.why)


def _hard(reason: Reason, status: str, reply: int | None) -> bool:
    category = category_of(reason)
    if reason is Reason.NOTACCEPT:
        temporary = status.startswith("4") or (reply is not None and 400 <= reply < 500)
        return not temporary
    return category is Category.HARD

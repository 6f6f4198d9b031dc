"""Turning extracted fields into a reason: structure for non-bounces, the classifier for bounces.

Format modules never decide reasons (they only extract); receiver-specific readings live in
`rhost/` modules and are consulted before the general classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from bounceguard.core.categories import Category, Reason, category_of
from bounceguard.core.classify import classify
from bounceguard.core.classify.classifier import reason_from_text
from bounceguard.core.classify.errors import ClassifyInputError
from bounceguard.core.dsn.fields import Fields, Kind, find_status
from bounceguard.core.dsn.hints import reason_from_hint
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
    context = _in_context(verdict.reason, fields, reply)
    reason, why = context if context is not None else (verdict.reason, "")
    stated = reason_from_hint(fields.reason_hint)
    if stated is not None and reason in _HINTABLE:
        # the sending MTA's own category for the reply (PowerMTA) is firmer than a vague reading
        return Verdict(
            stated, category_of(stated), _hard(stated, fields.status, reply), f"report states {fields.reason_hint}"
        )
    if context is not None:
        return Verdict(reason, category_of(reason), _hard(reason, fields.status, reply), f"{why}; {verdict.why}")
    return Verdict(verdict.reason, verdict.category, verdict.hardbounce, verdict.why)


# Readings vague enough that a category stated by the report itself may replace them.
_HINTABLE = frozenset({Reason.UNDEFINED, Reason.ONHOLD, Reason.FILTERED, Reason.REJECTED})


# Readings of a local program's output that say no more than "it failed": an exit code read
# as a reply code, or "no such user" from procmail about its own spool file.
_LOCAL_PROGRAM_VAGUE = frozenset(
    {Reason.UNDEFINED, Reason.ONHOLD, Reason.DELIVERED, Reason.USERUNKNOWN, Reason.FILTERED}
)
_BEFORE_DATA = frozenset({"CONN", "HELO", "MAIL", "RCPT"})
# Reasons that only say "something failed on the way": in a final report after temporary
# failures they mean the sending MTA ran out of retries.
_VAGUE = frozenset({Reason.UNDEFINED, Reason.ONHOLD})
# What a refusal of the envelope sender (MAIL FROM) may be worded like; the recipient is fine.
_CLIENT_STAGE = frozenset({"CONN", "HELO"})
# Readings that cannot be right before MAIL FROM: no sender or recipient was named yet.
_CLIENT_VAGUE = frozenset({Reason.UNDEFINED, Reason.ONHOLD, Reason.REJECTED, Reason.SECURITYERROR})
_SENDER_STAGE = frozenset({Reason.USERUNKNOWN, Reason.HOSTUNKNOWN, Reason.UNDEFINED, Reason.ONHOLD, Reason.NOTACCEPT})


def _in_context(reason: Reason, fields: Fields, reply: int | None) -> tuple[Reason, str] | None:
    """Readings that need what only the report knows: the SMTP stage and whether it was final."""
    firm_user = any(code.endswith((".1.1", ".1.10")) for code in (fields.status, find_status(fields.diagnostic)))
    if reason is Reason.USERUNKNOWN and reply is not None and fields.command not in _BEFORE_DATA and not firm_user:
        # a remote server's "user unknown" wording without the X.1.1 code that would make it
        # firm, and not shown to answer RCPT TO: content filters answer DATA with such text,
        # so the address is not proven dead (Sisimai's "filtered"). Without any SMTP reply the
        # text comes from the reporting system's own directory lookup and stays firm.
        return Reason.FILTERED, "user-unknown wording not tied to RCPT TO"
    if reason is Reason.AUTHFAILURE and fields.status.endswith(".7.27") and _remote_is_recipient_domain(fields):
        # RFC 7505 X.7.27 is the sender's null MX, but a report whose Remote-MTA is the
        # recipient's own domain (a DNS name, no host was reached) says that domain published
        # the null MX: it takes no mail at all (Sendmail's "Host does not accept mail")
        return Reason.NOTACCEPT, "null MX status for the recipient's own domain"
    if reason is Reason.NETWORKERROR and _refused_in_words(fields, reply):
        # a permanent reply that refuses in words means the host did answer, so a network
        # status read literally ("X.4.1 no answer from host") cannot be the cause; Microsoft
        # 365's edge answers "550 5.4.1 Recipient address rejected: Access denied"
        return Reason.REJECTED, "a host's 5xx refusal under a network status"
    if reason is Reason.REJECTED and _address_refused(fields):
        # "550 #5.1.0 Address rejected." answered for the recipient: RFC 3463 X.1.x is about
        # the address itself, and a permanent refusal of the recipient address that names no
        # other cause is the receiver's way of saying the mailbox is not there (1&1/IONOS)
        return Reason.USERUNKNOWN, "recipient address refused with an address status (X.1.x)"
    if reason is Reason.CONTENTERROR and _status_class(fields) == ".7":
        # "Header error" under X.7.x (RFC 3463: security or policy status): the headers broke
        # the receiver's policy (Exim/Sendmail sites' header checks), not a malformed message
        return Reason.POLICYVIOLATION, "content wording under a policy status (X.7.x)"
    if fields.diagnostic_type == "x-unix" and reason in _LOCAL_PROGRAM_VAGUE:
        if fields.status[1:3] == ".3":
            # RFC 3463 X.3.x: the mail system itself (sendmail's EX_CONFIG/EX_SOFTWARE exits)
            return Reason.SYSTEMERROR, "X-Unix diagnostic with a mail-system status"
        # RFC 3464 diagnostic type X-Unix: a local delivery program (procmail, a pipe) failed,
        # whatever its message says; an exit code alone ("77") reads as nothing else
        return Reason.MAILERERROR, "X-Unix diagnostic: a local delivery program failed"
    if fields.command == "MAIL" and reason in _SENDER_STAGE:
        return Reason.REJECTED, "refused at MAIL FROM: the sender, not the recipient"
    if fields.command == "MAIL" and reason is not Reason.REJECTED and _names_nothing_specific(fields.diagnostic):
        # a bare refusal of MAIL FROM ("550 5.7.1 Access denied"): the code's leaning
        # (X.7.1 blocked) says less than the stage, which is about the envelope sender
        return Reason.REJECTED, "generic refusal at MAIL FROM: the sender"
    if fields.command in _CLIENT_STAGE and reason in _CLIENT_VAGUE:
        # refused at connection or HELO, before any address was given (RFC 5321 3.1, 4.1.1.1):
        # only the connecting client, its IP or name, can be the cause
        return Reason.BLOCKED, "refused before MAIL FROM: the sending host"
    if reason is Reason.NETWORKERROR and ("timed out" in fields.diagnostic or "timeout" in fields.diagnostic):
        # connection timeouts are retried until the queue lifetime ends; a report about one
        # is the sending MTA giving up (Postfix, Sendmail, Gmail "did not accept our requests")
        return Reason.EXPIRED, "timed out until the sender gave up"
    temporary = fields.status.startswith("4") or (not fields.status and reply is not None and 400 <= reply < 500)
    if reason in _VAGUE and temporary and fields.action in ("failed", ""):
        return Reason.EXPIRED, "temporary failure in a final report: retries ran out"
    if fields.action == "delayed" and (reason in _VAGUE or _names_nothing_specific(fields.diagnostic)):
        # a warning about a message still being retried: a bare reply code ("Deferred: 421")
        # says only that the receiver answered "later"
        return Reason.EXPIRED, "RFC 3464 Action: delayed, still being retried"
    return None


def _address_refused(fields: Fields) -> bool:
    """A permanent refusal of the recipient's address with an X.1.x status and no other words."""
    if fields.command in ("CONN", "HELO", "MAIL") or not fields.reply_code.startswith("5"):
        return False
    status = find_status(fields.diagnostic) or fields.status
    if not status.startswith("5.1.") or status in ("5.1.7", "5.1.8"):  # X.1.7/X.1.8: the sender
        return False
    text = fields.diagnostic.lower()
    return "address rejected" in text and "sender" not in text and _names_nothing_specific(text)


def _refused_in_words(fields: Fields, reply: int | None) -> bool:
    """A 5xx reply under X.4.1/X.4.2 whose text is a refusal ("rejected", "access denied")."""
    if reply is None or not 500 <= reply < 600:
        return False
    status = find_status(fields.diagnostic) or fields.status
    if status[1:] not in (".4.1", ".4.2"):  # RFC 3463: no answer from host, bad connection
        return False
    try:
        return reason_from_text(fields.diagnostic) is Reason.REJECTED
    except ClassifyInputError:
        return False


def _remote_is_recipient_domain(fields: Fields) -> bool:
    """The Remote-MTA field names the recipient's domain itself, not one of its MX hosts."""
    domain = fields.recipient.rpartition("@")[2].lower()
    return bool(domain) and fields.remote_mta.lower().rstrip(".") == domain


def _status_class(fields: Fields) -> str:
    """The subject part of the status (".7" of 5.7.1), from the field or the diagnostic text."""
    status = fields.status or find_status(fields.diagnostic)
    if status.endswith(".0.0") and fields.status:
        status = find_status(fields.diagnostic) or status  # a catch-all field hides the text's code
    return status[1:3]


def _names_nothing_specific(diagnostic: str) -> bool:
    """The wording names no reason, or only the generic "rejected"/"denied" family."""
    try:
        named = reason_from_text(diagnostic)
    except ClassifyInputError:
        return False
    return named is None or named is Reason.REJECTED


def _hard(reason: Reason, status: str, reply: int | None) -> bool:
    category = category_of(reason)
    if reason is Reason.NOTACCEPT:
        temporary = status.startswith("4") or (reply is not None and 400 <= reply < 500)
        return not temporary
    return category is Category.HARD

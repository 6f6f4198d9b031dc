"""The decision: reply code + enhanced status + diagnostic text -> reason -> category.

Order of evidence (strongest first):
1. a firm enhanced status code (5.1.1, X.2.2, X.7.26, ...): the code decides;
2. the receiver's wording, matched against every reasons/ module;
3. a leaning status code (X.7.1 -> blocked, X.2.1 -> suspend, ...);
4. a bare reply code that means one thing (421, 452, 521, ...);
5. otherwise `onhold` for a failure we cannot read, `undefined` for no evidence at all.
The category follows the reason, never the first digit; only `notaccept` depends on
the class (permanent = hard, temporary = soft), as null MX is final only when 5xx.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bounceguard.core.categories import REASON_CATEGORY, Category, Reason
from bounceguard.core.classify.errors import ClassifyInputError
from bounceguard.core.classify.matcher import GENERIC_PRIORITY, WordingMatcher, normalize
from bounceguard.core.classify.reasons import load_rules
from bounceguard.core.classify.reply import STATUS_RE, parse_reply
from bounceguard.core.classify.reply_codes import reason_for_reply
from bounceguard.core.classify.status_codes import reason_for_status
from bounceguard.core.models import Classification

CACHE_SIZE = 65536

_STATUS_FULL = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
# "... said: 550 5.1.1 ..." inside a longer diagnostic: a reply code right before a status.
_CODE_BEFORE_STATUS = re.compile(r"(?<!\d)([245]\d\d)[ \-]+(?=[245]\.\d{1,3}\.\d{1,3})")
# Text reasons that may soften a permanent recipient-unknown status (see _decide).
_SOFTENING = frozenset({Reason.MAILBOXFULL, Reason.SUSPEND, Reason.TOOMANYCONN, Reason.SPEEDING})
_DATA_COMMANDS = frozenset({"DATA", "BDAT", "END OF DATA"})
# Exim "SMTP error from remote mail server after end of data", Postfix "(in reply to end of DATA command)".
_AFTER_DATA = re.compile(r"after end of data|in reply to end of data command|after data\b")
_SUPPRESS = frozenset({Category.HARD, Category.COMPLAINT, Category.UNSUBSCRIBE, Category.TRAP})

_matcher = WordingMatcher(load_rules())


def reason_from_text(diagnostic: str) -> Reason | None:
    """The reason named by the wording alone (no codes), or None if it names none."""
    if not isinstance(diagnostic, str):
        raise ClassifyInputError(f"diagnostic must be a str, not {type(diagnostic).__name__}")
    hit = _matcher.match(normalize(diagnostic))
    return hit.reason if hit is not None else None


def classify(
    *,
    reply_code: int | None = None,
    status: str | None = None,
    diagnostic: str | None = None,
    remote_host: str | None = None,
    smtp_command: str | None = None,
) -> Classification:
    """Classify one outcome. Never raises on odd values (unknown codes, garbage text);
    raises ClassifyInputError only for arguments of the wrong type.

    `smtp_command` is the command the receiver answered (RCPT, DATA, ...) when known:
    a "user unknown" given only after DATA is a content filter, not a missing mailbox.
    """
    _check_types(reply_code, status, diagnostic, remote_host, smtp_command)
    return _classify_cached(reply_code, status, diagnostic, remote_host, _command(smtp_command))


def classify_reply(text: str, remote_host: str | None = None) -> Classification:
    """Classify a raw SMTP reply such as "550 5.1.1 <a@example.com>: user unknown"."""
    parsed = parse_reply(text)
    return classify(reply_code=parsed.reply_code, status=parsed.status, diagnostic=parsed.text, remote_host=remote_host)


def classify_uncached(
    *,
    reply_code: int | None = None,
    status: str | None = None,
    diagnostic: str | None = None,
    remote_host: str | None = None,
    smtp_command: str | None = None,
) -> Classification:
    """`classify` without the result cache (for measuring and for tests of the cache)."""
    _check_types(reply_code, status, diagnostic, remote_host, smtp_command)
    return _decide(reply_code, status, diagnostic, remote_host, _command(smtp_command))


def _command(smtp_command: str | None) -> str:
    return smtp_command.strip().upper() if smtp_command else ""


def _check_types(
    reply_code: object, status: object, diagnostic: object, remote_host: object, smtp_command: object
) -> None:
    if reply_code is not None and (not isinstance(reply_code, int) or isinstance(reply_code, bool)):
        raise ClassifyInputError(f"reply_code must be an int, not {type(reply_code).__name__}")
    for name, value in (
        ("status", status),
        ("diagnostic", diagnostic),
        ("remote_host", remote_host),
        ("smtp_command", smtp_command),
    ):
        if value is not None and not isinstance(value, str):
            raise ClassifyInputError(f"{name} must be a str, not {type(value).__name__}")


@lru_cache(maxsize=CACHE_SIZE)
def _classify_cached(
    reply_code: int | None, status: str | None, diagnostic: str | None, remote_host: str | None, command: str
) -> Classification:
    return _decide(reply_code, status, diagnostic, remote_host, command)


def _decide(
    reply_code: int | None, status: str | None, diagnostic: str | None, remote_host: str | None, command: str
) -> Classification:
    code = reply_code if reply_code is not None and 200 <= reply_code <= 599 else None
    st = status.strip() if status else None
    if st is not None and _STATUS_FULL.fullmatch(st) is None:
        st = None
    text = diagnostic or ""
    if text:
        code, st, text = _codes_from_text(code, st, text)

    status_hit = reason_for_status(st) if st else None
    norm = normalize(text) if text else ""
    text_hit = _matcher.match(norm) if norm else None
    if status_hit is not None and status_hit[1]:
        reason, why = status_hit[0], f"status {st}"
        # A permanent "no such user" code whose text says the mailbox is full or the
        # sender went too fast (GoDaddy sends 5.1.1 for its hourly recipient limit) is
        # not proof the address is dead: the softer reading wins, never a block.
        if text_hit is not None and REASON_CATEGORY[reason] is Category.HARD and text_hit.reason in _SOFTENING:
            reason, why = text_hit.reason, f"text '{text_hit.evidence}' over status {st}"
    elif text_hit is not None and (status_hit is None or text_hit.priority >= GENERIC_PRIORITY):
        reason, why = text_hit.reason, f"text '{text_hit.evidence}' ({text_hit.reason.value})"
    elif status_hit is not None:
        reason, why = status_hit[0], f"status {st}"
    else:
        by_reply = reason_for_reply(code) if code is not None else None
        if by_reply is not None:
            reason, why = by_reply, f"reply {code}"
        elif code is not None or st is not None:
            reason = Reason.ONHOLD
            why = f"no specific code or wording ({' '.join(str(x) for x in (code, st) if x)})"
        else:
            reason, why = Reason.UNDEFINED, "no code and no known wording"
    if reason is Reason.USERUNKNOWN and (command in _DATA_COMMANDS or _AFTER_DATA.search(norm)):
        # RFC 5321 checks recipients at RCPT; a refusal worded "user unknown" that comes
        # only after the message was sent is a content/sender filter (Japanese carriers
        # such as au/docomo answer their domain filter this way), so the address may be fine.
        reason, why = Reason.FILTERED, f"{why}, after DATA"
    return _verdict(reason, _temporary(code, st), why)


def _codes_from_text(code: int | None, st: str | None, text: str) -> tuple[int | None, str | None, str]:
    """Codes the receiver itself wrote in the text ("550 5.1.1 ...", "... said: 550 5.1.1 ...").

    Missing codes are filled in; a specific status in the text also replaces a generic or
    different `status`, because a DSN's Status field is the reporting MTA's summary
    (often 5.0.0, or 4.4.7 when it gave up) while the text is what the receiver said.
    """
    parsed = parse_reply(text)
    if parsed.reply_code is not None or parsed.status is not None:
        code = code if code is not None else parsed.reply_code
        text_status = parsed.status
        text = parsed.text
    else:
        m = STATUS_RE.search(text)
        text_status = m.group(0) if m is not None else None
        if m is not None and code is None:
            cm = _CODE_BEFORE_STATUS.search(text, 0, m.start() + 1)
            if cm is not None:
                code = int(cm.group(1))
    if text_status is not None and text_status != st and (st is None or reason_for_status(text_status)):
        st = text_status
    return code, st, text


def _temporary(code: int | None, st: str | None) -> bool:
    if st is not None:
        return st[0] == "4"
    return code is not None and 400 <= code < 500


def _verdict(reason: Reason, temporary: bool, why: str) -> Classification:
    category = REASON_CATEGORY[reason]
    if reason is Reason.NOTACCEPT and temporary:
        category = Category.SOFT  # a 4xx null-MX/no-service answer may clear (RFC 7504)
    return Classification.model_construct(
        reason=reason,
        category=category,
        suppress=category in _SUPPRESS,
        retry=category is Category.SOFT,
        hardbounce=category is Category.HARD,
        why=why[:512],
    )

"""The decision: reply code + enhanced status + diagnostic text -> reason -> category.

Order of evidence (strongest first):
1. a firm enhanced status code (5.1.1, X.2.2, X.7.26, ...): the code decides, except
   that a permanent "no such user" code whose text clearly says something softer
   (mailbox full, rate limit) takes the softer reading;
2. the receiver's wording, matched against every reasons/ module;
3. a leaning status code (X.7.1 -> blocked, X.2.1 -> suspend, ...), which still
   outranks the generic wording ("rejected", "blocked");
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
from bounceguard.core.classify.matcher import GENERIC_PRIORITY, TextMatch, WordingMatcher, normalize
from bounceguard.core.classify.reasons import load_rules
from bounceguard.core.classify.reply import find_status, parse_reply
from bounceguard.core.classify.reply_codes import reason_for_reply
from bounceguard.core.classify.status_codes import reason_for_status
from bounceguard.core.models import Classification

# Results kept per level (raw arguments, then templated text); real traffic repeats
# receivers' texts, so even a modest cache absorbs most of the work.
CACHE_SIZE = 65536

_STATUS_FULL = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
# "... said: 550 5.1.1 ..." inside a longer diagnostic: a reply code right before a status.
_CODE_BEFORE_STATUS = re.compile(r"(?<!\d)([245]\d\d)[ \-]+(?=[245]\.\d{1,3}\.\d{1,3})")
# Text reasons that may soften a permanent recipient-unknown status (see _decide).
_SOFTENING = frozenset({Reason.MAILBOXFULL, Reason.SUSPEND, Reason.TOOMANYCONN, Reason.SPEEDING})
_DATA_COMMANDS = frozenset({"DATA", "BDAT", "END OF DATA"})
# Exim "SMTP error from remote mail server after end of data", Postfix "(in reply to end of DATA command)".
_AFTER_DATA = re.compile(r"after end of data|in reply to end of data command|after data\b")
# What varies per message: IPv4 addresses and runs of 5+ digits (queue ids, Gmail's
# "v14si1155795plk.134 - gsmtp"). Both start with [0-9], so the regex engine skips
# quickly to candidates; _mask_numbers widens a digit run to its whole word.
_NUMBERS = re.compile(r"[0-9]{5,}|[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")
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
    `remote_host` is accepted for receiver-specific readings and keys the cache.
    """
    try:
        return _classify_cached(reply_code, status, diagnostic, remote_host, smtp_command)
    except ClassifyInputError:
        raise
    except TypeError:  # unhashable arguments (lists, dicts) never reach _decide's own check
        _check_types(reply_code, status, diagnostic, remote_host, smtp_command)
        raise


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
    """`classify` without the result caches (for measuring, and for tests of the caches)."""
    _check_types(reply_code, status, diagnostic, remote_host, smtp_command)
    return _decide(reply_code, status, _template(diagnostic), remote_host, smtp_command)


def clear_cache() -> None:
    """Forget cached results (after editing wording at run time, or between measurements)."""
    _classify_cached.cache_clear()
    _classify_template.cache_clear()


def _check_types(
    reply_code: object, status: object, diagnostic: object, remote_host: object, smtp_command: object
) -> None:
    if reply_code is not None and (type(reply_code) is not int):
        raise ClassifyInputError(f"reply_code must be an int, not {type(reply_code).__name__}")
    for name, value in (
        ("status", status),
        ("diagnostic", diagnostic),
        ("remote_host", remote_host),
        ("smtp_command", smtp_command),
    ):
        if value is not None and not isinstance(value, str):
            raise ClassifyInputError(f"{name} must be a str, not {type(value).__name__}")


# typed=True: 550 and 550.0 (or True and 1) are different keys, so a wrong type is
# always checked by _decide instead of being answered from another call's result.
@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _classify_cached(
    reply_code: int | None,
    status: str | None,
    diagnostic: str | None,
    remote_host: str | None,
    smtp_command: str | None,
) -> Classification:
    # Types are checked by _decide on a template-level miss (both levels are typed), so a
    # first-level miss answered by the template level costs only the templating.
    return _classify_template(reply_code, status, _template(diagnostic), remote_host, smtp_command)


def _template(diagnostic: str | None) -> str | None:
    """The text with what varies per message (addresses, IPv4 addresses, long numbers such
    as queue ids) replaced by "_": receivers send the same few templates, so results are
    cached per template, and no wording depends on those values."""
    if not diagnostic or type(diagnostic) is not str:
        return diagnostic  # None, "", or a wrong type that _decide will refuse
    text = diagnostic
    at = text.find("@")
    while at >= 0:
        # The token around "@", cut at blanks and line breaks (str.find: a regex for
        # addresses would backtrack at every position).
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        end = len(text)
        for stop in (text.find(" ", at), text.find("\n", at)):
            if 0 <= stop < end:
                end = stop
        text = f"{text[:start]}_{text[end:]}"
        at = text.find("@", start + 1)
    return _mask_numbers(text) if _NUMBERS.search(text) else text


def _mask_numbers(text: str) -> str:
    """IPv4 addresses become "_"; so does the id-like word around a 5+ digit run
    ("v14si1155795plk.134"), widened over letters, digits, "." "-" "_" only, so the
    words of a URL ("spamhaus.org/query/ip/...") survive."""
    parts: list[str] = []
    done = 0
    for m in _NUMBERS.finditer(text):
        start, end = m.span()
        if start < done:
            continue  # inside a word already masked
        if m.group(0)[-1] != "." and "." not in m.group(0):  # a digit run: widen to its word
            while start > done and _is_id_char(text[start - 1]):
                start -= 1
            while end < len(text) and _is_id_char(text[end]):
                end += 1
            end = len(text[:end].rstrip("."))
        parts.append(text[done:start])
        parts.append("_")
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _is_id_char(char: str) -> bool:
    return char.isalnum() or char in "._-"


# Second level: keyed by the templated text, so a reply naming another recipient or IP
# is still answered from the cache.
@lru_cache(maxsize=CACHE_SIZE, typed=True)
def _classify_template(
    reply_code: int | None,
    status: str | None,
    diagnostic: str | None,
    remote_host: str | None,
    smtp_command: str | None,
) -> Classification:
    _check_types(reply_code, status, diagnostic, remote_host, smtp_command)
    return _decide(reply_code, status, diagnostic, remote_host, smtp_command)


def _decide(
    reply_code: int | None,
    status: str | None,
    diagnostic: str | None,
    remote_host: str | None,
    smtp_command: str | None,
) -> Classification:
    """The decision for already type-checked arguments and a templated diagnostic."""
    code = reply_code if reply_code is not None and 200 <= reply_code <= 599 else None
    st = status.strip() if status else None
    if st is not None and _STATUS_FULL.fullmatch(st) is None:
        st = None
    text = diagnostic or ""
    if text:
        code, st, text = _codes_from_text(code, st, text)

    status_hit = reason_for_status(st) if st else None
    firm = status_hit is not None and status_hit[1]
    if firm and status_hit is not None and REASON_CATEGORY[status_hit[0]] is not Category.HARD:
        # Fast path: a specific, non-hard code (5.2.2, 5.3.4, 5.7.26, ...) needs no wording.
        return _verdict(status_hit[0], _temporary(code, st), f"status {st}")

    norm = normalize(text) if text else ""
    text_hit = _matcher.match(norm) if norm else None
    reason, why = _weigh(code, st, status_hit, text_hit)
    if reason is Reason.USERUNKNOWN and _after_data(smtp_command, norm):
        # RFC 5321 checks recipients at RCPT; a refusal worded "user unknown" that comes
        # only after the message was sent is a content/sender filter (Japanese carriers
        # such as au/docomo answer their domain filter this way), so the address may be fine.
        reason, why = Reason.FILTERED, f"{why}, after DATA"
    return _verdict(reason, _temporary(code, st), why)


def _weigh(
    code: int | None, st: str | None, status_hit: tuple[Reason, bool] | None, text_hit: TextMatch | None
) -> tuple[Reason, str]:
    if status_hit is not None and status_hit[1]:
        reason = status_hit[0]
        # A permanent "no such user" code whose text says the mailbox is full or the
        # sender went too fast (GoDaddy sends 5.1.1 for its hourly recipient limit) is
        # not proof the address is dead: the softer reading wins, never a block.
        if text_hit is not None and text_hit.reason in _SOFTENING:
            return text_hit.reason, f"text '{text_hit.evidence}' over status {st}"
        return reason, f"status {st}"
    if text_hit is not None and (status_hit is None or text_hit.priority >= GENERIC_PRIORITY):
        return text_hit.reason, f"text '{text_hit.evidence}' ({text_hit.reason.value})"
    if status_hit is not None:
        return status_hit[0], f"status {st}"
    by_reply = reason_for_reply(code) if code is not None else None
    if by_reply is not None:
        return by_reply, f"reply {code}"
    if code is not None or st is not None:
        return Reason.ONHOLD, f"no specific code or wording ({' '.join(str(x) for x in (code, st) if x)})"
    return Reason.UNDEFINED, "no code and no known wording"


def _after_data(smtp_command: str | None, norm: str) -> bool:
    if smtp_command and smtp_command.strip().upper() in _DATA_COMMANDS:
        return True
    return "data" in norm and _AFTER_DATA.search(norm) is not None


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
        # Only worth a scan when the given status says nothing specific.
        scan = "." in text and (st is None or reason_for_status(st) is None)
        text_status = find_status(text) if scan else None
        if text_status is not None and code is None:
            cm = _CODE_BEFORE_STATUS.search(text)
            if cm is not None:
                code = int(cm.group(1))
    if text_status is not None and text_status != st and (st is None or reason_for_status(text_status)):
        st = text_status
    return code, st, text


def _temporary(code: int | None, st: str | None) -> bool:
    if st is not None:
        return st[0] == "4"
    return code is not None and 400 <= code < 500


# Verdicts are immutable and few (reason x category x why), so they are built once.
_VERDICTS: dict[tuple[Reason, bool, str], Classification] = {}
_MAX_VERDICTS = 100_000


def _verdict(reason: Reason, temporary: bool, why: str) -> Classification:
    key = (reason, temporary and reason is Reason.NOTACCEPT, why)
    found = _VERDICTS.get(key)
    if found is not None:
        return found
    category = REASON_CATEGORY[reason]
    if key[1]:
        category = Category.SOFT  # a 4xx null-MX/no-service answer may clear (RFC 7504)
    verdict = Classification.model_construct(
        reason=reason,
        category=category,
        suppress=category in _SUPPRESS,
        retry=category is Category.SOFT,
        hardbounce=category is Category.HARD,
        why=why[:512],
    )
    if len(_VERDICTS) >= _MAX_VERDICTS:
        _VERDICTS.clear()
    _VERDICTS[key] = verdict
    return verdict

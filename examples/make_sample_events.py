"""Regenerate examples/sample_events.jsonl: a realistic, deterministic mix of SendResult lines.

The file is what a small sending platform would publish to bounceguard.send-results over
three days: four sending mailboxes, five list segments, mostly deliveries, and the failure
wordings the big receivers really send. One segment ("purchased-2024q4") is a bought list
and bounces far more than the rest, so trends and alerts have something to find. A few
addresses soft-bounce three times over two days, so soft-bounce escalation can be seen.

The output is fixed by a seed and a reference date, so re-running it gives the same bytes:

    python examples/make_sample_events.py            # rewrite the file
    python examples/make_sample_events.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import cycle
from pathlib import Path

from bounceguard.core.models import Outcome, SendResult

# Every timestamp lies in the day before this instant (the persistent soft bounces excepted).
REFERENCE_TIME = datetime(2025, 6, 2, 0, 0, tzinfo=UTC)
DAYS = 1
SEED = 20250602
OUT = Path(__file__).with_name("sample_events.jsonl")

MAILBOXES = (
    "news@mail.example.com",
    "billing@mail.example.com",
    "alerts@notify.example.com",
    "offers@promo.example.net",
)
BAD_SEGMENT = "purchased-2024q4"
SEGMENTS = ("customers-active", "trial-users", "newsletter-weekly", "winback-2023", BAD_SEGMENT)

# Receiving systems: recipient domain and the MX host that answers for it.
RECEIVERS = {
    "gmail": ("gmail.com", "gmail-smtp-in.l.google.com"),
    "outlook": ("outlook.com", "outlook-com.olc.protection.outlook.com"),
    "office365": ("contoso-corp.example", "contoso-corp-example.mail.protection.outlook.com"),
    "yahoo": ("yahoo.com", "mta7.am0.yahoodns.net"),
    "generic": ("mail.example.org", "mx1.mail.example.org"),
}

FIRST = (
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "niaj",
    "olivia",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "walter",
    "zoe",
)
LAST = ("nguyen", "smith", "garcia", "mueller", "rossi", "kowalski", "tanaka", "okafor", "silva", "dubois")


@dataclass(frozen=True)
class Failure:
    """One receiver's real reply for one kind of failure."""

    receiver: str
    outcome: Outcome
    reply_code: int
    enhanced_status: str | None
    diagnostic: str


# Hard: the mailbox does not exist. Wording as each receiver sends it.
USER_UNKNOWN = (
    # Gmail, RFC 3463 5.1.1 with its NoSuchUser help link
    Failure(
        "gmail",
        Outcome.BOUNCED,
        550,
        "5.1.1",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces. "
        "For more information, go to https://support.google.com/mail/?p=NoSuchUser",
    ),
    # Outlook.com consumer mailboxes answer 5.5.0 "mailbox unavailable" for unknown users
    Failure(
        "outlook",
        Outcome.BOUNCED,
        550,
        "5.5.0",
        "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)",
    ),
    # Exchange Online: directory-based edge blocking
    Failure(
        "office365",
        Outcome.BOUNCED,
        550,
        "5.1.10",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    ),
    # Yahoo sends 554 with its "dd" prefix and no enhanced status code
    Failure(
        "yahoo",
        Outcome.BOUNCED,
        554,
        None,
        "554 delivery error: dd This user doesn't have a yahoo.com account - mta7.am0.yahoodns.net",
    ),
    # Postfix local_recipient_maps rejection
    Failure(
        "generic",
        Outcome.BOUNCED,
        550,
        "5.1.1",
        "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
    ),
)

# Soft: recipient side and temporary.
MAILBOX_FULL = (
    Failure(
        "gmail",
        Outcome.DEFERRED,
        452,
        "4.2.2",
        "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient "
        "to https://support.google.com/mail/?p=OverQuotaTemp",
    ),
    Failure("yahoo", Outcome.DEFERRED, 452, None, "452 Mailbox full - mta7.am0.yahoodns.net"),
    # Some receivers say 5.2.2 although the condition is temporary (RFC 3463 lists it as persistent)
    Failure(
        "generic",
        Outcome.BOUNCED,
        552,
        "5.2.2",
        "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox quota exceeded",
    ),
)
GREYLISTED = (
    Failure(
        "generic",
        Outcome.DEFERRED,
        451,
        "4.7.1",
        "451 4.7.1 <{rcpt}>: Recipient address rejected: Greylisted, please try again in 300 seconds",
    ),
    Failure(
        "office365",
        Outcome.DEFERRED,
        451,
        "4.7.500",
        "451 4.7.500 Server busy. Please try again later from [203.0.113.25]. (S77719)",
    ),
)

# Block: the sender is refused; the recipient is fine.
BLOCKS = (
    # Gmail content/reputation block
    Failure(
        "gmail",
        Outcome.BOUNCED,
        550,
        "5.7.1",
        "550-5.7.1 [203.0.113.25] Our system has detected that this message is likely "
        "unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been "
        "blocked. For more information, go to https://support.google.com/mail/?p=UnsolicitedMessageError",
    ),
    # A DNSBL hit reported by Postfix reject_rbl_client
    Failure(
        "generic",
        Outcome.BOUNCED,
        554,
        "5.7.1",
        "554 5.7.1 Service unavailable; Client host [203.0.113.25] blocked using zen.spamhaus.org; "
        "https://www.spamhaus.org/query/ip/203.0.113.25",
    ),
    # Outlook.com IP block list
    Failure(
        "outlook",
        Outcome.BOUNCED,
        550,
        "5.7.1",
        "550 5.7.1 Unfortunately, messages from [203.0.113.25] weren't sent. Please contact your "
        "Internet service provider since part of their network is on our block list (S3150).",
    ),
    # Gmail DMARC enforcement, RFC 7372 5.7.26 (multiple authentication checks failed)
    Failure(
        "gmail",
        Outcome.BOUNCED,
        550,
        "5.7.26",
        "550-5.7.26 Unauthenticated email from promo.example.net is not accepted due to domain's "
        "DMARC policy. Please contact the administrator of promo.example.net domain.",
    ),
    # Yahoo DMARC / policy rejection
    Failure(
        "yahoo",
        Outcome.BOUNCED,
        554,
        "5.7.9",
        "554 5.7.9 Message not accepted for policy reasons.  See https://senders.yahooinc.com/error-codes",
    ),
)

# Share of each outcome per segment: (delivered, hard, soft, block). The bad segment is a bought list.
MIX = {
    "customers-active": (0.985, 0.004, 0.008, 0.003),
    "trial-users": (0.975, 0.01, 0.01, 0.005),
    "newsletter-weekly": (0.975, 0.008, 0.012, 0.005),
    "winback-2023": (0.95, 0.025, 0.015, 0.01),
    BAD_SEGMENT: (0.74, 0.18, 0.02, 0.06),
}
PER_SEGMENT = {
    "customers-active": 750,
    "trial-users": 550,
    "newsletter-weekly": 600,
    "winback-2023": 450,
    BAD_SEGMENT: 550,
}
# Addresses that fill up and stay full: three deferrals on two consecutive days each.
REPEAT_SOFT = (("heidi.tanaka", "gmail"), ("walter.okafor", "yahoo"), ("sybil.rossi", "gmail"))


def _address(rng: random.Random, receiver: str) -> str:
    domain = RECEIVERS[receiver][0]
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 999)}@{domain}"


def _when(rng: random.Random) -> datetime:
    offset = rng.uniform(0, DAYS * 86400 - 1)
    return (REFERENCE_TIME - timedelta(days=DAYS) + timedelta(seconds=offset)).replace(microsecond=0)


def _message_id(mailbox: str, n: int) -> str:
    digest = hashlib.sha256(f"{mailbox}/{n}".encode()).hexdigest()[:20]
    return f"<{digest}@{mailbox.split('@', 1)[1]}>"


def _result(n: int, rcpt: str, mailbox: str, segment: str, at: datetime, failure: Failure | None) -> SendResult:
    receiver_mx = RECEIVERS[_receiver_of(rcpt)][1]
    common = {
        "event_id": f"sample-{n:05d}",
        "recipient": rcpt,
        "mailbox": mailbox,
        "segment": segment,
        "message_id": _message_id(mailbox, n),
        "remote_mta": receiver_mx,
        "timestamp": at,
    }
    if failure is None:
        return SendResult(
            outcome=Outcome.DELIVERED,
            reply_code=250,
            enhanced_status="2.0.0",
            diagnostic="250 2.0.0 OK queued as " + _message_id(mailbox, n)[1:13],
            **common,
        )
    return SendResult(
        outcome=failure.outcome,
        reply_code=failure.reply_code,
        enhanced_status=failure.enhanced_status,
        diagnostic=failure.diagnostic.replace("{rcpt}", rcpt),
        **common,
    )


def _receiver_of(rcpt: str) -> str:
    domain = rcpt.rsplit("@", 1)[1]
    return next(name for name, (dom, _mx) in RECEIVERS.items() if dom == domain)


def generate() -> list[SendResult]:
    """Every sample event, sorted by event time."""
    rng = random.Random(SEED)
    # Take failures round-robin so every receiver's wording shows up.
    hard_pool, soft_pool, block_pool = cycle(USER_UNKNOWN), cycle(MAILBOX_FULL + GREYLISTED), cycle(BLOCKS)
    results: list[SendResult] = []
    n = 0
    for segment in SEGMENTS:
        delivered, hard, soft, _block = MIX[segment]
        for _ in range(PER_SEGMENT[segment]):
            n += 1
            mailbox = rng.choice(MAILBOXES)
            draw = rng.random()
            failure: Failure | None
            if draw < delivered:
                failure = None
            elif draw < delivered + hard:
                failure = next(hard_pool)
            elif draw < delivered + hard + soft:
                failure = next(soft_pool)
            else:
                failure = next(block_pool)
            receiver = failure.receiver if failure else rng.choice(tuple(RECEIVERS))
            results.append(_result(n, _address(rng, receiver), mailbox, segment, _when(rng), failure))
    # Persistent soft bounces: twice on day one, once on day two, same mailbox and segment.
    full = {f.receiver: f for f in MAILBOX_FULL}
    for local, receiver in REPEAT_SOFT:
        rcpt = f"{local}@{RECEIVERS[receiver][0]}"
        day_one = REFERENCE_TIME - timedelta(days=2) + timedelta(hours=rng.randint(6, 10))
        for at in (day_one, day_one + timedelta(hours=4), day_one + timedelta(days=1, hours=1)):
            n += 1
            results.append(_result(n, rcpt, MAILBOXES[0], "newsletter-weekly", at, full[receiver]))
    # A re-delivered duplicate: the same event id twice must count once.
    results.append(results[3])
    return sorted(results, key=lambda r: (r.timestamp, r.event_id or ""))


def render(results: list[SendResult]) -> str:
    lines = [json.dumps(r.model_dump(mode="json", exclude_none=True), sort_keys=True) for r in results]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if the file differs from a fresh render")
    args = parser.parse_args(argv)
    text = render(generate())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: run python examples/make_sample_events.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines())} events to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Classifier throughput on a realistic mix of replies, against a bare status-code lookup.

The mix is built at run time from the labelled corpus's Diagnostic-Code lines (what
~70 real MTAs and receivers said) plus synthetic variants of common receiver wordings
with varying addresses and IPs, as in real traffic. Prints classifications/s for:
  baseline   dict lookup of the status code (the floor any classifier pays)
  uncached   classify_uncached: no cache at all, every call does the full work
  distinct   classify on replies that never repeat exactly (each names another address,
             IP or id), so the first-level cache always misses and the second level,
             keyed by the templated text, answers most of them
  repeating  classify on a stream where whole replies repeat (first-level hits)
and each one's ratio to the baseline. Run: .venv/bin/python bench/classify_bench.py
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bounceguard.core.classify import classify, classify_uncached, parse_reply
from bounceguard.core.classify.classifier import _classify_cached, _classify_template, clear_cache
from bounceguard.core.classify.status_codes import STATUS_REASONS

Item = tuple[int | None, str | None, str]
ROUNDS = 3

_DIAG = re.compile(r"^Diagnostic-Code:[ \t]*[^;\n]*;[ \t]*(.*(?:\n[ \t]+.*)*)", re.MULTILINE | re.IGNORECASE)

# Common receiver wordings; {a} address, {ip} sending IP, {n} a number.
TEMPLATES = (
    "550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking "
    "the recipient's email address for typos or unnecessary spaces. {n} - gsmtp",
    "552-5.2.2 The email account that you tried to reach is over quota. {n} - gsmtp",
    "550 5.5.0 Requested action not taken: mailbox unavailable ({a})",
    "554 delivery error: dd This user doesn't have a yahoo.com account ({a}) [0] - mta{n}.mail.gq1.yahoo.com",
    "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints",
    "550 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org",
    "550 5.7.606 Access denied, banned sending IP [{ip}]. To request removal from this list please visit",
    "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [{n}.prod.protection.outlook.com]",
    "451 4.7.1 Greylisting in action, please come back later",
    "550 5.7.26 This mail has been blocked because the sender is unauthenticated. {n} - gsmtp",
    "552 5.3.4 Message size exceeds fixed limit",
    "450 4.2.0 <{a}>: Recipient address rejected: Mailbox is full",
    "550 Mailbox not found for {a}",
    "421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP {ip}",
    "554 5.7.1 Message rejected as spam by Content Filtering.",
    "553 5.1.8 <{a}>... Domain of sender address does not exist",
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    "450 4.4.312 DNS query failed for {a}",
    "connect to mx.example.net[{ip}]:25: Connection timed out",
)


def corpus_dir() -> Path:
    env = os.environ.get("BOUNCEGUARD_CORPUS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai"


def corpus_items() -> list[Item]:
    items: list[Item] = []
    for path in sorted((corpus_dir() / "emails").glob("*.eml")):
        text = path.read_bytes().decode("utf-8", "replace")
        for m in _DIAG.finditer(text):
            line = " ".join(m.group(1).split())
            if line:
                parsed = parse_reply(line)
                items.append((parsed.reply_code, parsed.status, parsed.text))
    return items


def synthetic_items(n: int, rng: random.Random) -> list[Item]:
    items: list[Item] = []
    for i in range(n):
        text = rng.choice(TEMPLATES).format(
            a=f"user{i}@example{rng.randrange(1000)}.com",
            ip=f"192.0.{rng.randrange(256)}.{rng.randrange(256)}",
            n=rng.randrange(10**9),
        )
        parsed = parse_reply(text)
        items.append((parsed.reply_code, parsed.status, parsed.text))
    return items


def rate(items: list[Item], fn: Callable[[Item], object], before: Callable[[], None] = lambda: None) -> float:
    """Best of ROUNDS runs (the machine may be shared: the fastest run is the least disturbed)."""
    best = float("inf")
    for _ in range(ROUNDS):
        before()
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


def main() -> int:
    rng = random.Random(7)
    real = corpus_items()
    if not real:
        print(f"no Diagnostic-Code lines found under {corpus_dir()}", file=sys.stderr)
        return 1
    unique = real + synthetic_items(60_000, rng)  # every synthetic reply is distinct
    rng.shuffle(unique)
    # A repeating stream: the corpus lines and a bounded set of synthetic replies, drawn at random.
    pool = real + synthetic_items(2_000, rng)
    stream = [rng.choice(pool) for _ in range(200_000)]

    def baseline(item: Item) -> object:
        st = item[1]
        return STATUS_REASONS.get(st.partition(".")[2]) if st else None

    def uncached(item: Item) -> object:
        return classify_uncached(reply_code=item[0], status=item[1], diagnostic=item[2])

    def cached(item: Item) -> object:
        return classify(reply_code=item[0], status=item[1], diagnostic=item[2])

    base = rate(unique, baseline)
    unc = rate(unique, uncached)
    cold = rate(unique, cached, before=clear_cache)
    l2 = _classify_template.cache_info()
    warm = rate(stream, cached, before=clear_cache)
    l1 = _classify_cached.cache_info()
    print(f"mix: {len(real)} corpus diagnostic lines + {len(unique) - len(real)} synthetic variants")
    print(f"{'baseline dict lookup':32} {base:12,.0f} /s  ratio 1.000")
    print(f"{'classify_uncached (no cache)':32} {unc:12,.0f} /s  ratio {unc / base:.3f}")
    print(
        f"{'classify, distinct replies':32} {cold:12,.0f} /s  ratio {cold / base:.3f}"
        f"  (first level 0 hits, template level {l2.hits / max(1, l2.hits + l2.misses):.1%} hits)"
    )
    print(
        f"{'classify, repeating stream':32} {warm:12,.0f} /s  ratio {warm / base:.3f}"
        f"  (first level {l1.hits / max(1, l1.hits + l1.misses):.1%} hits)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

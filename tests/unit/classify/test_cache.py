"""The result caches: answers never depend on what was cached before, and per-message
values (addresses, IPs, ids) do not split one receiver template into many entries."""

from __future__ import annotations

import pytest

from bounceguard.core.classify import classify, classify_uncached
from bounceguard.core.classify.classifier import _classify_template, _template, clear_cache

TEMPLATE_ROWS: list[tuple[str, str]] = [
    ("<a@example.com>: Recipient address rejected: User unknown", "_ Recipient address rejected: User unknown"),
    ("550 5.7.606 Access denied, banned sending IP [192.0.2.1]", "550 5.7.606 Access denied, banned sending IP [_]"),
    ("over quota. v14si1155795plk.134 - gsmtp", "over quota. _ - gsmtp"),
    ("blocked, see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "blocked, see https://ipcheck.proofpoint.com/?ip=_"),
    ("550-5.1.1 user unknown\n550 5.1.1 <b@example.org>", "550-5.1.1 user unknown\n550 5.1.1 _"),
    ("x 4.16.55.1 y", "x _ y"),
    ("port 1234 stays", "port 1234 stays"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "template"), TEMPLATE_ROWS)
def test_template(raw: str, template: str) -> None:
    assert _template(raw) == template


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "<a@example.com>: Recipient address rejected: User unknown",
            "<zz@other.org>: Recipient address rejected: User unknown",
        ),
        (
            "Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "Client host [198.51.100.7] blocked using zen.spamhaus.org",
        ),
    ],
)
def test_replies_differing_only_in_values_share_one_entry(first: str, second: str) -> None:
    clear_cache()
    one = classify(reply_code=550, diagnostic=first)
    two = classify(reply_code=550, diagnostic=second)
    assert one == two
    info = _classify_template.cache_info()
    assert (info.misses, info.hits) == (1, 1)


@pytest.mark.parametrize(
    ("code", "status", "text"),
    [
        (550, "5.1.1", "<a@example.com>: user unknown"),
        (552, None, "mailbox full"),
        (421, "4.7.0", "[TSS04] Messages from 192.0.2.1 temporarily deferred"),
        (None, None, "Sorry, no mailbox here by that name. (#5.1.1)"),
    ],
)
def test_cached_equals_uncached_in_any_order(code: int | None, status: str | None, text: str) -> None:
    clear_cache()
    first = classify(reply_code=code, status=status, diagnostic=text)
    assert classify(reply_code=code, status=status, diagnostic=text) is first  # answered from the cache
    assert classify_uncached(reply_code=code, status=status, diagnostic=text) == first

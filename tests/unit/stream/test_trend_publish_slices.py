"""Trend keys are published in slices: every key has one stable slice, and keys spread over all."""

from __future__ import annotations

from collections import Counter

from bounceguard.stream.trend_batcher import TREND_SLICES, trend_slice


def test_a_key_always_lands_in_the_same_slice() -> None:
    key = b"mailbox/acme/news@acme.example"
    assert trend_slice(key) == trend_slice(bytes(key))
    assert 0 <= trend_slice(key) < TREND_SLICES


def test_keys_spread_over_every_slice() -> None:
    keys = [f"segment/acme/seg-{i}".encode() for i in range(250)] + [
        f"mailbox/acme/sender{i}@acme.example".encode() for i in range(50)
    ]
    counts = Counter(trend_slice(k) for k in keys)
    assert set(counts) == set(range(TREND_SLICES))
    # 300 keys over 10 slices: no slice carries more than twice its share
    assert max(counts.values()) <= 2 * len(keys) // TREND_SLICES

from __future__ import annotations

import pytest

from bounceguard.core.signatures.replay import ReplayCache


def test_token_is_refused_until_it_expires() -> None:
    cache = ReplayCache(ttl_seconds=10)
    assert cache.check_and_add("t", 0.0) is True
    assert cache.check_and_add("t", 9.9) is False
    assert cache.check_and_add("t", 10.0) is True


def test_cache_is_bounded_oldest_first() -> None:
    cache = ReplayCache(ttl_seconds=100, max_entries=2)
    for token in ("a", "b", "c"):
        assert cache.check_and_add(token, 1.0)
    assert len(cache) == 2
    assert cache.check_and_add("a", 2.0) is True  # evicted, so accepted again
    assert cache.check_and_add("c", 2.0) is False


@pytest.mark.parametrize(("ttl", "size"), [(0, 1), (1, 0), (-1, 5)])
def test_bad_settings_are_refused(ttl: float, size: int) -> None:
    with pytest.raises(ValueError):
        ReplayCache(ttl_seconds=ttl, max_entries=size)

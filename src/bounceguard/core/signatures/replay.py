"""A bounded, expiring memory of tokens already seen, to refuse replayed webhooks.

Time is passed in by the caller (no clock reads here) so the behaviour is testable
and deterministic.
"""

from __future__ import annotations

from collections import OrderedDict


class ReplayCache:
    """Remembers up to ``max_entries`` tokens, each for ``ttl_seconds`` after first sight.

    When full, the oldest token is forgotten first; a forgotten token could be replayed,
    but by then it is older than the sender's timestamp tolerance only if ``ttl_seconds``
    covers that tolerance, so size the cache for the expected request rate.
    """

    def __init__(self, *, ttl_seconds: float, max_entries: int = 100_000) -> None:
        if ttl_seconds <= 0 or max_entries <= 0:
            raise ValueError("ttl_seconds and max_entries must be positive")
        self._ttl = ttl_seconds
        self._max = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def _expire(self, now: float) -> None:
        while self._seen:
            token, expires = next(iter(self._seen.items()))
            if expires > now:
                break
            del self._seen[token]

    def check_and_add(self, token: str, now: float) -> bool:
        """True if ``token`` is new (and now remembered); False if it was seen and has not expired."""
        self._expire(now)
        if token in self._seen:
            return False
        self._seen[token] = now + self._ttl
        while len(self._seen) > self._max:
            self._seen.popitem(last=False)
        return True

"""Likely typos of big mailbox domains (gmial.com -> gmail.com), with the suggestion.

Own code rather than a fuzzy-matching library: the whole of it is a restricted
Damerau-Levenshtein distance over short strings where substituting a key for its QWERTY
neighbour costs half (gnail/gmail is a slip of the finger, gxail is not). rapidfuzz and
jellyfish offer plain edit distances but no per-key weights, and the candidate list is
small, so a 30-line function with an LRU cache per domain is fast enough (see
bench/verify_bench.py) and adds no dependency.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bounceguard.core.verify.models import Check, CheckName, CheckResult, make_check

# Domains of the large consumer mailbox providers, the ones senders mistype most.
POPULAR_DOMAINS: tuple[str, ...] = (
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "yahoo.fr",
    "hotmail.com", "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "gmx.com",
    "gmx.de", "gmx.net", "web.de", "yandex.ru", "mail.ru", "comcast.net", "verizon.net",
    "att.net", "sbcglobal.net", "orange.fr", "free.fr", "libero.it", "qq.com", "163.com",
    "naver.com", "t-online.de", "zoho.com", "fastmail.com",
)  # fmt: skip

# Real domains one edit away from a popular one: never "correct" them.
KNOWN_GOOD: frozenset[str] = frozenset(
    {"mail.com", "email.com", "ymail.com", "gmx.at", "gmx.ch", "live.co.uk", "live.fr", "aim.com",
     "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.ca", "hotmail.de", "hotmail.it", "hotmail.es",
     "outlook.de", "outlook.fr", "126.com", "139.com", "rocketmail.com", "gmail.de", "mac.de",
     "me.de", "att.com", "msn.de", "web.com", "free.com", "orange.com", "163.net"}
)  # fmt: skip

_QWERTY_ROWS = ("1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, frozenset[str]]:
    pos = {ch: (r, c) for r, row in enumerate(_QWERTY_ROWS) for c, ch in enumerate(row)}
    near: dict[str, set[str]] = {ch: set() for ch in pos}
    for a, (ra, ca) in pos.items():
        for b, (rb, cb) in pos.items():
            # each row sits about half a key right of the one above it: g touches t, y, v, b
            if (
                (rb == ra and abs(cb - ca) == 1)
                or (rb == ra - 1 and cb in (ca, ca + 1))
                or (rb == ra + 1 and cb in (ca - 1, ca))
            ):
                near[a].add(b)
    return {ch: frozenset(s) for ch, s in near.items()}


_NEAR = _neighbours()


def typo_distance(typed: str, intended: str) -> float:
    """Restricted Damerau-Levenshtein distance; a QWERTY-neighbour substitution costs 0.5."""
    rows, cols = len(typed) + 1, len(intended) + 1
    d = [[0.0] * cols for _ in range(rows)]
    for i in range(rows):
        d[i][0] = float(i)
    for j in range(cols):
        d[0][j] = float(j)
    for i in range(1, rows):
        a = typed[i - 1]
        for j in range(1, cols):
            b = intended[j - 1]
            if a == b:
                sub = 0.0
            elif b in _NEAR.get(a, ()):
                sub = 0.5
            else:
                sub = 1.0
            best = min(d[i - 1][j] + 1.0, d[i][j - 1] + 1.0, d[i - 1][j - 1] + sub)
            if i > 1 and j > 1 and a == intended[j - 2] and typed[i - 2] == b:
                best = min(best, d[i - 2][j - 2] + 1.0)  # transposition: gmial -> gmail
            d[i][j] = best
    return d[-1][-1]


class TypoSuggester:
    """Suggests the popular domain a mistyped one most likely meant, if any."""

    def __init__(
        self,
        popular: Iterable[str] = POPULAR_DOMAINS,
        known_good: Iterable[str] = KNOWN_GOOD,
        *,
        max_distance: float = 1.0,
    ) -> None:
        self._popular = tuple(d.lower() for d in popular)
        self._exact = frozenset(self._popular) | frozenset(d.lower() for d in known_good)
        self._max = max_distance
        self.suggest = lru_cache(maxsize=65536)(self._suggest)

    def _suggest(self, domain: str) -> str | None:
        domain = domain.lower()
        if domain in self._exact:
            return None
        # Longer names tolerate one more slip; short ones (me.com, qq.com) would match anything.
        limit = self._max + (1.0 if len(domain) >= 10 else 0.0)
        best: tuple[float, str] | None = None
        tie = False
        for candidate in self._popular:
            if abs(len(candidate) - len(domain)) > limit:
                continue
            dist = typo_distance(domain, candidate)
            if dist > limit or (len(candidate) <= 6 and dist > 0.5):
                continue
            if best is None or dist < best[0]:
                best, tie = (dist, candidate), False
            elif dist == best[0]:
                tie = True
        return None if best is None or tie else best[1]

    def check(self, domain: str) -> tuple[Check, str | None]:
        """The ``typo`` check and the suggested domain."""
        suggestion = self.suggest(domain)
        if suggestion is None:
            return make_check(name=CheckName.TYPO, result=CheckResult.PASS), None
        return (
            make_check(name=CheckName.TYPO, result=CheckResult.WARN, detail=f"did you mean {suggestion}?"),
            suggestion,
        )

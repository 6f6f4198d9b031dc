"""The shape of one reason family's wording: plain data, registered by its module."""

from __future__ import annotations

from dataclasses import dataclass, field

from bounceguard.core.categories import Reason


@dataclass(frozen=True, slots=True)
class ReasonRule:
    """Wording that names one reason.

    `phrases` are lower-cased substrings; `pairs` are ordered word pairs that must both
    appear, the first before the second, for wording that varies in the middle
    ("mailbox is full", "mailbox quota full"). When texts match several reasons, the
    highest `priority` wins: specific recipient facts (user unknown) outrank generic
    refusals ("rejected").
    """

    reason: Reason
    phrases: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    priority: int = 50
    # Phrases that, when present, veto this reason (e.g. "mailbox full" inside a 5.7.1 policy text).
    excludes: tuple[str, ...] = field(default=())

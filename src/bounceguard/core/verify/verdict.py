"""Combining the checks into one verdict.

The checks already say how bad each finding is, so the combination is an order:
a failure decides (undeliverable), then a check that could not be answered (unknown:
a sender should ask again rather than act on half the facts), then any warning (risky).
"""

from __future__ import annotations

from collections.abc import Iterable

from bounceguard.core.verify.models import Check, CheckResult, Verdict

_ORDER: tuple[tuple[CheckResult, Verdict], ...] = (
    (CheckResult.FAIL, Verdict.UNDELIVERABLE),
    (CheckResult.UNKNOWN, Verdict.UNKNOWN),
    (CheckResult.WARN, Verdict.RISKY),
)


def combine(checks: Iterable[Check]) -> Verdict:
    """The verdict for a set of check results (skipped checks do not count)."""
    results = {c.result for c in checks}
    for result, verdict in _ORDER:
        if result in results:
            return verdict
    return Verdict.DELIVERABLE

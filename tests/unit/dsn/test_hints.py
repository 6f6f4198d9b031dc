"""Reasons stated by the sending MTA's own report (PowerMTA bounce categories)."""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.dsn.hints import powermta_hint, reason_from_hint

# field value, reason read from it (None: nothing we trust)
CASES = [
    ("bad-mailbox", Reason.USERUNKNOWN),
    (" Bad-Domain ", Reason.HOSTUNKNOWN),
    ("inactive-mailbox", Reason.SUSPEND),
    ("quota-issues", Reason.MAILBOXFULL),
    ("spam-related", Reason.SPAMDETECTED),
    ("policy-related", Reason.POLICYVIOLATION),
    ("other", None),
    ("protocol-errors", None),
    ("", None),
    ("no-such-category", None),
]


@pytest.mark.parametrize(("value", "reason"), CASES, ids=[row[0] or "empty" for row in CASES])
def test_powermta_category(value: str, reason: Reason | None) -> None:
    assert reason_from_hint(powermta_hint(value)) is reason


def test_other_hints_name_nothing() -> None:
    # Amazon SES bounce types ("permanent") are not reasons
    assert reason_from_hint("permanent") is None

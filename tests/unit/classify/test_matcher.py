"""The wording matcher on small synthetic rule sets: phrases, ordered pairs, priority, exclusions."""

from __future__ import annotations

import pytest

from bounceguard.core.categories import Reason
from bounceguard.core.classify.matcher import PAIR_GAP, WordingMatcher, normalize
from bounceguard.core.classify.rule import ReasonRule

RULES = (
    ReasonRule(reason=Reason.USERUNKNOWN, priority=90, phrases=("user unknown",), pairs=(("no such", "user"),)),
    ReasonRule(reason=Reason.MAILBOXFULL, priority=80, phrases=("over quota",), pairs=(("mailbox", "full"),)),
    ReasonRule(reason=Reason.SPAMDETECTED, priority=60, phrases=("spam", "uce"), excludes=("spamhaus",)),
    ReasonRule(reason=Reason.BLOCKED, priority=50, phrases=("spamhaus", "rbl")),
    ReasonRule(reason=Reason.REJECTED, priority=10, phrases=("rejected",)),
)
MATCHER = WordingMatcher(sorted(RULES, key=lambda r: -r.priority))

ROWS: list[tuple[str, Reason | None, str | None]] = [
    ("550 User Unknown", Reason.USERUNKNOWN, "user unknown"),
    ("Recipient rejected: user unknown", Reason.USERUNKNOWN, "user unknown"),  # priority beats "rejected"
    ("mailbox is full", Reason.MAILBOXFULL, "mailbox ... full"),
    ("mailbox quota is nearly full", Reason.MAILBOXFULL, "mailbox ... full"),
    ("full mailbox", None, None),  # pairs are ordered
    ("mailbox" + " x" * PAIR_GAP + " full", None, None),  # too far apart
    ("no such local user", Reason.USERUNKNOWN, "no such ... user"),
    ("MESSAGE  REJECTED\tAS\nSPAM", Reason.SPAMDETECTED, "spam"),
    ("blocked using zen.spamhaus.org", Reason.BLOCKED, "spamhaus"),  # the exclusion vetoes "spam"
    ("we reduce noise", None, None),  # "uce" must start a word
    ("listed in rbl", Reason.BLOCKED, "rbl"),
    ("listed in rblx", None, None),  # short tokens must be whole words
    ("nothing to see", None, None),
    ("", None, None),
]


@pytest.mark.parametrize(("text", "reason", "evidence"), ROWS)
def test_matcher(text: str, reason: Reason | None, evidence: str | None) -> None:
    hit = MATCHER.match(normalize(text))
    assert (hit.reason if hit else None, hit.evidence if hit else None) == (reason, evidence)


def test_empty_rule_set_matches_nothing() -> None:
    assert WordingMatcher(()).match("user unknown") is None


def test_empty_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="no words"):
        WordingMatcher((ReasonRule(reason=Reason.BLOCKED, phrases=("  ",)),))


def test_normalize_bounds_and_folds() -> None:
    assert normalize("  A\tB\r\nC, d-e  ") == " a b c d e "
    assert len(normalize("x" * 100_000)) <= 2048 + 2  # the two framing blanks

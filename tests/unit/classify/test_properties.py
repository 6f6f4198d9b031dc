"""Properties that hold for any input: never a crash, and the verdict is self-consistent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceguard.core.categories import Category, Reason
from bounceguard.core.classify import (
    ClassifyInputError,
    classify,
    classify_reply,
    classify_uncached,
    parse_reply,
    reason_from_text,
)
from bounceguard.core.models import Classification

BLOCK_REASONS = {
    r
    for r in Reason
    if r.value
    in {
        "blocked",
        "spamdetected",
        "policyviolation",
        "virusdetected",
        "securityerror",
        "authfailure",
        "badreputation",
        "requireptr",
        "notcompliantrfc",
    }
}

codes = st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6))
statuses = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.builds(lambda c, s, d: f"{c}.{s}.{d}", st.sampled_from("245"), st.integers(0, 999), st.integers(0, 999)),
)
words = st.sampled_from(
    [
        "user",
        "unknown",
        "mailbox",
        "full",
        "blocked",
        "spam",
        "rejected",
        "5.1.1",
        "550",
        "-",
        "\n",
        "quota",
        "relay",
        "denied",
        "greylisted",
        "after end of data",
        "dkim",
        "ptr",
        "over",
        "no such",
    ]
)
texts = st.one_of(st.none(), st.text(max_size=300), st.lists(words, max_size=30).map(" ".join))


def _consistent(v: Classification) -> None:
    assert v.hardbounce == (v.category is Category.HARD)
    assert v.suppress == (v.category in {Category.HARD, Category.COMPLAINT, Category.UNSUBSCRIBE, Category.TRAP})
    assert v.retry == (v.category is Category.SOFT)
    assert v.why and len(v.why) <= 512
    if v.reason in BLOCK_REASONS:
        assert v.category is Category.BLOCK  # never label a block reason hard


@settings(max_examples=400, deadline=None)
@given(code=codes, status=statuses, text=texts, host=st.one_of(st.none(), st.text(max_size=20)))
def test_classify_never_raises_and_is_consistent(
    code: int | None, status: str | None, text: str | None, host: str | None
) -> None:
    verdict = classify(reply_code=code, status=status, diagnostic=text, remote_host=host)
    _consistent(verdict)
    assert classify_uncached(reply_code=code, status=status, diagnostic=text, remote_host=host) == verdict


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_reply_helpers_never_raise(text: str) -> None:
    parsed = parse_reply(text)
    assert parsed.reply_code is None or 200 <= parsed.reply_code <= 599
    _consistent(classify_reply(text))
    reason_from_text(text)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_permanent_user_unknown_never_becomes_a_block(text: str | None) -> None:
    verdict = classify(reply_code=550, status="5.1.1", diagnostic=text)
    assert verdict.category is not Category.BLOCK


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reply_code": "550"},
        {"reply_code": 550.0},
        {"reply_code": True},
        {"status": 511},
        {"diagnostic": b"user unknown"},
        {"diagnostic": ["user unknown"]},
        {"remote_host": {"a": 1}},
        {"smtp_command": 1},
    ],
)
def test_wrong_types_raise_the_documented_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ClassifyInputError):
        classify(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ClassifyInputError):
        classify_uncached(**kwargs)  # type: ignore[arg-type]


def test_wrong_type_is_not_answered_from_the_cache() -> None:
    classify(reply_code=550, status="5.1.1")
    with pytest.raises(ClassifyInputError):
        classify(reply_code=550.0, status="5.1.1")  # type: ignore[arg-type]


def test_reason_from_text() -> None:
    assert reason_from_text("Mailbox is full") is Reason.MAILBOXFULL
    assert reason_from_text("nothing to see here") is None
    with pytest.raises(ClassifyInputError):
        reason_from_text(None)  # type: ignore[arg-type]
